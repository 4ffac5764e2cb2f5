"""The periodic report's section on countering false claims: the claims active in the period
and their confirmed coverage, the answers approved, and the correction and removal requests sent
with what became of them. Registered with loa.reports.sections by ClaimsConfig.ready."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.db.models.functions import Coalesce

from loa.claims.models import (
    Claim,
    ClaimMatch,
    ClaimStatus,
    ContentRequest,
    MatchStatus,
    Outcome,
    RebuttalStatus,
    RebuttalVersion,
)
from loa.reports.sections import ReportScope, Section, TableData, number

TITLE = "ĐẤU TRANH PHẢN BÁC THÔNG TIN SAI TRÁI"
STATUS_WORDS: dict[str, str] = {
    ClaimStatus.WATCHING: "Đang theo dõi",
    ClaimStatus.ANSWERED: "Đã trả lời",
    ClaimStatus.DORMANT: "Lắng xuống",
}
# The outcomes in the order the report names them; "could not be fetched" only when it occurred.
OUTCOME_WORDS = [
    (Outcome.REMOVED, "đã gỡ bỏ"),
    (Outcome.CORRECTED, "đã đăng cải chính"),
    (Outcome.EDITED, "đã sửa nội dung"),
    (Outcome.UNCHANGED, "không thay đổi"),
    (Outcome.PENDING, "chưa kiểm tra"),
    (Outcome.UNREACHABLE, "không truy cập được"),
]


def claims_section(scope: ReportScope) -> Section | None:
    # Coverage is counted by when it was published (or stored, when the page gave no date): an
    # archive imported today is not coverage of today.
    coverage = (
        ClaimMatch.objects.filter(scope.units_q("claim__unit"), status=MatchStatus.CONFIRMED)
        .annotate(day=Coalesce("article__published_at", "article__created_at"))
        .filter(day__gte=scope.start, day__lt=scope.end)
        .values("claim_id")
        .annotate(items=Count("id"))
    )
    counts = {row["claim_id"]: row["items"] for row in coverage}
    approved = list(
        RebuttalVersion.objects.filter(
            scope.units_q("rebuttal__claim__unit"),
            status__in=(RebuttalStatus.APPROVED, RebuttalStatus.SUPERSEDED),
            approved_at__gte=scope.start,
            approved_at__lt=scope.end,
        ).values_list("rebuttal__claim_id", flat=True)
    )
    requests = list(
        ContentRequest.objects.filter(
            scope.units_q("unit"), sent_at__gte=scope.start, sent_at__lt=scope.end
        ).values_list("outcome", flat=True)
    )
    if not counts and not approved and not requests:
        return None
    claims = list(
        Claim.objects.filter(pk__in=set(counts) | set(approved)).select_related("unit").order_by("title", "id")
    )
    answered_now = Claim.objects.filter(scope.units_q("unit"), status=ClaimStatus.ANSWERED).count()
    answers_per_claim = Counter(approved)
    section = Section(key="claims", title=TITLE)
    section.paragraphs.append(
        f"Trong {scope.period.label}, {number(len(counts))} luận điệu sai trái được ghi nhận "
        f"có xuất hiện trên báo chí, mạng xã hội với {number(sum(counts.values()))} tin, bài đã được xác nhận; "
        f"{number(len(approved))} lập luận phản bác được lãnh đạo phê duyệt để sử dụng. "
        f"Đến thời điểm lập báo cáo, {number(answered_now)} luận điệu đã được trả lời."
    )
    if requests:
        outcomes = Counter(requests)
        parts = [f"{number(outcomes[value])} {words}" for value, words in OUTCOME_WORDS if outcomes[value]]
        section.paragraphs.append(
            f"Đã gửi {number(len(requests))} đề nghị cải chính, gỡ bỏ thông tin sai sự thật; kết quả: "
            + ", ".join(parts)
            + "."
        )
    if claims:
        section.tables.append(
            TableData(
                title="Các luận điệu trong kỳ",
                header=["Luận điệu", "Đơn vị", "Tin, bài xác nhận trong kỳ", "Lập luận được phê duyệt", "Tình trạng"],
                rows=[
                    [
                        claim.title,
                        claim.unit.short_name or claim.unit.name,
                        number(counts.get(claim.pk, 0)),
                        number(answers_per_claim.get(claim.pk, 0)),
                        STATUS_WORDS.get(claim.status, claim.status),
                    ]
                    for claim in claims
                ],
            )
        )
    if requests:
        outcomes = Counter(requests)
        section.tables.append(
            TableData(
                title="Kết quả các đề nghị cải chính, gỡ bỏ",
                header=["Kết quả", "Số đề nghị"],
                rows=[
                    [words[:1].upper() + words[1:], number(outcomes[value])]
                    for value, words in OUTCOME_WORDS
                    if value != Outcome.UNREACHABLE or outcomes[value]
                ],
            )
        )
    return section
