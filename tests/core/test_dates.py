"""One way to type a date: dd/mm/yyyy, day first, in Vietnamese and in English, on every form."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.utils import translation

import loa
from loa.core.forms import DAY_INPUT_FORMATS, DayField, DayInput, day_parse

LANGUAGES = ["vi", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_day_first_in_both_languages(language: str) -> None:
    with translation.override(language):
        field = DayField()
        assert field.clean("03/04/2026") == dt.date(2026, 4, 3)
        assert field.clean("3/4/2026") == dt.date(2026, 4, 3)
        assert field.clean(" 03/04/2026 ") == dt.date(2026, 4, 3)
        # What a US reader means by April 3 is read day first: 4 March.
        assert field.clean("04/03/2026") == dt.date(2026, 3, 4)
        # Year-first ISO dates cannot be read two ways and are accepted.
        assert field.clean("2026-04-03") == dt.date(2026, 4, 3)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["04/13/2026", "2026-13-04", "03-04-2026", "03/04/26", "3 April 2026", "31/02/2026"])
def test_anything_else_is_refused_with_the_format_to_use(language: str, typed: str) -> None:
    expected = {"vi": "Nhập ngày theo dạng dd/mm/yyyy.", "en": "Enter the date as dd/mm/yyyy."}[language]
    with translation.override(language):
        with pytest.raises(forms.ValidationError) as refused:
            DayField().clean(typed)
        assert refused.value.messages == [expected]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_box_shows_the_date_day_first_and_is_no_browser_date_box(language: str) -> None:
    with translation.override(language):
        html = DayInput().render("day", dt.date(2026, 4, 3), attrs={"id": "id_day"})
    assert 'type="text"' in html
    assert 'value="03/04/2026"' in html
    assert "data-day-picker" in html
    assert 'placeholder="dd/mm/yyyy"' in html


def test_a_box_written_by_hand_is_read_the_same_way() -> None:
    assert day_parse("03/04/2026") == dt.date(2026, 4, 3)
    assert day_parse("", required=False) is None
    with translation.override("vi"), pytest.raises(forms.ValidationError, match="dd/mm/yyyy"):
        day_parse("04/13/2026")


def every_form_class() -> list[type[forms.Form | forms.ModelForm[Any]]]:
    for module in pkgutil.walk_packages(loa.__path__, "loa."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views", "filters"} or ".views." in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.Form | forms.ModelForm[Any]]] = []
    todo: list[type[forms.Form | forms.ModelForm[Any]]] = [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("loa."):
                found.append(sub)
    return found


def test_every_date_field_of_every_form_is_typed_day_first() -> None:
    forms_found = every_form_class()
    assert len(forms_found) > 20
    wrong = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in forms_found
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
        and not (isinstance(field, DayField) and isinstance(field.widget, DayInput))
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_locale_reads_dates_as_the_field_does(language: str) -> None:
    """Django's own date boxes (the admin) follow loa.formats: the same formats, day first."""
    from django.utils import formats

    with translation.override(language):
        assert formats.get_format("DATE_INPUT_FORMATS") == DAY_INPUT_FORMATS
        assert formats.date_format(dt.date(2026, 4, 3), "SHORT_DATE_FORMAT") == "03/04/2026"
