from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.evaluation.models import Round, Source
from loa.evaluation.services import RoundData


class RoundForm(forms.ModelForm[Round]):
    class Meta:
        model = Round
        fields = [
            "unit",
            "year",
            "title",
            "excellent",
            "good",
            "done",
            "exceeded_share",
            "behind_share",
            "excellent_cap",
            "commendation",
        ]

    def round_data(self) -> RoundData:
        return RoundData(**{name: value for name, value in self.cleaned_data.items() if name != "unit"})


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Criterion"), max_length=300, required=False)
    max_points = forms.DecimalField(label=_("Points"), max_digits=5, decimal_places=2, min_value=0, required=False)
    source = forms.ChoiceField(label=_("Evidence"), choices=Source.choices, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=40)
