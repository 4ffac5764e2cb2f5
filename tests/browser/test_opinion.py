"""An opinion report cycle in Chromium: two units' staff write and submit their monthly
reports, picking topics from the list and proposing one; the bloc accepts the proposal and reads
the synthesis with its chart, the rising topic and the month short of reports marked."""

from __future__ import annotations

from typing import Any

import pytest

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.opinion.services import Stream, report_save, report_submit, topic_create
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_month(form: Any, period: str) -> None:
    year, month = period.split("-")
    form.locator("input[name=period_year]").fill(year)
    form.locator("select[name=period_number]").select_option(str(int(month)))


def write(page: Any, base: str, unit: str, period: str, topic: str, summary: str, proposal: str = "") -> None:
    page.goto(f"{base}/opinion/new/")
    form = page.get_by_test_id("opinion-form")
    form.get_by_label("Đơn vị", exact=True).select_option(label=unit)
    choose_month(form, period)
    stream = page.get_by_test_id("stream").first
    stream.get_by_label("Chủ đề", exact=True).select_option(label=topic)  # from the list
    stream.get_by_label("Xu hướng").select_option(label="phản đối")
    stream.get_by_label("Phạm vi").select_option(label="nhiều")
    stream.get_by_label("Nội dung dư luận").fill(summary)
    if proposal:  # a topic the list lacks, proposed in the second stream
        second = page.get_by_test_id("stream").nth(1)
        second.get_by_label("Hoặc đề xuất chủ đề mới").fill(proposal)
        second.get_by_label("Xu hướng").select_option(label="băn khoăn")
        second.get_by_label("Phạm vi").select_option(label="một số")
    form.get_by_role("button", name="Lưu").click()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_test_id("opinion-status").inner_text().startswith("Đã gửi")


def test_units_report_and_the_bloc_reads_the_synthesis(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    topic_create(user=SYSTEM, name="Giá điện")
    # August: both committees spoke of electricity prices, a little; September: only EVN has
    # reported, a month short of reports that must not read as a fall.
    for unit, period in ((tree.evn, "2026-08"), (tree.pvn, "2026-08"), (tree.evn, "2026-09")):
        earlier = report_save(
            user=SYSTEM, unit=unit, kind="monthly", period=period, streams=[Stream("Giá điện", "oppose", "mot_so")]
        )
        report_submit(user=SYSTEM, report=earlier)
    evn = as_user(chromium, base, "evn.staff")
    write(evn, base, tree.evn.name, "2026-10", "Giá điện", "Người lao động lo ngại chi phí sinh hoạt tăng.")
    # A name is refused, and nothing is saved.
    evn.goto(f"{base}/opinion/new/")
    choose_month(evn.get_by_test_id("opinion-form"), "2026-11")
    evn.get_by_test_id("stream").first.get_by_label("Chủ đề", exact=True).select_option(label="Giá điện")
    evn.get_by_test_id("stream").first.get_by_label("Nội dung dư luận").fill("Anh Trần Văn Bình phản đối")
    evn.get_by_role("button", name="Lưu").click()
    assert "không nêu tên người" in evn.content()
    pvn = as_user(chromium, base, "pvn.staff")
    write(
        pvn,
        base,
        tree.pvn.name,
        "2026-10",
        "Giá điện",
        "Nhiều ý kiến cho rằng giá điện tăng ảnh hưởng sản xuất.",
        proposal="Nhà ở xã hội",
    )

    bloc = as_user(chromium, base, "btg")
    # The bloc accepts the proposed topic into the list.
    bloc.goto(f"{base}/opinion/topics/")
    proposed = bloc.get_by_test_id("topic-row").filter(has_text="Nhà ở xã hội")
    assert "đề xuất" in proposed.inner_text()
    proposed.get_by_role("button", name="Chấp nhận chủ đề").click()
    assert "trong danh mục" in bloc.get_by_test_id("topic-row").filter(has_text="Nhà ở xã hội").inner_text()
    bloc.goto(f"{base}/opinion/")
    bloc.get_by_role("link", name="Dư luận xã hội").click()
    bloc.get_by_role("link", name="Tổng hợp").click()
    table = bloc.get_by_test_id("synthesis-table").inner_text()
    assert "Giá điện" in table
    row = bloc.get_by_test_id("synthesis-table").locator("tbody tr").first.inner_text().split("\t")
    assert row[1] == "2"  # two units in October
    assert row[3] == "phản đối"
    assert "Giá điện" in bloc.get_by_test_id("rising").inner_text()
    # September is marked short of reports, in the notice and in the table of periods.
    assert "09/2026 (1/2 đơn vị)" in bloc.get_by_test_id("incomplete").inner_text()
    september = bloc.get_by_test_id("period-table").locator("tbody tr").nth(1).inner_text()
    assert "chưa đủ báo cáo" in september
    bloc.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=opinion-chart]'); "
        "return img && img.complete && img.naturalWidth > 100; }"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bloc.screenshot(path=str(ARTIFACTS / "opinion-synthesis.png"), full_page=True)
