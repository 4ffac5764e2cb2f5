"""The period chooser: kind, year, number (and last year) make the text the services read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.utils import timezone

from loa.reports.period_field import PeriodField, last_period


class Form(forms.Form):
    period = PeriodField(label="Kỳ")


class MonthForm(forms.Form):
    period = PeriodField(label="Kỳ", kinds=("month",))


def parts(kind: str, year: Any, number: Any = "", end: Any = "") -> dict[str, Any]:
    return {"period_kind": kind, "period_year": year, "period_number": number, "period_end": end}


@pytest.mark.parametrize(
    ("chosen", "text"),
    [
        (parts("month", 2026, 9), "2026-09"),
        (parts("quarter", 2026, 3), "2026-Q3"),
        (parts("half", 2026, 1), "2026-H1"),
        (parts("year", 2026, 7), "2026"),  # the number means nothing for a whole year
        (parts("years", 2021, "", 2025), "2021-2025"),
    ],
)
def test_the_parts_make_the_period_the_services_read(chosen: dict[str, Any], text: str) -> None:
    form = Form(chosen)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period"] == text


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (parts("quarter", 2026, 5), "Quý được đánh số từ 1 đến 4."),
        (parts("half", 2026, 3), "Kỳ 6 tháng là 1 (từ tháng 1 đến tháng 6) hoặc 2 (từ tháng 7 đến tháng 12)."),
        (parts("month", 2026, ""), "Hãy chọn tháng, từ 1 đến 12."),
        (parts("years", 2025, "", 2021), "Với kỳ nhiều năm, hãy nhập năm cuối; năm cuối phải sau năm đầu."),
        (parts("years", 2000, "", 2030), "Kỳ nhiều năm dài tối đa 20 năm."),
        (parts("month", 1999, 1), "Năm phải từ 2000 đến 2100."),
        (parts("month", "", 1), "Hãy chọn loại kỳ và nhập năm."),
        (parts("week", 2026, 1), "Hãy chọn loại kỳ trong danh sách."),
    ],
)
def test_impossible_choices_say_what_is_wrong(chosen: dict[str, Any], message: str) -> None:
    form = Form(chosen)
    assert not form.is_valid()
    assert message in form.errors["period"]


def test_the_period_written_out_is_still_read() -> None:
    form = Form({"period": "2026-q3"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period"] == "2026-Q3"
    bad = Form({"period": "quý ba"})
    assert not bad.is_valid()
    assert "Hãy chọn kỳ: loại kỳ, năm và số thứ tự." in bad.errors["period"]


def test_a_monthly_form_offers_months_only() -> None:
    form = MonthForm(parts("", 2026, 11))  # the kind is carried hidden
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period"] == "2026-11"
    assert not MonthForm(parts("quarter", 2026, 3)).is_valid()
    html = str(MonthForm()["period"])
    assert '<input type="hidden" name="period_kind" value="month"' in html
    assert "<span>Tháng</span>" in html
    assert 'name="period_end"' in html and 'type="hidden" name="period_end"' in html  # noqa: PT018


def test_the_chooser_shows_each_part_and_keeps_a_refused_choice() -> None:
    html = str(Form(parts("quarter", 2026, 5))["period"])
    assert '<select name="period_kind"' in html
    assert '<option value="quarter" selected>Quý</option>' in html
    assert 'name="period_year" value="2026"' in html
    assert '<option value="5" selected>5</option>' in html
    assert '<input type="number" name="period_end"' in html


@pytest.mark.parametrize(
    ("today", "kinds", "expected"),
    [
        (dt.date(2027, 1, 1), ("month",), "2026-12"),
        (dt.date(2026, 12, 1), ("month", "quarter"), "2026-11"),
        (dt.date(2027, 2, 10), ("quarter",), "2026-Q4"),
        (dt.date(2026, 8, 31), ("quarter",), "2026-Q2"),
        (dt.date(2026, 8, 31), ("half",), "2026-H1"),
        (dt.date(2026, 3, 1), ("half",), "2025-H2"),
        (dt.date(2026, 3, 1), ("year",), "2025"),
    ],
)
def test_the_default_is_the_last_period_ended(today: dt.date, kinds: tuple[str, ...], expected: str) -> None:
    assert last_period(kinds, today) == expected


def test_an_unbound_form_starts_at_last_month() -> None:
    previous = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    html = str(Form()["period"])
    assert f'name="period_year" value="{previous.year}"' in html
    assert f'<option value="{previous.month}" selected>{previous.month}</option>' in html
    assert '<option value="month" selected>' in html
