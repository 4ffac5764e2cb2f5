"""An opinion report cycle in Chromium: two units' staff write and submit their monthly
reports, the bloc reads the synthesis with its chart and the rising topic."""

from __future__ import annotations

from typing import Any

import pytest

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.opinion.services import Stream, report_save, report_submit
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write(page: Any, base: str, unit: str, period: str, topic: str, summary: str) -> None:
    page.goto(f"{base}/opinion/new/")
    form = page.get_by_test_id("opinion-form")
    form.get_by_label("Đơn vị", exact=True).select_option(label=unit)
    form.get_by_label("Kỳ báo cáo").fill(period)
    stream = page.get_by_test_id("stream").first
    stream.get_by_label("Chủ đề").fill(topic)
    stream.get_by_label("Xu hướng").select_option(label="phản đối")
    stream.get_by_label("Phạm vi").select_option(label="nhiều")
    stream.get_by_label("Nội dung dư luận").fill(summary)
    form.get_by_role("button", name="Lưu").click()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_test_id("opinion-status").inner_text().startswith("Đã gửi")


def test_units_report_and_the_bloc_reads_the_synthesis(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    # September: one unit spoke of electricity prices.
    earlier = report_save(
        user=SYSTEM, unit=tree.evn, kind="monthly", period="2026-09", streams=[Stream("Giá điện", "oppose", "mot_so")]
    )
    report_submit(user=SYSTEM, report=earlier)
    evn = as_user(chromium, base, "evn.staff")
    write(evn, base, tree.evn.name, "2026-10", "Giá điện", "Người lao động lo ngại chi phí sinh hoạt tăng.")
    # A name is refused, and nothing is saved.
    evn.goto(f"{base}/opinion/new/")
    evn.get_by_label("Kỳ báo cáo").fill("2026-11")
    evn.get_by_test_id("stream").first.get_by_label("Chủ đề").fill("Tiền lương")
    evn.get_by_test_id("stream").first.get_by_label("Nội dung dư luận").fill("Anh Trần Văn Bình phản đối")
    evn.get_by_role("button", name="Lưu").click()
    assert "không nêu tên người" in evn.content()
    pvn = as_user(chromium, base, "pvn.staff")
    write(pvn, base, tree.pvn.name, "2026-10", "Giá điện", "Nhiều ý kiến cho rằng giá điện tăng ảnh hưởng sản xuất.")

    bloc = as_user(chromium, base, "btg")
    bloc.get_by_role("link", name="Dư luận xã hội").click()
    bloc.get_by_role("link", name="Tổng hợp").click()
    table = bloc.get_by_test_id("synthesis-table").inner_text()
    assert "Giá điện" in table
    row = bloc.get_by_test_id("synthesis-table").locator("tbody tr").first.inner_text().split("\t")
    assert row[1] == "2"  # two units in October
    assert row[3] == "phản đối"
    assert "Giá điện" in bloc.get_by_test_id("rising").inner_text()
    bloc.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=opinion-chart]'); "
        "return img && img.complete && img.naturalWidth > 100; }"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bloc.screenshot(path=str(ARTIFACTS / "opinion-synthesis.png"), full_page=True)
