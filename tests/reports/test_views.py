"""Report pages: preparing one, its charts on the page, writing, issuing, exports."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.reports.models import Letterhead, Report
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db


def test_prepare_write_issue_and_download(tree: Tree, board: Letterhead, october: None, users: dict[str, User]) -> None:
    staff = login(users["bloc_staff"])
    form = staff.get(reverse("reports:create"))
    assert "BAN TUYÊN GIÁO VÀ DÂN VẬN (BTGDV)" in form.content.decode()
    assert Letterhead.objects.count() == 1  # opening the form makes no letterhead
    assert '<select name="period_kind"' in form.content.decode()  # the period is chosen, not typed
    chosen = {"unit": tree.bloc.pk, "letterhead": tree.board.pk, "period_kind": "quarter", "period_year": "2026"}
    bad = staff.post(reverse("reports:create"), {**chosen, "period_number": "5"})
    assert "Quý được đánh số từ 1 đến 4." in bad.content.decode()
    assert Report.objects.count() == 0
    created = staff.post(reverse("reports:create"), {**chosen, "period_kind": "month", "period_number": "10"})
    report = Report.objects.get()
    assert created["Location"] == reverse("reports:detail", args=[report.pk])
    page = staff.get(created["Location"]).content.decode()
    assert page.count('data-testid="report-chart"') == 3
    chart = staff.get(reverse("reports:chart", args=[report.pk, 0, 1]))
    assert chart["Content-Type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")
    assert staff.get(reverse("reports:chart", args=[report.pk, 0, 9])).status_code == 404
    staff.post(
        reverse("reports:text", args=[report.pk]),
        {"summary": "Tình hình báo chí tháng 10 năm 2026", "assessment": "Tích cực.", "directions": "Chủ động."},
    )
    report.refresh_from_db()
    assert report.assessment == "Tích cực."
    assert staff.post(reverse("reports:issue", args=[report.pk])).status_code == 403
    issued = (
        login(users["admin"])
        .post(reverse("reports:issue", args=[report.pk]), {"confirm": "yes", "symbol": "1-BC/BTGDV"}, follow=True)
        .content.decode()
    )
    assert "Đã ban hành, số 1-BC/BTGDV." in issued
    report.refresh_from_db()
    assert report.issued_on == timezone.localdate()
    download = staff.get(reverse("reports:export", args=[report.pk, "docx"]))
    assert download.content.startswith(b"PK")
    assert 'filename="1-BC-BTGDV.docx"' in download["Content-Disposition"]


def test_letterhead_edit(tree: Tree, board: Letterhead, users: dict[str, User]) -> None:
    staff = login(users["bloc_staff"])
    response = staff.post(
        reverse("reports:letterhead_edit", args=[board.pk]),
        {
            "superior": "ĐẢNG ỦY KHỐI",
            "issuer": "BAN TUYÊN GIÁO",
            "symbol": "BTG",
            "place": "Hà Nội",
            "signature_mode": "T/M",
            "signature_body": "BAN THƯỜNG VỤ",
            "signer_position": "PHÓ BÍ THƯ",
            "signer_name": "Lê Văn B",
            "recipients": "Lưu VT",
            "term_start": "2025-10-01",
        },
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.symbol, board.signature_mode) == ("BTG", "T/M")


def _draft(tree: Tree, board: Letterhead, summary: str) -> Report:
    from loa.accounts.scoping import SYSTEM
    from loa.reports import services

    month = timezone.localdate().strftime("%Y-%m")
    report = services.report_prepare(user=SYSTEM, unit=tree.bloc, letterhead=board, period=month)
    return services.report_update(user=SYSTEM, report=report, summary=summary, assessment="", directions="")


def test_issuing_shows_the_number_and_asks_first(tree: Tree, board: Letterhead, users: dict[str, User]) -> None:
    from loa.accounts.scoping import SYSTEM
    from loa.reports import services

    services.report_issue(user=SYSTEM, report=_draft(tree, board, "Báo cáo đã ban hành"))
    report = _draft(tree, board, "Báo cáo chờ ban hành")
    leader = login(users["admin"])
    url = reverse("reports:issue", args=[report.pk])

    assert leader.get(url).status_code == 405
    asked = leader.post(url)  # the button on the report's page: not confirmed yet
    page = asked.content.decode()
    assert asked.status_code == 200
    assert 'data-testid="issue-number"><strong>Số 2-BC/BTGDV</strong>' in page
    assert 'name="symbol" value="2-BC/BTGDV"' in page
    assert leader.post(url, {"symbol": "2-BC/BTGDV"}).status_code == 200  # no "confirm": asks again
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.symbol == ""
    # Showing the number twice took none: the counter still stands at the first report.
    assert services.document_number_peek(letterhead=board, doc_type="BC") == 2

    done = leader.post(url, {"confirm": "yes", "symbol": "2-BC/BTGDV"})
    assert done["Location"] == reverse("reports:detail", args=[report.pk])
    report.refresh_from_db()
    assert (report.status, report.symbol) == ("issued", "2-BC/BTGDV")


def test_a_number_taken_meanwhile_is_said_not_taken_silently(
    tree: Tree, board: Letterhead, users: dict[str, User]
) -> None:
    from loa.accounts.scoping import SYSTEM
    from loa.reports import services

    first, second = _draft(tree, board, "Báo cáo thứ nhất"), _draft(tree, board, "Báo cáo thứ hai")
    leader = login(users["admin"])
    shown = leader.post(reverse("reports:issue", args=[second.pk])).content.decode()
    assert "Số 1-BC/BTGDV" in shown
    services.report_issue(user=SYSTEM, report=first)  # someone else issues first
    again = leader.post(reverse("reports:issue", args=[second.pk]), {"confirm": "yes", "symbol": "1-BC/BTGDV"})
    page = again.content.decode()
    assert again.status_code == 200
    assert 'data-testid="number-changed"' in page
    assert "Số 2-BC/BTGDV" in page
    second.refresh_from_db()
    assert second.status == "draft"
    assert services.document_number_peek(letterhead=board, doc_type="BC") == 2  # the refused try took nothing
    leader.post(reverse("reports:issue", args=[second.pk]), {"confirm": "yes", "symbol": "2-BC/BTGDV"})
    second.refresh_from_db()
    assert second.symbol == "2-BC/BTGDV"
