"""Letterheads and prepared reports."""

from __future__ import annotations

import datetime as dt

from loa.reports.models import Report
from loa.units.models import Unit

# One chart in one section: enough for the report's pages, its export and its chart image.
CHART = {"kind": "bars", "title": "Số bài", "labels": ["EVN"], "values": [3], "series": {}, "unit": ""}


def make_report(unit: Unit, label: str) -> Report:
    """October 2026's monthly report 'Báo cáo <label>' of the unit, on its letterhead 'TIÊU ĐỀ <label>'."""
    from loa.accounts.scoping import SYSTEM
    from loa.reports.services import letterhead_ensure, letterhead_save

    letterhead = letterhead_save(user=SYSTEM, letterhead=letterhead_ensure(unit=unit), issuer=f"TIÊU ĐỀ {label}")
    return Report.objects.create(
        unit=unit,
        letterhead=letterhead,
        kind="month",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        label="tháng 10 năm 2026",
        summary=f"Báo cáo {label}",
        figures={"sections": [{"key": "x", "title": "T", "paragraphs": [], "tables": [], "charts": [CHART]}]},
        prepared_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
