"""Letterheads and prepared reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from loa.reports.models import Letterhead, Report
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


def make_board_letterhead(unit: Unit, **fields: Any) -> Letterhead:
    """The propaganda board's letterhead, signed by its head; `fields` add to it or change it."""
    from loa.accounts.scoping import SYSTEM
    from loa.reports.services import letterhead_ensure, letterhead_save

    board = {
        "issuer": "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "symbol": "BTGDV",
        "signer_position": "TRƯỞNG BAN",
        "signer_name": "Nguyễn Thị Minh",
    }
    return letterhead_save(user=SYSTEM, letterhead=letterhead_ensure(unit=unit), **(board | fields))
