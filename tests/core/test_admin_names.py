"""The admin names every section and model in Vietnamese: Loa's own models and apps, and the
libraries' (Axes, the task backends, the audit log), with no "Deliverys" or "Django_Rq"."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from loa.accounts.models import User
from tests.conftest import login

# A product name, the same in every language; its model is the library's own (not translatable).
SAME_IN_BOTH = {"Django-RQ"}


def test_every_app_and_loa_model_has_a_translated_name() -> None:
    untranslated = []
    for config in apps.get_app_configs():
        if not list(config.get_models()):
            continue
        with translation.override("en"):
            english = str(config.verbose_name)
        with translation.override("vi"):
            vietnamese = str(config.verbose_name)
        if vietnamese == english:
            untranslated.append(f"app {config.label}: {english}")
        for model in config.get_models():
            meta = model._meta
            if config.name.startswith("loa.") and not (
                isinstance(meta.verbose_name, Promise) and isinstance(meta.verbose_name_plural, Promise)
            ):
                untranslated.append(f"model {meta.label}: no verbose_name or verbose_name_plural for translation")
    assert not untranslated, "\n".join(untranslated)


@pytest.mark.django_db
def test_the_admin_index_reads_in_vietnamese(users: dict[str, User]) -> None:
    with translation.override("vi"):
        page = login(users["admin"]).get(reverse("admin:index")).content.decode()
    names = [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r"<caption>(.*?)</caption>|<th scope=\"row\"[^>]*>(.*?)</th>", page, re.S)
        for name in name
        if name
    ]
    assert names
    english = [
        name
        for name in names
        if name not in SAME_IN_BOTH and re.search(r"\b(Access|Task|Tasks|Django|Axes|Deliverys|Auditlog)\b", name)
    ]
    assert not english, english
    assert "Mục đăng nhập" not in names  # Django's Vietnamese for the admin's own "log entries"
    assert "Bảo vệ đăng nhập" in names
    assert "Lượt gửi thông báo" in names
