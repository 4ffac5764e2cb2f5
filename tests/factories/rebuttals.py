"""Arguments of the rebuttal library."""

from __future__ import annotations

import datetime as dt

from loa.claims.models import Claim, Evidence, EvidenceKind, Rebuttal, RebuttalStatus, RebuttalVersion

APPROVED_AT = dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC)


def make_rebuttal(claim: Claim, label: str, *, approved_at: dt.datetime = APPROVED_AT) -> Rebuttal:
    """The argument 'Lập luận <label>' against `claim`, approved in its first version, with a figure."""
    rebuttal = Rebuttal.objects.create(claim=claim, title=f"Lập luận {label}")
    version = RebuttalVersion.objects.create(
        rebuttal=rebuttal,
        number=1,
        text=f"Báo cáo tài chính năm 2025 của {label} đã được kiểm toán độc lập và công bố.",
        status=RebuttalStatus.APPROVED,
        approved_at=approved_at,
    )
    Evidence.objects.create(
        version=version, kind=EvidenceKind.FIGURE, description="Lợi nhuận sau thuế dương", reference="Báo cáo kiểm toán"
    )
    return rebuttal
