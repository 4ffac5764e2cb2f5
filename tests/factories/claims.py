"""Claims of the register."""

from __future__ import annotations

import datetime as dt

from loa.claims.models import Addressee, Claim, ContentRequest, RequestKind
from loa.units.models import Unit


def make_claim(unit: Unit, label: str) -> Claim:
    """The claim 'Luận điệu <label>' of the unit."""
    return Claim.objects.create(
        unit=unit,
        title=f"Luận điệu {label}",
        statement=f"{label} che giấu thua lỗ.",
        why_false="Báo cáo tài chính đã kiểm toán công bố công khai.",
    )


def make_content_request(unit: Unit, label: str, *, claim: Claim | None = None) -> ContentRequest:
    """A removal request of the unit sent to 'Tòa soạn nhận <label>' about a stored article."""
    from tests.factories.articles import make_article

    article = make_article(f"Bài bị đề nghị gỡ {label}")
    sent = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    return ContentRequest.objects.create(
        unit=unit,
        claim=claim,
        article=article,
        url=article.url,
        kind=RequestKind.REMOVAL,
        addressee_kind=Addressee.OUTLET,
        addressee=f"Tòa soạn nhận {label}",
        legal_basis="Điều 42 Luật Báo chí 2016.",
        text_sent="Đề nghị gỡ bỏ bài viết sai sự thật.",
        sent_at=sent,
        deadline=dt.date(2026, 3, 9),
        original_text=f"{article.title}\n{article.body}",
        original_captured_at=sent,
        original_sha256="0" * 64,
        next_check_at=sent + dt.timedelta(hours=1),
    )
