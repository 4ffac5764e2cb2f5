"""The coverage page's question: up to four series (each a subject, a query or both), a range of
days, an interval, which articles count and whether as counts or as shares of all coverage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loa.accounts.scoping import Actor
from loa.analytics import selectors
from loa.core.forms import DayField

SERIES = 4
DEFAULT_DAYS = 30


class CoverageForm(forms.Form):
    start = DayField(label=_("From"), required=False)
    end = DayField(label=_("To"), required=False)
    interval = forms.ChoiceField(
        label=_("Interval"),
        choices=[("day", _("Day")), ("week", _("Week")), ("month", _("Month"))],
        required=False,
    )
    relevance = forms.ChoiceField(
        label=_("Articles counted for an organisation"),
        choices=[("all", _("All that name it")), ("relevant", _("Mainly or substantively about it"))],
        required=False,
    )
    measure = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("count", _("Number of articles")),
            ("share", _("Share of all coverage")),
            ("interactions", _("Interactions on social posts")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices: list[Any] = [("", "—"), *selectors.subject_choices(user=user)]
        for i in range(1, SERIES + 1):
            self.fields[f"s{i}"] = forms.ChoiceField(
                label=_("Series %(n)d") % {"n": i}, choices=choices, required=False
            )
            self.fields[f"q{i}"] = forms.CharField(
                label=_("Query %(n)d") % {"n": i},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"placeholder": _('e.g. "giá điện" OR EVN')}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            self.add_error("end", _("The end of the range is before its start."))
        data.update(
            start=start,
            end=end,
            interval=data.get("interval") or "day",
            relevance=data.get("relevance") or "all",
            measure=data.get("measure") or "count",
        )
        rows: list[tuple[selectors.Subject | None, str]] = []
        for i in range(1, SERIES + 1):
            key, query = data.get(f"s{i}") or "", (data.get(f"q{i}") or "").strip()
            subject = selectors.subject_find(user=self.user, key=key) if key else None
            if subject is not None or query:
                rows.append((subject, query))
        data["rows"] = rows
        return data

    def selections(self) -> list[tuple[str, selectors.Selection]]:
        """Each series' label and what it counts (relevance only narrows organisations)."""
        data = self.cleaned_data
        found = []
        for subject, query in data["rows"]:
            organisation = subject.organisation if subject else None
            label = " · ".join(part for part in (subject.label if subject else "", query) if part)
            found.append(
                (
                    label,
                    selectors.Selection(
                        start=data["start"],
                        end=data["end"],
                        organisation=organisation,
                        query=selectors.query_both(subject.query if subject else "", query),
                        relevance=data["relevance"] if organisation is not None else "all",
                        topic=subject.topic if subject else None,
                    ),
                )
            )
        return found
