"""Public opinion reports."""

from __future__ import annotations

from loa.opinion.models import OpinionReport
from loa.units.models import Unit


def make_opinion_report(unit: Unit, label: str, *, period: str = "2026-10") -> OpinionReport:
    """The unit's submitted monthly report of `period`, with one stream on the topic 'Chủ đề <label>'."""
    from loa.accounts.scoping import SYSTEM
    from loa.opinion.services import Stream, report_save, report_submit

    report = report_save(
        user=SYSTEM,
        unit=unit,
        kind="monthly",
        period=period,
        streams=[Stream(topic=f"Chủ đề {label}", tendency="agree", breadth="da_so")],
    )
    return report_submit(user=SYSTEM, report=report)
