from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.core.forms import DayField, day_formfield
from loa.people.models import Course, Person, PersonKind
from loa.people.services import CourseData, PersonData, retention_error


class PersonForm(forms.ModelForm[Person]):
    retain_until = DayField(
        label=_("Keep until"),
        required=False,
        help_text=_("Empty: five years after consent (LOA_PEOPLE_RETENTION_YEARS)."),
    )

    class Meta:
        model = Person
        fields = [
            "unit",
            "kind",
            "full_name",
            "position",
            "email",
            "phone",
            "expertise",
            "consent_on",
            "consent_note",
            "retain_until",
            "active",
        ]
        formfield_callback = day_formfield

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        consent_on, retain_until = data.get("consent_on"), data.get("retain_until")
        if consent_on and retain_until:
            error = retention_error(consent_on, retain_until)
            if error:
                self.add_error("retain_until", error)
        return data

    def person_data(self) -> PersonData:
        return PersonData(**self.cleaned_data)


class PersonFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PersonKind.choices], required=False)
    q = forms.CharField(label=_("Name or field"), required=False, max_length=100)


class CourseForm(forms.ModelForm[Course]):
    class Meta:
        model = Course
        fields = ["title", "unit", "topic", "starts_on", "ends_on", "hours", "place"]
        formfield_callback = day_formfield

    def course_data(self) -> CourseData:
        return CourseData(**self.cleaned_data)


class EnrolForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
