from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.core.forms import DayField, day_formfield
from loa.people.models import Person
from loa.study.models import DEFAULT_RULES, AudienceGroup, Level, StudyPlan
from loa.study.services import StudyPlanData


class PlanForm(forms.ModelForm[StudyPlan]):
    class Meta:
        model = StudyPlan
        fields = ["title", "directive", "unit", "complete_by"]
        formfield_callback = day_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = (self.instance.rules if self.instance.pk else None) or DEFAULT_RULES
        for group, label in AudienceGroup.choices:
            self.fields[f"level_{group}"] = forms.ChoiceField(
                label=_("%(group)s study at") % {"group": label}, choices=Level.choices, initial=rules.get(group)
            )

    def rules(self) -> dict[str, str]:
        return {group: self.cleaned_data[f"level_{group}"] for group in AudienceGroup.values}

    def plan_data(self) -> StudyPlanData:
        data = self.cleaned_data
        return StudyPlanData(
            title=data["title"],
            unit=data["unit"],
            complete_by=data["complete_by"],
            directive=data["directive"],
            rules=self.rules(),
        )


class ScheduleForm(forms.Form):
    scheduled_on = DayField(label=_("Scheduled on"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    speaker = forms.ModelChoiceField[Person](label=_("Speaker"), queryset=Person.objects.none(), required=False)


class AudienceForm(forms.Form):
    def __init__(self, *args: Any, counts: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group, label in AudienceGroup.choices:
            self.fields[group] = forms.IntegerField(label=label, min_value=0, initial=counts.get(group, 0))
