from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.core.forms import DayField
from loa.digests.models import DigestProfile
from loa.digests.services import ProfileData


class IntroductionForm(forms.Form):
    introduction = forms.CharField(
        label=_("Editor's introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddForm(forms.Form):
    article = forms.CharField(label=_("Article"), help_text=_("Its address or its number in Loa."), max_length=2000)
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False, empty_value=None)


class BuildForm(forms.Form):
    profile = forms.TypedChoiceField(label=_("Profile"), coerce=int)
    day = DayField(label=_("Date"))


class ProfileForm(forms.ModelForm[DigestProfile]):
    class Meta:
        model = DigestProfile
        fields = [
            "name",
            "unit",
            "letterhead",
            "build_at",
            "organisations",
            "topics",
            "max_items",
            "recipients",
            "distribution",
            "signature_mode",
            "signature_body",
            "signer_position",
            "signer_name",
            "enabled",
        ]
        widgets = {
            "build_at": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "distribution": forms.Textarea(attrs={"rows": 3}),
            "organisations": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(**{**data, "organisations": list(data["organisations"]), "topics": list(data["topics"])})
