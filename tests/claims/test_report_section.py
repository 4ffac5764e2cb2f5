"""The periodic report's section on countering false claims, in the report's unit subtree."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest

from loa.accounts.scoping import SYSTEM
from loa.articles.models import Article
from loa.claims.models import Claim, ClaimMatch, ClaimStatus, ContentRequest, MatchStatus, MatchVia, Outcome
from loa.reports import documents, services
from loa.reports.models import Report
from loa.units.models import Unit
from tests.factories import Tree, make_article
from tests.factories.claims import make_claim
from tests.factories.rebuttals import make_rebuttal

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 2, 9, tzinfo=VN)


def _confirmed(claim: Claim, when: dt.datetime) -> Article:
    article = make_article(f"Bài về {claim.title} ngày {when:%d/%m}", published_at=when)
    ClaimMatch.objects.create(claim=claim, article=article, via=MatchVia.RULE, status=MatchStatus.CONFIRMED)
    return article


def _request(claim: Claim, article: Article, outcome: str, sent: dt.datetime) -> ContentRequest:
    return ContentRequest.objects.create(
        unit=claim.unit,
        claim=claim,
        article=article,
        url=article.url,
        kind="correction",
        addressee_kind="outlet",
        addressee="Tòa soạn Báo Thử",
        legal_basis="Điều 42 Luật Báo chí 2016",
        text_sent="Đề nghị cải chính thông tin sai sự thật.",
        sent_at=sent,
        deadline=sent.date() + dt.timedelta(days=7),
        outcome=outcome,
    )


def _report(unit: Unit, period: str = "2026-10") -> Report:
    return services.report_prepare(
        user=SYSTEM, unit=unit, letterhead=services.letterhead_ensure(unit=unit), period=period, now=NOW
    )


def _section(report: Report) -> dict[str, Any] | None:
    return next((item for item in report.figures["sections"] if item["key"] == "claims"), None)


@pytest.fixture
def october(tree: Tree) -> None:
    evn = make_claim(tree.evn_a, "EVN")
    evn.status = ClaimStatus.ANSWERED
    evn.save(update_fields=["status"])
    first = _confirmed(evn, dt.datetime(2026, 10, 3, 9, tzinfo=VN))
    _confirmed(evn, dt.datetime(2026, 10, 20, 9, tzinfo=VN))
    _confirmed(evn, dt.datetime(2026, 9, 28, 9, tzinfo=VN))  # before the period
    proposed = make_article("Bài chưa xác nhận", published_at=dt.datetime(2026, 10, 5, tzinfo=VN))
    ClaimMatch.objects.create(claim=evn, article=proposed, via=MatchVia.SIMILARITY)  # not confirmed
    make_rebuttal(evn, "EVN", approved_at=dt.datetime(2026, 10, 6, 9, tzinfo=VN))
    make_rebuttal(evn, "EVN cũ", approved_at=dt.datetime(2026, 9, 6, 9, tzinfo=VN))  # before the period
    for outcome, day in ((Outcome.REMOVED, 4), (Outcome.CORRECTED, 5), (Outcome.PENDING, 30), (Outcome.UNCHANGED, 9)):
        _request(evn, first, outcome, dt.datetime(2026, 10, day, 9, tzinfo=VN))
    _request(evn, first, Outcome.REMOVED, dt.datetime(2026, 11, 1, 9, tzinfo=VN))  # after the period
    pvn = make_claim(tree.pvn, "PVN")
    _confirmed(pvn, dt.datetime(2026, 10, 10, 9, tzinfo=VN))
    _request(pvn, first, Outcome.EDITED, dt.datetime(2026, 10, 11, 9, tzinfo=VN))


def test_the_section_counts_claims_answers_and_requests_of_the_subtree(tree: Tree, october: None) -> None:
    section = _section(_report(tree.evn))
    assert section is not None
    assert section["title"] == "ĐẤU TRANH PHẢN BÁC THÔNG TIN SAI TRÁI"
    first, second = section["paragraphs"]
    assert "1 luận điệu" in first
    assert "2 tin, bài" in first
    assert "1 lập luận" in first
    assert "1 luận điệu đã được trả lời" in first
    assert second.startswith("Đã gửi 4 đề nghị")
    assert "1 đã gỡ bỏ, 1 đã đăng cải chính, 1 không thay đổi, 1 chưa kiểm tra" in second
    claims, outcomes = section["tables"]
    assert claims["rows"] == [["Luận điệu EVN", tree.evn_a.short_name, "2", "1", "Đã trả lời"]]
    assert dict((row[0], row[1]) for row in outcomes["rows"]) == {
        "Đã gỡ bỏ": "1",
        "Đã đăng cải chính": "1",
        "Đã sửa nội dung": "0",
        "Không thay đổi": "1",
        "Chưa kiểm tra": "1",
    }


def test_the_bloc_report_counts_every_unit_and_a_quiet_unit_has_no_section(tree: Tree, october: None) -> None:
    section = _section(_report(tree.bloc))
    assert section is not None
    assert "2 luận điệu" in section["paragraphs"][0]
    assert "Đã gửi 5 đề nghị" in section["paragraphs"][1]
    assert _section(_report(tree.evn_b)) is None
    assert _section(_report(tree.evn, period="2026-08")) is None


def test_the_section_is_in_the_report_document(tree: Tree, october: None) -> None:
    report = _report(tree.evn)
    docx = documents.document_bytes(documents.report_document(report), "docx")
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "ĐẤU TRANH PHẢN BÁC THÔNG TIN SAI TRÁI" in xml
    assert "Luận điệu EVN" in xml
    assert "Kết quả các đề nghị cải chính, gỡ bỏ" in xml
