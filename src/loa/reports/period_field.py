"""Choosing a report period instead of typing "2026-Q3": one form field for every period box.

`PeriodField` shows the kind (month, quarter, half year, year, several years), the year, the
number within the year and, for several years, the last year; it works without JavaScript. It
cleans to the same text the services and the CLI take (`2026-09`, `2026-Q3`, `2026-H1`, `2026`,
`2021-2025`, read by `loa.reports.periods.parse_period`), so a form that asked for that text
before keeps its services unchanged. A form may offer fewer kinds: the opinion report is monthly.
A post carrying the text itself (`period=2026-09`) is still read, for scripts and old links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from loa.reports.models import ReportKind
from loa.reports.periods import PeriodError, parse_period

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SPAN_YEARS = 20
KINDS = tuple(kind for kind, _label in ReportKind.choices)


def period_text(kind: str, year: int, number: int | None = None, end: int | None = None) -> str:
    """The period as the services write it."""
    if kind == "month":
        return f"{year}-{number:02d}"
    if kind == "quarter":
        return f"{year}-Q{number}"
    if kind == "half":
        return f"{year}-H{number}"
    if kind == "years":
        return f"{year}-{end}"
    return f"{year}"


def last_period(kinds: Sequence[str], today: dt.date | None = None) -> str:
    """The default: the last month (else quarter, half, year) that has ended by `today`, the
    period a report is usually written for."""
    today = today or timezone.localdate()
    kind = next(kind for kind in ("month", "quarter", "half", "year", "years") if kind in kinds)
    if kind == "month":
        previous = today.replace(day=1) - dt.timedelta(days=1)
        return period_text("month", previous.year, previous.month)
    if kind in ("quarter", "half"):
        months = 3 if kind == "quarter" else 6
        current = (today.month - 1) // months  # 0-based index of the running one
        year, number = (today.year, current) if current else (today.year - 1, 12 // months)
        return period_text(kind, year, number)
    if kind == "year":
        return period_text("year", today.year - 1)
    return period_text("years", today.year - 5, end=today.year - 1)


class PeriodWidget(forms.MultiWidget):
    """Kind, year, number, last year; a single kind is carried hidden, and the last year only
    shows when several years may be chosen."""

    template_name = "reports/widgets/period.html"

    def __init__(self, kinds: Sequence[str] = KINDS, attrs: dict[str, Any] | None = None) -> None:
        self.kinds = tuple(kinds)
        labels = dict(ReportKind.choices)
        year_attrs = {"min": FIRST_YEAR, "max": LAST_YEAR, "step": 1, "inputmode": "numeric", "class": "year"}
        single = len(self.kinds) == 1
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "kind": forms.HiddenInput()
            if single
            else forms.Select(choices=[(kind, capfirst(labels[kind])) for kind in self.kinds]),
            "year": forms.NumberInput(attrs=year_attrs),
            "number": forms.HiddenInput()
            if set(self.kinds) <= {"year", "years"}
            else forms.Select(choices=[("", "—"), *((str(number), str(number)) for number in range(1, 13))]),
            "end": forms.NumberInput(attrs=year_attrs) if "years" in self.kinds else forms.HiddenInput(),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if not value:
            return [None, None, None, None]
        try:
            period = parse_period(str(value))
        except PeriodError:
            return [None, None, None, None]
        start = period.start
        number = {"month": start.month, "quarter": (start.month - 1) // 3 + 1, "half": 1 if start.month < 7 else 2}
        end = period.end.year if period.kind == "years" else None
        return [period.kind, start.year, number.get(period.kind), end]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if f"{name}_kind" not in data and name in data:
            return str(data.get(name))  # the period written out, as before the chooser
        return super().value_from_datadict(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        only_months = self.kinds == ("month",)
        labels = [_("Kind of period"), _("Year"), _("Month") if only_months else _("Number"), _("To the year")]
        context["widget"]["parts"] = list(zip(labels, context["widget"]["subwidgets"], strict=True))
        context["widget"]["hint"] = (
            ""
            if len(self.kinds) == 1
            else _("Number: the month (1–12), the quarter (1–4) or the half (1: January–June, 2: July–December).")
        )
        return context


class PeriodField(forms.MultiValueField):
    """A chosen report period, cleaned to its text ("2026-Q3")."""

    default_error_messages = {
        "incomplete": _("Choose the kind of period and give the year."),
        "invalid": _("Choose the period: its kind, its year and its number."),
    }

    def __init__(self, *, kinds: Sequence[str] = KINDS, **kwargs: Any) -> None:
        self.kinds = tuple(kinds)
        year_errors = {
            "invalid": _("The year is a number such as 2026."),
            "min_value": _("The year is between 2000 and 2100."),
            "max_value": _("The year is between 2000 and 2100."),
        }
        fields = (
            forms.ChoiceField(
                choices=[(kind, kind) for kind in self.kinds],
                error_messages={"invalid_choice": _("Choose a kind of period from the list.")},
            ),
            forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=year_errors),
            forms.IntegerField(required=False),
            forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages=year_errors),
        )
        kwargs.setdefault("initial", partial(last_period, self.kinds))
        super().__init__(fields=fields, require_all_fields=False, widget=PeriodWidget(self.kinds), **kwargs)

    def clean(self, value: Any) -> Any:
        if isinstance(value, str):  # the period written out
            if not value.strip() and not self.required:
                return ""
            try:
                parse_period(value)
            except PeriodError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            value = PeriodWidget(self.kinds).decompress(value)
        if len(self.kinds) == 1 and isinstance(value, list) and value and not value[0]:
            value = [self.kinds[0], *value[1:]]
        return super().clean(value)

    def compress(self, data_list: list[Any]) -> str:
        if not data_list:
            return ""
        kind, year, number, end = (list(data_list) + [None] * 4)[:4]
        if kind not in self.kinds or year is None:
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if kind == "month" and not (number and 1 <= number <= 12):
            raise ValidationError(_("Choose the month, 1 to 12."), code="number")
        if kind == "quarter" and not (number and 1 <= number <= 4):
            raise ValidationError(_("A quarter is numbered 1 to 4."), code="number")
        if kind == "half" and not (number and 1 <= number <= 2):
            raise ValidationError(_("A half year is 1 (January to June) or 2 (July to December)."), code="number")
        if kind == "years":
            if end is None or end <= year:
                raise ValidationError(_("For several years, give the last year; it comes after the first."), code="end")
            if end - year > MAX_SPAN_YEARS:
                raise ValidationError(_("Several years span at most 20 years."), code="end")
        text = period_text(kind, year, number, end)
        try:
            parse_period(text)  # the services' own reading must agree
        except PeriodError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return text
