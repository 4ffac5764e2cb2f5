from __future__ import annotations

from django import forms

from loa.events.models import Event


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
