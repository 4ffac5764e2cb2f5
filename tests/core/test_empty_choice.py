"""An empty choice reads "— chọn —" (or "— choose —") in every form and in the admin, never
Django's "---------"."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from loa.accounts.models import User
from loa.articles.models import Article
from loa.units.models import Unit
from tests.conftest import login

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)


class _ModelForm(forms.ModelForm[Article]):
    class Meta:
        model = Article
        fields = ["outlet", "source"]


def test_every_empty_choice_has_the_same_translated_label() -> None:
    for language, label in (("vi", "— chọn —"), ("en", "— choose —")):
        with translation.override(language):
            for html in (str(_Form()["unit"]), str(_ModelForm()["outlet"]), str(_ModelForm()["source"])):
                assert f'<option value="" selected>{label}</option>' in html
                assert "---------" not in html
            assert Article._meta.get_field("source").get_choices()[0] == ("", label)


def test_no_page_of_the_admin_shows_dashes(users: dict[str, User]) -> None:
    page = login(users["admin"]).get(reverse("admin:units_unit_add")).content.decode()
    assert "---------" not in page
    assert "— chọn —" in page
