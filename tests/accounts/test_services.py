"""Account writes: only administrators manage accounts, Loa keeps an administrator, and each
change is in the audit log."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from loa.accounts.models import Role, User
from loa.accounts.scoping import SYSTEM
from loa.accounts.services import (
    AccountData,
    user_change_role,
    user_create,
    user_deactivate,
    user_password_mail_send,
    user_reactivate,
    user_update,
)
from tests.factories import Tree

pytestmark = pytest.mark.django_db


def data(user: User, **changes: object) -> AccountData:
    values: dict[str, object] = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "role": user.role,
        "unit": user.unit,
    }
    values.update(changes)
    return AccountData(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("who", ["bloc_staff", "evn_staff", "evn_leader", "evn_viewer"])
def test_only_administrators_manage_accounts(tree: Tree, users: dict[str, User], who: str) -> None:
    actor, target = users[who], users["evn_a_staff"]
    with pytest.raises(PermissionDenied):
        user_create(actor=actor, username="moi", role=Role.VIEWER, unit=tree.evn, password=None)
    with pytest.raises(PermissionDenied):
        user_update(actor=actor, user=target, data=data(target, role=Role.ADMIN, unit=None))
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=actor, user=target)
    with pytest.raises(PermissionDenied):
        user_password_mail_send(actor=actor, user=target)
    assert not User.objects.filter(username="moi").exists()


def test_an_administrator_changes_role_and_unit_and_the_flags_follow(tree: Tree, users: dict[str, User]) -> None:
    target = users["evn_a_staff"]
    user_update(actor=users["admin"], user=target, data=data(target, role=Role.LEADER, unit=tree.pvn, email="a@b.vn"))
    stored = User.objects.get(pk=target.pk)
    assert (stored.role, stored.unit, stored.email) == (Role.LEADER, tree.pvn, "a@b.vn")
    user_update(actor=users["admin"], user=stored, data=data(stored, role=Role.ADMIN, unit=None))
    stored.refresh_from_db()
    assert stored.is_staff
    assert stored.is_superuser


def test_a_unit_account_needs_a_unit(tree: Tree, users: dict[str, User]) -> None:
    target = users["evn_staff"]
    with pytest.raises(ValidationError):
        user_update(actor=users["admin"], user=target, data=data(target, unit=None))


def test_the_last_administrator_can_be_neither_demoted_nor_deactivated(tree: Tree, users: dict[str, User]) -> None:
    admin = users["admin"]
    with pytest.raises(ValidationError):
        user_update(actor=admin, user=admin, data=data(admin, role=Role.BLOC_STAFF, unit=tree.board))
    with pytest.raises(ValidationError):
        user_deactivate(actor=admin, user=admin)
    with pytest.raises(ValidationError):
        user_change_role(user=admin, role=Role.VIEWER, unit=tree.board)
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.role == Role.ADMIN

    # With a second administrator, the first may step down.
    second = user_create(actor=admin, username="quantri2", role=Role.ADMIN, unit=None, password=None)
    user_deactivate(actor=second, user=admin)
    assert not User.objects.get(pk=admin.pk).is_active
    # A deactivated administrator does not count: the second is now the last.
    with pytest.raises(ValidationError):
        user_deactivate(actor=second, user=second)


def test_a_deactivated_account_cannot_log_in_until_reactivated(tree: Tree, users: dict[str, User]) -> None:
    from tests.factories import PASSWORD

    def logs_in() -> bool:
        response = Client().post(reverse("login"), {"username": "evn.staff", "password": PASSWORD})
        return response.status_code == 302

    target = users["evn_staff"]
    user_deactivate(actor=users["admin"], user=target)
    assert not logs_in()
    user_reactivate(actor=users["admin"], user=target)
    assert logs_in()


def test_account_changes_are_audited_with_who_made_them(tree: Tree, users: dict[str, User]) -> None:
    from auditlog.context import set_actor

    target = users["evn_staff"]
    with set_actor(users["admin"]):
        user_update(actor=users["admin"], user=target, data=data(target, role=Role.VIEWER))
        user_deactivate(actor=users["admin"], user=target)
    entries = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    assert [entry.actor for entry in entries][-2:] == [users["admin"], users["admin"]]
    changed = [set(entry.changes_dict) for entry in entries][-2:]
    assert "role" in changed[0]
    assert changed[1] == {"is_active"}
    assert all("password" not in fields for fields in changed)


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_a_new_account_gets_a_link_to_set_its_password_in_vietnamese(
    tree: Tree, users: dict[str, User], settings: object
) -> None:
    account = user_create(
        actor=users["admin"],
        username="hoa.nt",
        full_name="Nguyễn Thị Hoa",
        email="hoa@evn.vn",
        role=Role.UNIT_STAFF,
        unit=tree.evn,
        password=None,
    )
    assert not account.has_usable_password()
    user_password_mail_send(actor=users["admin"], user=account, welcome=True)
    (message,) = mail.outbox
    assert message.to == ["hoa@evn.vn"]
    assert message.subject == "Tài khoản Loa của đồng chí"
    assert "Kính gửi đồng chí Nguyễn Thị Hoa" in message.body
    assert "hoa.nt" in message.body
    assert "72 giờ" in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line).strip()
    assert link.startswith("http://")


def test_no_link_without_an_address_or_to_a_closed_account(tree: Tree, users: dict[str, User]) -> None:
    target = users["evn_staff"]
    with pytest.raises(ValidationError):
        user_password_mail_send(actor=users["admin"], user=target)
    target.email = "evn@evn.vn"
    user_deactivate(actor=SYSTEM, user=target)
    with pytest.raises(ValidationError):
        user_password_mail_send(actor=users["admin"], user=target)
    assert mail.outbox == []
