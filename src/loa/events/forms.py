from __future__ import annotations

from django import forms

from loa.events.models import Event
from loa.events.services import EventData


class EventForm(forms.ModelForm[Event]):
    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "calendar",
            "day",
            "month",
            "year",
            "days",
            "since",
            "unit",
            "location",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def event_data(self) -> EventData:
        return EventData(**self.cleaned_data)
