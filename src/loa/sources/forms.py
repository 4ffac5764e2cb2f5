"""Forms for the source registry (validation of input; the services do the writing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from loa.accounts.scoping import Actor
from loa.pipeline.connectors import facebook, telegram, youtube
from loa.pipeline.outcomes import StageError
from loa.sources.models import OutletTier, SourceKind
from loa.units.models import Unit
from loa.units.selectors import unit_list


class SourceForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=1000, assume_scheme="https")
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SourceKind.choices,
        help_text=_(
            "YouTube: the channel's page (…/channel/UC…) or feed; Facebook: the page (facebook.com/ID), "
            "its page token in LOA_FACEBOOK_PAGE_TOKENS; Telegram: t.me/NAME; forum: a section's feed "
            "or listing page."
        ),
    )
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

    def clean(self) -> dict[str, Any]:
        """A platform's address must be one its connector reads (and a Facebook page needs its
        token in the settings): said now rather than at the first poll."""
        data = super().clean() or {}
        url, kind = data.get("url") or "", data.get("kind")
        if not url:
            return data
        try:
            if kind == SourceKind.YOUTUBE:
                youtube.feed_url(url)
            elif kind == SourceKind.TELEGRAM:
                telegram.preview_url(url)
        except StageError:
            self.add_error("url", _("This is not an address of that kind of source."))
        if kind == SourceKind.FACEBOOK:
            page = facebook.page_id(url)
            if not page:
                self.add_error("url", _("Give the page's address, e.g. https://www.facebook.com/PAGE_ID."))
            elif page not in settings.LOA_FACEBOOK_PAGE_TOKENS:
                self.add_error(
                    "url",
                    _("No page token for page %(page)s: add it to LOA_FACEBOOK_PAGE_TOKENS first.") % {"page": page},
                )
        return data
