from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.core.forms import day_formfield
from loa.plans.models import Audience, AwardEntry, Campaign, Channel, EntryStatus, Plan
from loa.plans.services import CampaignData, EntryData, PlanData


class PlanForm(forms.ModelForm[Plan]):
    audiences = forms.MultipleChoiceField(
        label=_("Target audiences"), choices=Audience.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Plan
        fields = [
            "title",
            "unit",
            "first_year",
            "last_year",
            "directive",
            "objectives",
            "themes",
            "audiences",
            "channels",
            "key_messages",
            "owner",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.Textarea(attrs={"rows": 3}),
            "key_messages": forms.Textarea(attrs={"rows": 3}),
        }

    def plan_data(self) -> PlanData:
        return PlanData(**self.cleaned_data)


class CampaignForm(forms.ModelForm[Campaign]):
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Campaign
        fields = ["title", "event", "start", "end", "channels", "key_messages", "query", "owner"]
        widgets = {"key_messages": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = day_formfield

    def campaign_data(self) -> CampaignData:
        return CampaignData(**self.cleaned_data)


class EntryForm(forms.ModelForm[AwardEntry]):
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https", max_length=2000)

    class Meta:
        model = AwardEntry
        fields = ["year", "unit", "title", "genre", "outlet", "published_on", "authors", "url", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        formfield_callback = day_formfield

    def entry_data(self) -> EntryData:
        # The linked article is not on the form; an edit keeps it.
        return EntryData(**self.cleaned_data, article=self.instance.article)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EntryStatus.choices)
    prize = forms.CharField(label=_("Prize"), max_length=60, required=False)
