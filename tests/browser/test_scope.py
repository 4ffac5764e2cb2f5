"""A unit staff member logs in through Chromium and sees only their unit's subtree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loa.accounts.models import User
from tests.factories import PASSWORD, Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def test_unit_staff_sees_only_their_subtree(page: Any, live_server: Any, tree: Tree, users: dict[str, User]) -> None:
    base = live_server.url
    log_in(page, base, "evn.staff")
    # Vietnamese even though the browser asks for English.
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_test_id("units-in-scope").inner_text() == "3"

    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.wait_for_url(f"{base}/units/")
    tree_table = page.get_by_test_id("unit-tree")
    names = tree_table.locator("tbody tr td:first-child").all_inner_texts()
    assert names == [
        "Đảng ủy Tập đoàn Điện lực",
        "Chi bộ Truyền thông",
        "Đảng ủy Điện lực miền Bắc",
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "units-unit-staff.png"), full_page=True)

    page.goto(f"{base}/units/{tree.pvn.pk}/")
    assert "Không tìm thấy" in page.content()
    assert "Dầu khí" not in page.content()

    page.goto(f"{base}/accounts/")
    accounts = page.get_by_test_id("account-table").locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(accounts) == ["evn.leader", "evn.staff", "evn.viewer", "evna.staff"]

    page.goto(f"{base}/system/audit/")
    assert "Không được phép" in page.content()


def test_bloc_staff_sees_every_unit(page: Any, live_server: Any, tree: Tree, users: dict[str, User]) -> None:
    log_in(page, live_server.url, "btg")
    page.goto(f"{live_server.url}/units/")
    names = page.get_by_test_id("unit-tree").locator("tbody tr td:first-child").all_inner_texts()
    assert "Đảng ủy Tập đoàn Dầu khí" in names
    assert "Đảng ủy Tập đoàn Điện lực" in names
    assert len(names) == 7
