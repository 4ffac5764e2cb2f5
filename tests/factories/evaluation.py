"""Evaluation rounds."""

from __future__ import annotations

from decimal import Decimal

from loa.evaluation.models import Round
from loa.units.models import Unit


def make_round(unit: Unit, label: str, *, year: int = 2026) -> Round:
    """The unit's round 'Đợt <label>' of `year`, on one criterion worth 100 points."""
    from loa.accounts.scoping import SYSTEM
    from loa.evaluation.services import CriterionSpec, RoundData, round_open

    return round_open(
        user=SYSTEM,
        unit=unit,
        data=RoundData(year=year, title=f"Đợt {label}"),
        criteria=[CriterionSpec("Toàn bộ", Decimal(100))],
    )
