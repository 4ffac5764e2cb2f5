"""Forms of the incident pages (input checks; the services write)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.alerts.models import Severity
from loa.core.forms import DayField
from loa.incidents.models import IncidentStatus, Playbook, StatementChannel


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.HIGH)
    playbook = forms.TypedChoiceField(label=_("Playbook"), coerce=int, required=False, empty_value=None)
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False, empty_value=None)
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class OpenFromAlertForm(forms.Form):
    playbook = forms.TypedChoiceField(label=_("Playbook"), coerce=int, required=False, empty_value=None)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)

    def __init__(self, *args: Any, playbooks: Iterable[Playbook], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["playbook"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("No playbook")), *((p.pk, p.name) for p in playbooks)]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in IncidentStatus if s != IncidentStatus.CLOSED]
    )


class StepForm(forms.Form):
    done = forms.BooleanField(required=False)


class StepOwnerForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)


class StoryForm(forms.Form):
    story = forms.IntegerField(label=_("Story number"), min_value=1)


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    channel = forms.ChoiceField(label=_("Channel"), choices=StatementChannel.choices)
    spokesperson = forms.TypedChoiceField(label=_("Spokesperson"), coerce=int)


class PublishForm(forms.Form):
    url = forms.URLField(label=_("Where it was published"), required=False, assume_scheme="https")


class CloseForm(forms.Form):
    lessons = forms.CharField(
        label=_("Lessons learned"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What worked, what was late, what to change in the playbook."),
    )


class PlaybookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("When to use it"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    severity = forms.ChoiceField(label=_("Usual severity"), choices=Severity.choices, initial=Severity.HIGH)
    first_response_hours = forms.IntegerField(label=_("First statement within (hours)"), min_value=1, initial=6)
    enabled = forms.BooleanField(label=_("In use"), required=False, initial=True)


class PlaybookStepForm(forms.Form):
    # Optional so that emptying a row removes the step, as the page says.
    title = forms.CharField(label=_("Step"), max_length=300, required=False)
    owner_role = forms.CharField(label=_("Owner"), max_length=120, required=False)
    due_after_hours = forms.IntegerField(label=_("Due after (hours)"), min_value=0, initial=1)
    guidance = forms.CharField(label=_("Guidance"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


PlaybookStepFormSet = forms.formset_factory(PlaybookStepForm, extra=2, can_delete=True, max_num=50, validate_max=True)


class SpokespersonForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=200)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=StatementChannel.choices, widget=forms.CheckboxSelectMultiple
    )
    authorisation = forms.CharField(
        label=_("Authorising document"),
        max_length=200,
        required=False,
        help_text=_("The decision appointing or authorising the person, e.g. 12-QĐ/ĐU."),
    )
    valid_from = DayField(label=_("Valid from"))
    valid_to = DayField(label=_("Valid until"), required=False)
