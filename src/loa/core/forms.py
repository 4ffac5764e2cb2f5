"""One way to type a date: dd/mm/yyyy in both languages, with a calendar picker.

Every date a user types in Loa goes through `DayField` (plain forms) or `day_formfield`
(ModelForms, as `Meta.formfield_callback`): the box is a text box, never the browser's
`type="date"`, which shows mm/dd/yyyy in an English browser. The picker (flatpickr, vendored
under static/loa/vendor, started by static/loa/loa.js) writes the same dd/mm/yyyy.

What is accepted, in Vietnamese and in English alike:
- dd/mm/yyyy, day first always: "03/04/2026" is 3 April 2026 and "04/03/2026" is 4 March, never
  April 3 as a US reader would take it. One-digit days and months ("3/4/2026") are accepted.
- yyyy-mm-dd (ISO, "2026-04-03" is 3 April): year first cannot be read two ways, and links and
  machine-made values carry it.
Anything else (two-digit years, dashes day first, words) is refused with "Enter the date as
dd/mm/yyyy." rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

DAY_FORMAT = "%d/%m/%Y"
DAY_INPUT_FORMATS = [DAY_FORMAT, "%Y-%m-%d"]
DAY_PLACEHOLDER = "dd/mm/yyyy"


class DayInput(forms.DateInput):
    """A text box showing dd/mm/yyyy; loa.js adds the calendar button to every box marked
    data-day-picker."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "data-day-picker": "",
            "placeholder": DAY_PLACEHOLDER,
            "autocomplete": "off",
            "size": "10",
            "maxlength": "10",
            "class": "day",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format=DAY_FORMAT)


class DayField(forms.DateField):
    """A date typed dd/mm/yyyy (or ISO yyyy-mm-dd), whatever the interface language."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter the date as dd/mm/yyyy.")}


def day_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """`Meta.formfield_callback` of ModelForms: a model date becomes a DayField; any other
    field gets its usual form field."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.pop("widget", None)
        return db_field.formfield(form_class=DayField, **kwargs)
    return db_field.formfield(**kwargs)


def day_parse(value: str | None, *, required: bool = True) -> dt.date | None:
    """A date from a box a template writes by hand (no form object): the same formats and the
    same message as DayField; raises ValidationError."""
    day: dt.date | None = DayField(required=required).clean(value)
    return day
