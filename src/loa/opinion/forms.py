from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.opinion.models import Breadth, Intensity, ReportKind, Tendency


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    period = forms.CharField(label=_("Reporting period"), max_length=7, help_text=_("YYYY-MM"))


class StreamForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    tendency = forms.ChoiceField(label=_("Tendency"), choices=Tendency.choices)
    intensity = forms.TypedChoiceField(label=_("Intensity"), choices=Intensity.choices, coerce=int, initial=2)
    breadth = forms.ChoiceField(label=_("Breadth"), choices=Breadth.choices)
    summary = forms.CharField(
        label=_("What is being said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In aggregate; never name anyone."),
    )
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


StreamFormSet = forms.formset_factory(StreamForm, extra=4, max_num=30)
