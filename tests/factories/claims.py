"""Claims of the register."""

from __future__ import annotations

from loa.claims.models import Claim
from loa.units.models import Unit


def make_claim(unit: Unit, label: str) -> Claim:
    """The claim 'Luận điệu <label>' of the unit."""
    return Claim.objects.create(
        unit=unit,
        title=f"Luận điệu {label}",
        statement=f"{label} che giấu thua lỗ.",
        why_false="Báo cáo tài chính đã kiểm toán công bố công khai.",
    )
