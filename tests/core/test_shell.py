"""The web shell: log-in with throttling, security headers, language, health check."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from loa.accounts.models import User
from tests.conftest import login
from tests.factories import PASSWORD, Tree

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_vietnamese_by_default(client: Client) -> None:
    # Browsers here usually announce English; Loa answers in Vietnamese anyway.
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body
    assert response["Content-Language"] == "vi"


def test_english_is_available_on_request(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body
    assert "Log in to Loa" in body


def test_login_with_valid_credentials(client: Client, users: dict[str, User]) -> None:
    response = post_login(client, "evn.staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "Người dùng" in home


def test_wrong_password_is_refused_with_a_message(client: Client, users: dict[str, User]) -> None:
    response = post_login(client, "evn.staff", "sai-mat-khau")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client: Client, users: dict[str, User], settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "evn.staff", "sai-mat-khau")
    response = post_login(client, "evn.staff", PASSWORD)
    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in response.content.decode()
    # Another account from the same address is not locked by these failures.
    assert post_login(Client(), "pvn.staff", PASSWORD).status_code == 302


def test_csrf_is_enforced_on_login(users: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, "evn.staff", PASSWORD)
    assert response.status_code == 403


def test_security_headers(client: Client) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_same_site(client: Client, users: dict[str, User]) -> None:
    post_login(client, "evn.staff", PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_healthz_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_fails(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    def broken_cursor(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "version": response.json()["version"],
    }


def test_navigation_lists_every_module_and_links_the_built_ones(users: dict[str, User]) -> None:
    body = login(users["evn_staff"]).get(reverse("home")).content.decode()
    for module in (
        "Theo dõi báo chí",
        "Cảnh báo và khủng hoảng",
        "Điểm báo và báo cáo",
        "Quản lý công việc",
    ):
        assert module in body
    assert f'href="{reverse("units:list")}"' in body
    # Unit staff cannot read the audit log, so it is not offered.
    assert reverse("core:audit") not in body


def test_admin_speaks_vietnamese(users: dict[str, User]) -> None:
    body = login(users["admin"]).get("/admin/").content.decode()
    assert "Quản trị Loa" in body


def test_pages_show_dates_as_dd_mm_yyyy(tree: Tree, users: dict[str, User]) -> None:
    body = login(users["bloc_staff"]).get(reverse("units:detail", args=[tree.evn.pk])).content.decode()
    assert "01/01/2020" in body
