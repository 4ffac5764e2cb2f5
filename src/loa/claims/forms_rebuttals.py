"""Forms of the rebuttal library (input checks; the services in loa.claims.rebuttals write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.claims.models import EvidenceKind


class RebuttalForm(forms.Form):
    title = forms.CharField(label=_("Argument"), max_length=300, help_text=_("A short name, as the library lists it."))
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The argument as it may be quoted in a statement or a reply."),
    )


class EvidenceForm(forms.Form):
    # Optional so that a row left empty is skipped, as the page says.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *EvidenceKind.choices], required=False)
    description = forms.CharField(
        label=_("What it shows"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    reference = forms.CharField(label=_("Reference or source"), max_length=500, required=False)
    document = forms.TypedChoiceField(label=_("Registered document"), coerce=int, required=False, empty_value=None)
    statement = forms.TypedChoiceField(label=_("Published statement"), coerce=int, required=False, empty_value=None)
    article = forms.IntegerField(label=_("Article number"), min_value=1, required=False)


EvidenceFormSet = forms.formset_factory(EvidenceForm, extra=2, can_delete=True, max_num=30, validate_max=True)


class UseForm(forms.Form):
    target = forms.ChoiceField(label=_("Use in"))
