"""Account pages: administrators create, edit and deactivate accounts in Loa; everyone changes
their own password; "forgot password" works by e-mail with Django's reset flow."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse

from loa.accounts.models import Role, User
from tests.conftest import login
from tests.factories import PASSWORD, Tree

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Đèn-đỏ-sông-Hồng-2026"


def logs_in(username: str, password: str) -> bool:
    return Client().post(reverse("login"), {"username": username, "password": password}).status_code == 302


def test_an_administrator_creates_an_account_with_a_first_password(tree: Tree, users: dict[str, User]) -> None:
    response = login(users["admin"]).post(
        reverse("accounts:create"),
        {
            "username": "hoa.nt",
            "full_name": "Nguyễn Thị Hoa",
            "email": "",
            "role": Role.UNIT_STAFF,
            "unit": tree.evn_a.pk,
            "password_by": "set",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    account = User.objects.get(username="hoa.nt")
    assert response["Location"] == reverse("accounts:detail", args=[account.pk])
    assert (account.role, account.unit, account.full_name) == (Role.UNIT_STAFF, tree.evn_a, "Nguyễn Thị Hoa")
    assert logs_in("hoa.nt", NEW_PASSWORD)
    assert mail.outbox == []


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_a_new_account_by_mail_sets_its_own_password_through_the_link(tree: Tree, users: dict[str, User]) -> None:
    login(users["admin"]).post(
        reverse("accounts:create"),
        {
            "username": "lan.tt",
            "full_name": "Trần Thị Lan",
            "email": "lan@evn.vn",
            "role": Role.VIEWER,
            "unit": tree.evn.pk,
            "password_by": "mail",
        },
    )
    account = User.objects.get(username="lan.tt")
    assert not account.has_usable_password()
    (message,) = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", str(message.body))
    assert link, message.body
    client = Client()
    # Django moves the token into the session and redirects to a token-free address.
    form_page = client.get(urlsplit(link.group(0)).path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert logs_in("lan.tt", NEW_PASSWORD)


def test_the_create_form_asks_for_what_is_missing(tree: Tree, users: dict[str, User]) -> None:
    client = login(users["admin"])
    base = {"username": "evn.staff", "full_name": "X", "role": Role.UNIT_STAFF, "unit": "", "password_by": "mail"}
    response = client.post(reverse("accounts:create"), base)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "username" in errors  # taken
    assert "email" in errors  # needed for the link
    response = client.post(
        reverse("accounts:create"),
        {**base, "username": "moi", "password_by": "set", "password1": "12345678901", "password2": "12345678901"},
    )
    assert "password1" in response.context["form"].errors  # only digits
    response = client.post(
        reverse("accounts:create"),
        {**base, "username": "moi", "password_by": "set", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200  # a unit account without a unit
    assert not User.objects.filter(username="moi").exists()


def test_unit_choices_follow_the_unit_tree(tree: Tree, users: dict[str, User]) -> None:
    body = login(users["admin"]).get(reverse("accounts:create")).content.decode()
    options = re.findall(r'<option value="\d+">([^<]*)</option>', body)
    names = [option.strip("\u2003") for option in options]
    evn = names.index(tree.evn.name)
    assert names[evn + 1 : evn + 3] == sorted([tree.evn_a.name, tree.evn_b.name])
    assert options[evn].count("\u2003") + 1 == options[evn + 1].count("\u2003")


def test_the_list_filters_by_unit_role_status_and_name(tree: Tree, users: dict[str, User]) -> None:
    from loa.accounts.services import user_deactivate

    user_deactivate(actor=users["admin"], user=users["evn_viewer"])
    client = login(users["admin"])

    def shown(**query: str | int) -> set[str]:
        response = client.get(reverse("accounts:list"), query)
        return set(re.findall(r'/accounts/\d+/">([^<]+)</a>', response.content.decode()))

    assert shown(unit=tree.evn.pk) == {"evn.staff", "evn.leader", "evn.viewer", "evna.staff"}
    assert shown(unit=tree.evn.pk, role=Role.UNIT_STAFF) == {"evn.staff", "evna.staff"}
    assert shown(active="no") == {"evn.viewer"}
    assert shown(q="pvn") == {"pvn.staff"}
    assert "Tạo tài khoản" in client.get(reverse("accounts:list")).content.decode()
    assert "Tạo tài khoản" not in login(users["bloc_staff"]).get(reverse("accounts:list")).content.decode()


def test_an_administrator_edits_and_deactivates_an_account(tree: Tree, users: dict[str, User]) -> None:
    client = login(users["admin"])
    target = users["evn_a_staff"]
    client.post(
        reverse("accounts:edit", args=[target.pk]),
        {"username": "evna.leader", "full_name": "Lãnh đạo", "email": "", "role": Role.LEADER, "unit": tree.evn_a.pk},
    )
    target.refresh_from_db()
    assert (target.username, target.role) == ("evna.leader", Role.LEADER)
    # The change log says who made it.
    change = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert change.actor == users["admin"]
    assert set(change.changes_dict) == {"username", "full_name", "role"}
    # Deactivation ends the person's open sessions too.
    their_session = login(target)
    client.post(reverse("accounts:deactivate", args=[target.pk]))
    target.refresh_from_db()
    assert not target.is_active
    assert not logs_in("evna.leader", PASSWORD)
    assert their_session.get(reverse("home"))["Location"].startswith(reverse("login"))
    client.post(reverse("accounts:reactivate", args=[target.pk]))
    assert logs_in("evna.leader", PASSWORD)


def test_the_last_administrator_is_told_why_they_cannot_step_down(tree: Tree, users: dict[str, User]) -> None:
    admin = users["admin"]
    client = login(admin)
    response = client.post(reverse("accounts:deactivate", args=[admin.pk]), follow=True)
    assert "Không thể vô hiệu hoá quản trị viên cuối cùng" in response.content.decode()
    response = client.post(
        reverse("accounts:edit", args=[admin.pk]),
        {"username": "quantri", "full_name": "Quản trị", "email": "", "role": Role.VIEWER, "unit": tree.board.pk},
    )
    assert "Không thể bỏ vai trò quản trị" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.role == Role.ADMIN


def test_everyone_changes_their_own_password(tree: Tree, users: dict[str, User]) -> None:
    client = login(users["evn_viewer"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("accounts:password_change") in page  # the name in the top bar
    # Loa's own page, not the Django admin's template of the same view.
    assert 'data-testid="password-change-form"' in client.get(reverse("accounts:password_change")).content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    # Still logged in after the change; the old password no longer works.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200
    assert logs_in("evn.viewer", NEW_PASSWORD)
    assert not logs_in("evn.viewer", PASSWORD)


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_forgot_password_mails_a_vietnamese_link_that_works_once(tree: Tree, users: dict[str, User]) -> None:
    user = users["evn_staff"]
    user.email = "evn.staff@evn.vn"
    user.save(update_fields=["email"])
    login_page = Client().get(reverse("login")).content.decode()
    assert reverse("accounts:password_reset") in login_page
    assert "Quên mật khẩu?" in Client().get(reverse("accounts:password_reset")).content.decode()
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "evn.staff@evn.vn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    # An unknown address gets the same answer and no mail.
    client.post(reverse("accounts:password_reset"), {"email": "nobody@evn.vn"})
    (message,) = mail.outbox
    assert message.subject == "Đặt mật khẩu mới cho tài khoản Loa"
    assert "Kính gửi đồng chí" in message.body
    assert "hết hạn sau 72 giờ" in message.body
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(message.body))
    assert path, message.body
    form_page = client.get(path.group(1), follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert logs_in("evn.staff", NEW_PASSWORD)
    # The link is spent.
    again = Client().get(path.group(1), follow=True)
    assert not again.context["validlink"]
    assert "Đường dẫn không còn hiệu lực" in again.content.decode()


def test_the_django_admin_keeps_the_last_administrator_too(tree: Tree, users: dict[str, User]) -> None:
    admin = users["admin"]
    response = login(admin).post(
        reverse("admin:accounts_user_change", args=[admin.pk]),
        {"username": "quantri", "full_name": "Quản trị", "email": "", "role": Role.VIEWER, "unit": tree.board.pk},
    )
    assert response.status_code == 200
    assert "Loa phải luôn có ít nhất một quản trị viên đang hoạt động." in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert admin.is_active
