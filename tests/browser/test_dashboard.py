"""The home dashboard in Chromium: a unit's staff member sees their unit's tasks due and
overdue, not another unit's, and opens the task from the block; the big screen shows the same.

Deadlines are anchored on today (Vietnam time), so the test holds whatever the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from loa.accounts.models import User
from loa.directives.models import Assignment, TaskItem
from loa.units.models import Unit
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree
from tests.factories.directives import make_directive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assign(tree: Tree, unit: Unit, text: str, days: int) -> Assignment:
    directive = make_directive(tree.board, symbol=f"{abs(days)}-KL/ĐUK")
    item = TaskItem.objects.create(directive=directive, number="1", text=text)
    return Assignment.objects.create(task=item, unit=unit, deadline=timezone.localdate() + dt.timedelta(days=days))


def test_unit_staff_dashboard_shows_its_tasks_due(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    late = _assign(tree, tree.evn, "Tổ chức hội nghị quán triệt Kết luận 60", -2)
    _assign(tree, tree.evn_a, "Báo cáo sơ kết công tác tuyên truyền", 3)
    _assign(tree, tree.pvn, "Nhiệm vụ của Dầu khí", 1)
    _assign(tree, tree.evn, "Nhiệm vụ của tháng sau", 40)

    page = as_user(chromium, base, "evn.staff")
    block = page.get_by_test_id("block-tasks")
    items = block.get_by_test_id("task-item")
    assert items.count() == 2
    assert "Tổ chức hội nghị quán triệt Kết luận 60" in items.nth(0).inner_text()
    assert f"{late.deadline:%d/%m/%Y}" in items.nth(0).inner_text()
    assert "Báo cáo sơ kết công tác tuyên truyền" in items.nth(1).inner_text()
    assert "Dầu khí" not in block.inner_text()
    assert block.get_by_test_id("tasks-overdue").inner_text() == "1 quá hạn"
    assert block.get_by_test_id("tasks-due-soon").inner_text() == "1 đến hạn trong 7 ngày"
    # Blocks of a writer: drafts waiting; empty blocks say so.
    assert page.get_by_test_id("block-drafts").is_visible()
    assert "Không có cảnh báo nào chờ xác nhận." in page.get_by_test_id("block-alerts").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-unit-staff.png"), full_page=True)

    items.nth(0).get_by_role("link").click()
    page.wait_for_url(f"{base}/directives/assignments/{late.pk}/")

    page.goto(f"{base}/")
    page.get_by_test_id("screen-link").click()
    page.wait_for_url(f"{base}/system/screen/")
    assert page.get_by_test_id("block-tasks").get_by_test_id("task-item").count() == 2
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "120"
