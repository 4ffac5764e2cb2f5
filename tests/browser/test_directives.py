"""The directive path in Chromium: bloc staff import conclusion 60-KL/ĐUK (seed 000) and assign
its last task; the EVN staff report it done with evidence; the bloc sees the roll-up; the
calendar places Giỗ Tổ Hùng Vương (10/3 lunar) on the right days of 2026 and 2027."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.directives.models import Assignment, Directive
from loa.events.services import EventData, event_save
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree
from tests.shared import shared_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_directive_is_imported_assigned_reported_and_rolled_up(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User], tmp_path: Path
) -> None:
    base = live_server.url
    seed = shared_path("seeds", "000_ffb0d65ba92b0dfc.txt")
    bloc = as_user(chromium, base, "btg")
    bloc.get_by_role("link", name="Văn bản chỉ đạo và nhiệm vụ").click()
    form = bloc.get_by_test_id("import-form")
    form.get_by_label("Nhập văn bản").set_input_files(str(seed))
    form.get_by_label("Đơn vị lưu").select_option(label=tree.board.name)
    form.get_by_role("button", name="Nhập", exact=True).click()
    bloc.wait_for_url(f"{base}/directives/*/")
    assert bloc.get_by_test_id("symbol").inner_text() == "60-KL/ĐUK"
    assert bloc.get_by_test_id("date").inner_text() == "31/08/2021"
    assert bloc.get_by_test_id("signer").inner_text().startswith("Nguyễn Long Hải")
    citations = bloc.get_by_test_id("citations").inner_text()
    for symbol in ("04-CT/ĐUK", "07-CT/TW", "01-KL/TW"):
        assert symbol in citations
    items = bloc.get_by_test_id("task-item")
    assert items.count() == 5
    last = items.nth(4)
    assert "Ban Tuyên giáo Đảng ủy Khối" in last.inner_text()
    # The units the text names come ticked in the unit tree: the member committees and the board.
    assign = last.get_by_test_id("assign-form")
    ticked = [box.evaluate("b => b.parentElement.textContent.trim()") for box in assign.locator("input:checked").all()]
    assert sorted(ticked) == sorted([tree.evn.name, tree.pvn.name, tree.board.name])
    # The filter box ignores diacritics; a branch button ticks a unit and everything below it.
    assign.get_by_role("searchbox").fill("dien luc")
    visible = assign.locator("li[data-search]:visible label")
    assert sorted(text.strip() for text in visible.all_inner_texts()) == sorted([tree.evn.name, tree.evn_a.name]), (
        visible.all_inner_texts()
    )
    assign.get_by_role("searchbox").fill("")
    assign.get_by_role("button", name="Bỏ chọn tất cả").click()
    assert assign.locator("input:checked").count() == 0
    assign.locator("li", has_text=tree.evn.name).first.get_by_role("button", name="cả nhánh").click()
    assert assign.locator("input:checked").count() == 3
    bloc.set_viewport_size({"width": 390, "height": 900})
    last.screenshot(path=str(tmp_path / "assign-390.png"))
    bloc.set_viewport_size({"width": 1280, "height": 900})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    last.screenshot(path=str(ARTIFACTS / "directive-assign.png"))
    assign.get_by_role("button", name="Bỏ chọn tất cả").click()
    for name in (tree.evn.name, tree.pvn.name, tree.board.name):
        assign.get_by_label(name, exact=True).check()
    # A month ahead, so that no task is overdue in the roll-up whatever the date.
    assign.get_by_label("Hạn").fill(f"{timezone.localdate() + dt.timedelta(days=30):%d/%m/%Y}")
    assign.get_by_role("button", name="Giao việc").click()
    assert "Đã giao mục 5 cho 3 đơn vị." in bloc.content()
    directive = Directive.objects.get()
    assert Assignment.objects.filter(task__directive=directive).count() == 3

    evidence = tmp_path / "bien-ban-quan-triet.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban hoi nghi quan triet")
    evn = as_user(chromium, base, "evn.staff")
    evn.get_by_role("link", name="Văn bản chỉ đạo và nhiệm vụ").click()
    evn.get_by_role("link", name="Nhiệm vụ của đơn vị").click()
    rows = evn.get_by_test_id("assignment-table").locator("tbody tr")
    assert rows.count() == 1
    rows.first.get_by_role("link").click()
    report = evn.get_by_test_id("report-form")
    report.get_by_label("Tiến độ (%)").fill("100")
    report.get_by_label("Kết quả thực hiện").fill(
        "Đã xây dựng kế hoạch và tổ chức quán triệt Kết luận tới 100% chi bộ."
    )
    report.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    report.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã gửi báo cáo tiến độ." in evn.content()
    assert evn.get_by_test_id("assignment-status").inner_text().startswith("Hoàn thành")
    assert "bien-ban-quan-triet.pdf" in evn.get_by_test_id("progress-reports").inner_text()

    bloc.goto(f"{base}/directives/rollup/")
    units = {
        row.split("\t")[0]: row.split("\t")[1:]
        for row in bloc.get_by_test_id("rollup-units").locator("tbody tr").all_inner_texts()
    }
    assert units[tree.evn.name][:2] == ["1", "1 (100%)"]
    assert units[tree.pvn.name][:2] == ["1", "0 (0%)"]
    bloc.goto(f"{base}/directives/{directive.pk}/")
    assert bloc.get_by_test_id("directive-rollup").inner_text() == "1/3 nhiệm vụ đã hoàn thành, 0 quá hạn"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bloc.screenshot(path=str(ARTIFACTS / "directive.png"), full_page=True)
    bloc.goto(f"{base}/directives/graph/")
    bloc.get_by_test_id("citation-graph").screenshot(path=str(ARTIFACTS / "citation-graph.png"))


def test_the_calendar_shows_lunar_anniversaries_on_their_solar_days(
    chromium: Any, live_server: Any, users: dict[str, User]
) -> None:
    event_save(
        user=SYSTEM,
        event=None,
        data=EventData(title="Giỗ Tổ Hùng Vương", kind="holiday", calendar="lunar", day=10, month=3),
    )
    base = live_server.url
    page = as_user(chromium, base, "evn.staff")
    page.get_by_role("link", name="Lịch sự kiện").click()
    for year, month, day in ((2026, 4, "2026-04-26"), (2027, 4, "2027-04-16")):
        page.goto(f"{base}/events/?year={year}&month={month}")
        cell = page.locator(f'td[data-date="{day}"]')
        assert "Giỗ Tổ Hùng Vương" in cell.inner_text()
        assert cell.locator(".lunar").inner_text() == "10"
        assert page.get_by_test_id("event").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calendar-2027-04.png"), full_page=True)
