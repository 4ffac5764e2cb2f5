from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.opinion.models import Breadth, Intensity, ReportKind, SynthesisRule, Tendency
from loa.reports.period_field import PeriodField


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    period = PeriodField(label=_("Reporting period"), kinds=("month",))


class StreamForm(forms.Form):
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False, empty_value=None)
    new_topic = forms.CharField(
        label=_("Or propose a new topic"),
        max_length=200,
        required=False,
        help_text=_("Only when no topic of the list fits; staff of the bloc accept it or merge it into one."),
    )
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

    def __init__(self, *args: Any, topics: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *(topics or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("topic") and (data.get("new_topic") or "").strip():
            raise forms.ValidationError(_("Pick a topic from the list or propose a new one, not both."))
        return data


StreamFormSet = forms.formset_factory(StreamForm, extra=4, max_num=30)


class MonthBound(PeriodField):
    """A month chosen as one end of the synthesis; no year and no month mean no bound."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and not any(value[1:]):
            return ""
        return super().clean(value)


class SynthesisFilter(forms.Form):
    first = MonthBound(label=_("From"), kinds=("month",), required=False, initial="")
    last = MonthBound(label=_("To"), kinds=("month",), required=False, initial="")


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Description of the topic"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    topic = forms.TypedChoiceField(label=_("Topic to merge"), coerce=int)
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)


class RuleForm(forms.ModelForm[SynthesisRule]):
    class Meta:
        model = SynthesisRule
        fields = ["complete_share", "rising_min_units"]
