"""The empty choice of every select box, in Loa's forms and in the admin: "— chọn —" in
Vietnamese ("— choose —" in English) instead of Django's untranslated "---------".

Django spells that label in two places, both read when a form is built, not when Django is
imported: the list `BLANK_CHOICE_DASH` (model fields with choices and foreign keys, the admin)
and the default `empty_label` of `ModelChoiceField`. `install()` sets both once, from
`CoreConfig.ready`, so no form has to repeat the label field by field; a form that wants its
own empty label ("All units", "Everyone") still passes it."""

from __future__ import annotations

from django.db.models import fields
from django.forms import models as form_models
from django.utils.translation import gettext_lazy as _

EMPTY_LABEL = _("— choose —")


def install() -> None:
    # Changed in place: Field.get_choices took this very list as its default argument.
    # django-stubs types the label as str; a lazy label is what makes it follow the language.
    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_LABEL)]  # type: ignore[list-item]
    defaults = form_models.ModelChoiceField.__init__.__kwdefaults__
    if defaults is None or "empty_label" not in defaults:
        raise RuntimeError("ModelChoiceField no longer has an empty_label default: see loa.core.empty_choice")
    defaults["empty_label"] = EMPTY_LABEL
