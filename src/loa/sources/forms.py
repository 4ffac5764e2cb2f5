"""Forms for the source registry (validation of input; the services do the writing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.accounts.scoping import Actor
from loa.sources.models import OutletTier, SourceKind
from loa.units.models import Unit
from loa.units.selectors import unit_list


class SourceForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=1000, assume_scheme="https")
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    outlet_name = forms.CharField(
        label=_("Outlet"), max_length=200, required=False, help_text=_("Left empty, the host name is used.")
    )
    tier = forms.TypedChoiceField(
        label=_("Prominence"), choices=OutletTier.choices, coerce=int, initial=OutletTier.STANDARD
    )
    link_pattern = forms.CharField(label=_("Link pattern"), max_length=300, required=False)
    interval_minutes = forms.IntegerField(
        label=_("Polling interval (minutes)"), min_value=1, max_value=1440, initial=10
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    owner_unit = forms.ModelChoiceField(
        label=_("Owner unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Its staff are warned about the source's health; empty: the staff who manage sources."),
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_unit"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = unit_list(user=user)
