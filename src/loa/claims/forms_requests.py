"""The form of a correction, reply or removal request (input checks; the services write)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loa.claims.models import Addressee, RequestKind
from loa.claims.services_requests import LEGAL_BASES
from loa.core.forms import DayField

LEGAL_BASIS_CHOICES = [
    ("press_law_42", _("Press Law 2016, Article 42 (correction and reply in the press)")),
    ("decree_147", _("Decree 147/2024/NĐ-CP (removal of unlawful information online)")),
    ("", _("Other (write it below)")),
]


class RequestForm(forms.Form):
    article = forms.CharField(
        label=_("Item (its number in Loa or its address)"),
        max_length=2000,
        help_text=_("The item must already be in Loa; its page shows its number."),
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    claim = forms.TypedChoiceField(label=_("Claim"), coerce=int, required=False, empty_value=None)
    incident = forms.TypedChoiceField(label=_("Incident"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    addressee_kind = forms.ChoiceField(label=pgettext_lazy("request", "Sent to"), choices=Addressee.choices)
    addressee = forms.CharField(
        label=_("Recipient"), max_length=300, help_text=_("The newsroom, platform or authority, not a person.")
    )
    legal_basis_preset = forms.ChoiceField(label=_("Legal basis"), choices=LEGAL_BASIS_CHOICES, required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis as cited"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Left empty, the text of the basis chosen above is used; edit it as the letter cites it."),
    )
    text_sent = forms.CharField(label=_("Text sent"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    sent_on = DayField(label=_("Sent on"))
    sent_time = forms.TimeField(
        label=_("Time sent (hh:mm)"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm", "size": "5", "maxlength": "5"}),
    )
    deadline = DayField(label=_("Deadline for an answer"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("legal_basis") or "").strip():
            preset = data.get("legal_basis_preset") or ""
            if preset in LEGAL_BASES:
                data["legal_basis"] = LEGAL_BASES[preset]
            else:
                self.add_error("legal_basis", _("Cite the legal basis of the request."))
        day, time = data.get("sent_on"), data.get("sent_time")
        if isinstance(day, dt.date) and isinstance(time, dt.time):
            data["sent_at"] = timezone.make_aware(dt.datetime.combine(day, time))
        return data
