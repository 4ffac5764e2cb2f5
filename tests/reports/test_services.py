"""Periodic reports: figures from coverage and incidents, numbering, the document with its charts."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.docformat.layout import date_line
from loa.reports import documents, services
from loa.reports.models import Letterhead, ReportStatus
from tests.documents import need, ocr, pdf_to_png, pdf_words, read_as
from tests.factories import Tree

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def section(report: Any, key: str) -> dict[str, Any]:
    return next(item for item in report.figures["sections"] if item["key"] == key)


def test_figures_count_coverage_tone_share_and_incidents(tree: Tree, board: Letterhead, october: None) -> None:
    report = services.report_prepare(
        user=SYSTEM, unit=tree.bloc, letterhead=board, period="2026-10", now=dt.datetime(2026, 11, 2, tzinfo=VN)
    )
    assert report.summary == "Tình hình thông tin, tuyên truyền tháng 10 năm 2026"
    coverage = section(report, "coverage")
    volume = coverage["tables"][0]
    assert volume["rows"][0][:3] == ["EVN", "4", "2"]
    assert volume["rows"][1][:3] == ["PVN", "1", "0"]
    assert volume["rows"][0][4] == "80,0%"
    kinds = [chart["kind"] for chart in coverage["charts"]]
    assert kinds == ["bars", "tone", "bars"]
    tone = coverage["charts"][1]
    assert len(tone["labels"]) == 31
    assert sum(tone["series"]["negative"]) == 2
    assert tone["series"]["negative"][2] == 1  # 03/10
    assert "5 bài viết" in coverage["paragraphs"][0]
    incidents = section(report, "incidents")
    assert "1 vụ việc" in incidents["paragraphs"][0]
    assert "3,0 giờ" in incidents["paragraphs"][0]
    assert incidents["tables"][0]["rows"][0][0] == "Phản ánh hóa đơn tiền điện"


def test_a_unit_report_counts_its_own_organisations_only(tree: Tree, october: None) -> None:
    report = services.report_prepare(
        user=SYSTEM,
        unit=tree.pvn,
        letterhead=services.letterhead_ensure(unit=tree.pvn),
        period="2026-10",
        now=dt.datetime(2026, 11, 2, tzinfo=VN),
    )
    rows = section(report, "coverage")["tables"][0]["rows"]
    assert [row[0] for row in rows] == ["PVN"]
    assert "0 vụ việc" in section(report, "incidents")["paragraphs"][0]


def test_numbers_run_per_type_for_the_term_and_only_leaders_issue(
    tree: Tree, board: Letterhead, users: dict[str, User]
) -> None:
    now = dt.datetime(2026, 11, 2, tzinfo=VN)
    first = services.report_prepare(
        user=users["bloc_staff"], unit=tree.bloc, letterhead=board, period="2026-09", now=now
    )
    second = services.report_prepare(
        user=users["bloc_staff"], unit=tree.bloc, letterhead=board, period="2026-10", now=now
    )
    with pytest.raises(PermissionDenied):
        services.report_issue(user=users["bloc_staff"], report=first)
    issued = services.report_issue(user=SYSTEM, report=first, day=dt.date(2026, 11, 3))
    assert issued.symbol == "1-BC/BTGDV"
    assert issued.status == ReportStatus.ISSUED
    assert services.report_issue(user=SYSTEM, report=second).symbol == "2-BC/BTGDV"
    with pytest.raises(ValidationError, match="1-BC/BTGDV"):
        services.report_issue(user=SYSTEM, report=first)
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.report_update(user=SYSTEM, report=issued, summary="x", assessment="", directions="")
    # A new term starts the count again.
    services.letterhead_save(user=SYSTEM, letterhead=board, term_start=dt.date(2030, 10, 1))
    third = services.report_prepare(user=SYSTEM, unit=tree.bloc, letterhead=board, period="2026-08", now=now)
    assert services.report_issue(user=SYSTEM, report=third).symbol == "1-BC/BTGDV"


def test_prepare_refuses_future_periods_and_nonsense(tree: Tree, board: Letterhead, users: dict[str, User]) -> None:
    now = dt.datetime(2026, 11, 2, tzinfo=VN)
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        services.report_prepare(user=SYSTEM, unit=tree.bloc, letterhead=board, period="2027", now=now)
    with pytest.raises(ValidationError, match="unknown period"):
        services.report_prepare(user=SYSTEM, unit=tree.bloc, letterhead=board, period="quý ba", now=now)
    with pytest.raises(PermissionDenied):
        services.report_prepare(user=users["evn_staff"], unit=tree.bloc, letterhead=board, period="2026", now=now)


def test_issued_report_pdf_reads_back_with_header_symbol_date_and_charts(
    tree: Tree, board: Letterhead, october: None, tmp_path: Path
) -> None:
    need("soffice", "pdftoppm", "pdftotext", "pdfimages", "tesseract")
    report = services.report_prepare(
        user=SYSTEM, unit=tree.bloc, letterhead=board, period="2026-10", now=dt.datetime(2026, 11, 2, tzinfo=VN)
    )
    services.report_update(
        user=SYSTEM,
        report=report,
        summary=report.summary,
        assessment="Thông tin về các doanh nghiệp cơ bản tích cực.",
        directions="Chủ động cung cấp thông tin cho báo chí.",
    )
    report = services.report_issue(user=SYSTEM, report=report, day=dt.date(2026, 11, 3))
    docx = documents.document_bytes(documents.report_document(report), "docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert len([name for name in archive.namelist() if name.startswith("word/media/")]) == 3
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(documents.document_bytes(documents.report_document(report), "pdf"))

    png = pdf_to_png(pdf)
    right = ocr(png, crop=(0.5, 0.0, 1.0, 0.2))
    left = ocr(png, crop=(0.0, 0.0, 0.52, 0.22))
    assert read_as(right, "ĐẢNG CỘNG SẢN VIỆT NAM"), right
    assert read_as(right, date_line("Hà Nội", dt.date(2026, 11, 3))), right
    assert read_as(left, "Số 1-BC/BTGDV"), left
    words = {word.text: word for word in reversed(pdf_words(pdf))}
    assert words["1-BC/BTGDV"].x < 0.5
    assert words["CỘNG"].x > 0.5

    # The three charts are in the PDF as images.
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len([line for line in images.splitlines()[2:] if " image " in line]) >= 3
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Biểu đồ 1.", "Biểu đồ 3.", "NHẬN XÉT, ĐÁNH GIÁ", "Nguyễn Thị Minh", "Nơi nhận:"):
        assert expected in text
