"""Forms of the claims register (input checks; the services write)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from loa.claims.models import ClaimStatus
from loa.core.forms import DayField


class ClaimForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    title = forms.CharField(label=_("Short name"), max_length=200)
    statement = forms.CharField(label=_("What it says"), widget=forms.Textarea(attrs={"rows": 3}))
    why_false = forms.CharField(label=_("Why it is false or distorted"), widget=forms.Textarea(attrs={"rows": 3}))
    organisations = forms.TypedMultipleChoiceField(label=_("Organisations targeted"), coerce=int, required=False)
    saved_query = forms.TypedChoiceField(
        label=_("Match rule: a saved query"), coerce=int, required=False, empty_value=None
    )
    query = forms.CharField(
        label=_("or a new query"),
        required=False,
        max_length=2000,
        help_text=_('Saved as a query of the unit named after the claim. AND/OR/NOT, "phrases".'),
    )
    first_seen = DayField(label=_("First seen"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ClaimStatus.choices, initial=ClaimStatus.WATCHING)
    dormant_after_days = forms.IntegerField(label=_("Dormant after (days)"), min_value=1, max_value=3650, initial=30)
    examples = forms.CharField(
        label=_("Example texts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Passages that say the claim, one per block, blocks separated by a blank line."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("saved_query") and not str(data.get("query") or "").strip():
            raise ValidationError(_("Choose a saved query as the match rule, or type a query."))
        return data


class ExampleForm(forms.Form):
    text = forms.CharField(label=_("Example text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
