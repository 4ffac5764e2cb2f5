"""Small pieces every app's views share."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def set_choices(field: forms.Field, choices: list[tuple[object, str]]) -> None:
    """Choices computed per request (the units, playbooks … the user may pick)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def whole_number(value: str | None) -> int | None:
    """A count typed in a form box: None when the box is empty, an error when it is not a
    whole number (negative numbers included)."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(_("Counts are whole numbers."))
    return int(value)


def fail(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    """A refused action: permission errors become 403, validation errors a message."""
    if isinstance(error, PermissionDenied):
        raise error
    messages.error(request, " ".join(error.messages))
