"""The create/edit page helper: the form edits a copy, a refused save lands on the form."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from loa.accounts.models import Role
from loa.core.editing import form_page, set_queryset, working_copy
from loa.units.models import Unit
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db

UnitForm = forms.modelform_factory(Unit, fields=["name"])


class PickForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none())


def _post(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/", data)
    request.user = make_user(Role.ADMIN)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_the_form_edits_a_copy_and_the_service_gets_the_stored_object() -> None:
    unit = make_unit("Chi bộ cũ")
    seen: list[str] = []

    def save() -> Unit:
        seen.append(unit.name)
        return unit

    request = _post({"name": "Chi bộ mới"})
    form = UnitForm(request.POST, instance=working_copy(unit))
    response = form_page(request, form, save=save, done="/after/", message="Saved.")
    assert (response.status_code, response["Location"]) == (302, "/after/")
    assert seen == ["Chi bộ cũ"]  # validating the form did not write into the loaded object
    assert [str(m) for m in get_messages(request)] == ["Saved."]
    assert working_copy(None) is None


def test_a_refused_save_lands_on_the_form_and_nothing_is_said() -> None:
    unit = make_unit("Chi bộ")

    def save() -> Unit:
        raise ValidationError("Không được.")

    request = _post({"name": "Khác"})
    form = UnitForm(request.POST, instance=working_copy(unit))
    response = form_page(request, form, save=save, done="/after/", message="Saved.", title="Sửa")
    assert response.status_code == 200
    assert form.non_field_errors() == ["Không được."]
    assert 'class="form-errors"' in response.content.decode()
    assert list(get_messages(request)) == []


def test_set_queryset_limits_a_model_choice() -> None:
    allowed, other = make_unit("Được"), make_unit("Không")
    form = PickForm({"unit": str(other.pk)})
    set_queryset(form.fields["unit"], Unit.objects.filter(pk=allowed.pk))
    assert not form.is_valid()
