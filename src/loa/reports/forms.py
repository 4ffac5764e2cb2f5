from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.core.forms import day_formfield
from loa.reports.models import Letterhead
from loa.reports.period_field import PeriodField


class ReportCreateForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit reported on"), coerce=int)
    letterhead = forms.TypedChoiceField(label=_("Issued by"), coerce=int)
    period = PeriodField(label=_("Reporting period"))


class ReportTextForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), max_length=300)
    assessment = forms.CharField(label=_("Assessment"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    directions = forms.CharField(
        label=_("Directions for the next period"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class LetterheadForm(forms.ModelForm[Letterhead]):
    class Meta:
        model = Letterhead
        fields = [
            "superior",
            "issuer",
            "symbol",
            "place",
            "signature_mode",
            "signature_body",
            "signer_position",
            "signer_name",
            "recipients",
            "term_start",
        ]
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        formfield_callback = day_formfield
