"""Accounts in Chromium: an administrator creates an account in Loa and its owner logs in; a
user changes their own password; "forgot password" through a real SMTP inbox."""

from __future__ import annotations

import re
from typing import Any

import pytest

from loa.accounts.models import Role, User
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import PASSWORD, Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Sông-Hồng-mùa-lũ-2026"


def fresh_page(chromium: Any, width: int = 1280) -> Any:
    context = chromium.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def log_in_with(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def test_an_administrator_creates_an_account_and_its_owner_logs_in(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    admin = as_user(chromium, base, "quantri")
    admin.get_by_role("link", name="Tài khoản", exact=True).click()
    admin.get_by_role("link", name="Tạo tài khoản").click()
    admin.get_by_label("Tên đăng nhập").fill("hoa.nt")
    admin.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    admin.get_by_label("Vai trò").select_option(label="Cán bộ đơn vị")
    admin.get_by_label("Đơn vị").select_option(label="\u2003\u2003" + tree.evn_a.name)
    admin.get_by_label("Đặt mật khẩu ban đầu ngay và bàn giao cho người dùng").check()
    admin.get_by_label("Mật khẩu ban đầu", exact=True).fill(NEW_PASSWORD)
    admin.get_by_label("Nhập lại mật khẩu ban đầu").fill(NEW_PASSWORD)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    admin.screenshot(path=str(ARTIFACTS / "account-create.png"), full_page=True)
    admin.get_by_role("button", name="Lưu").click()
    assert "Đã tạo tài khoản hoa.nt." in admin.content()
    assert admin.get_by_test_id("account-role").inner_text() == "Cán bộ đơn vị"
    admin.screenshot(path=str(ARTIFACTS / "account-detail.png"), full_page=True)

    # The new colleague logs in and sees their unit only.
    hoa = fresh_page(chromium)
    log_in_with(hoa, base, "hoa.nt", NEW_PASSWORD)
    assert "Nguyễn Thị Hoa" in hoa.get_by_test_id("whoami").inner_text()
    assert User.objects.get(username="hoa.nt").unit == tree.evn_a

    # Deactivated, they can no longer log in.
    admin.get_by_role("button", name="Vô hiệu hoá").click()
    assert admin.get_by_test_id("account-status").inner_text() == "Đã vô hiệu hoá"
    again = fresh_page(chromium)
    again.goto(f"{base}/login/")
    again.fill("#id_username", "hoa.nt")
    again.fill("#id_password", NEW_PASSWORD)
    again.click("button[type=submit].primary")
    assert "/login/" in again.url

    # Phones: the account list does not push the page sideways.
    phone = fresh_page(chromium, width=390)
    log_in_with(phone, base, "quantri", PASSWORD)
    phone.goto(f"{base}/accounts/")
    phone.screenshot(path=str(ARTIFACTS / "account-list-390.png"), full_page=True)


def test_a_user_changes_their_password_and_logs_in_with_the_new_one(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    viewer = as_user(chromium, base, "evn.viewer")
    viewer.get_by_test_id("whoami").click()
    viewer.fill("#id_old_password", PASSWORD)
    viewer.fill("#id_new_password1", NEW_PASSWORD)
    viewer.fill("#id_new_password2", NEW_PASSWORD)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(ARTIFACTS / "password-change.png"), full_page=True)
    viewer.get_by_role("button", name="Đổi mật khẩu").click()
    assert viewer.get_by_test_id("password-changed").is_visible()

    viewer.get_by_role("button", name="Đăng xuất").click()
    log_in_with(viewer, base, "evn.viewer", NEW_PASSWORD)
    assert viewer.get_by_test_id("whoami").is_visible()


def test_forgot_password_by_e_mail(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User], smtp: Any
) -> None:
    base = live_server.url
    staff = User.objects.get(username="evn.staff")
    staff.email = "evn.staff@evn.vn"
    staff.save(update_fields=["email"])
    assert staff.role == Role.UNIT_STAFF

    page = fresh_page(chromium, width=390)
    page.goto(f"{base}/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "password-forgot-390.png"), full_page=True)
    page.get_by_label("E-mail").fill("evn.staff@evn.vn")
    page.get_by_role("button", name="Gửi đường dẫn").click()
    assert page.get_by_test_id("reset-sent").is_visible()

    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    mail = smtp.mails[0]
    assert mail["to"] == ["evn.staff@evn.vn"]
    assert mail["subject"] == "Đặt mật khẩu mới cho tài khoản Loa"
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail["body"])
    assert link, mail["body"]
    page.goto(link.group(0))
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.screenshot(path=str(ARTIFACTS / "password-set-390.png"), full_page=True)
    page.get_by_role("button", name="Lưu mật khẩu").click()
    assert page.get_by_test_id("reset-complete").is_visible()
    page.get_by_role("link", name="Đăng nhập").click()
    page.fill("#id_username", "evn.staff")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")

    # The link was for one use.
    page.goto(link.group(0))
    assert page.get_by_test_id("reset-invalid").is_visible()
