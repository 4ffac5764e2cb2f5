"""Log-in throttling: failures are counted per username and address, per address across
usernames and per username across addresses; the address behind a proxy is believed only from
trusted proxies; the owner of a username others have locked gets in with an e-mailed link."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import LoginUnlock, User
from loa.accounts.throttle import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
VICTIM = "192.0.2.10"


def post_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_many_usernames_from_one_address_are_locked(users: dict[str, User], settings: Any) -> None:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    statuses = [
        post_login(attacker, f"nguoi.dung{number}", "doan-mat-khau").status_code
        for _attempt in range(4)
        for number in range(20)
    ]
    # 80 failures over 20 usernames, never more than 4 for one username: the address is locked
    # at its own limit (the failure that reaches it is answered with the lock), and stays so.
    first = statuses.index(429)
    assert first + 1 == settings.LOA_LOGIN_ADDRESS_FAILURE_LIMIT
    assert set(statuses[first:]) == {429}
    # Even a real account's right password is refused from that address for the cool-off...
    assert post_login(attacker, "evn.staff", PASSWORD).status_code == 429
    # ...but not from another address, and another address's users are not affected.
    assert post_login(Client(REMOTE_ADDR=VICTIM), "evn.staff", PASSWORD).status_code == 302


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(settings: Any) -> None:
    factory = RequestFactory()

    def address(remote: str, forwarded: str) -> str | None:
        return client_address(factory.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    assert address(ATTACKER, "198.51.100.1") == ATTACKER  # no trusted proxy: the header is the client's own
    settings.LOA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("10.0.0.2", "198.51.100.1") == "198.51.100.1"
    # The client can write the left of the header; the nearest untrusted hop is what the proxy saw.
    assert address("10.0.0.2", "127.0.0.1, 198.51.100.1, 10.0.0.5") == "198.51.100.1"
    assert address("10.0.0.2", "not-an-address") == "10.0.0.2"
    assert address(ATTACKER, "198.51.100.1") == ATTACKER  # not through the proxy


def test_behind_a_trusted_proxy_one_client_cannot_lock_out_another(users: dict[str, User], settings: Any) -> None:
    settings.LOA_TRUSTED_PROXIES = ["10.0.0.2"]
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    for _ in range(settings.LOA_LOGIN_FAILURE_LIMIT + 2):
        post_login(attacker, "evn.staff", "doan-mat-khau")
    assert post_login(attacker, "evn.staff", PASSWORD).status_code == 429
    victim = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=VICTIM)
    assert post_login(victim, "evn.staff", PASSWORD).status_code == 302


def _lock_by_username(settings: Any, username: str) -> None:
    """Failures from many addresses, a few from each: only the username's own count trips."""
    for number in range(settings.LOA_LOGIN_ACCOUNT_FAILURE_LIMIT):
        post_login(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), username, "doan-mat-khau")


def _link(message: Any) -> str:
    found = re.search(r"http://\S+/accounts/unlock/(\S+)/", message.body)
    assert found, message.body
    return reverse("accounts:unlock", kwargs={"token": found.group(1)})


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_the_owner_of_a_locked_username_gets_in_with_the_emailed_link(users: dict[str, User], settings: Any) -> None:
    owner = users["evn_staff"]
    owner.email = "evn.staff@example.vn"
    owner.save(update_fields=["email"])
    _lock_by_username(settings, "evn.staff")
    victim = Client(REMOTE_ADDR=VICTIM)
    locked = post_login(victim, "evn.staff", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'data-testid="unlock-request"' in page
    assert reverse("accounts:unlock_request") in page

    response = victim.post(reverse("accounts:unlock_request"), {"username": "evn.staff"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:unlock_sent")
    assert [m.to for m in mail.outbox] == [["evn.staff@example.vn"]]
    link = _link(mail.outbox[0])
    # Opening the link spends nothing (mail scanners open links); the button does.
    assert victim.get(link).status_code == 200
    assert victim.get(link).status_code == 200
    assert victim.post(link).status_code == 302
    # The pass is the owner's browser's only: the username stays locked everywhere else.
    other = Client(REMOTE_ADDR="198.51.100.200")
    assert post_login(other, "evn.staff", PASSWORD).status_code == 429
    assert post_login(victim, "evn.staff", PASSWORD).status_code == 302
    assert victim.get(reverse("home")).status_code == 200

    # The link works once.
    assert victim.get(link).status_code == 410
    assert other.post(link).status_code == 410
    assert "loa_login_unlock" not in other.session


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_the_pass_of_a_link_is_not_for_guessing(users: dict[str, User], settings: Any) -> None:
    owner = users["evn_staff"]
    owner.email = "evn.staff@example.vn"
    owner.save(update_fields=["email"])
    _lock_by_username(settings, "evn.staff")
    holder = Client(REMOTE_ADDR=VICTIM)
    holder.post(reverse("accounts:unlock_request"), {"username": "evn.staff"})
    holder.post(_link(mail.outbox[0]))
    for _ in range(settings.LOA_LOGIN_FAILURE_LIMIT):
        post_login(holder, "evn.staff", "doan-mat-khau")
    assert post_login(holder, "evn.staff", PASSWORD).status_code == 429


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_the_link_expires(users: dict[str, User], settings: Any) -> None:
    owner = users["evn_staff"]
    owner.email = "evn.staff@example.vn"
    owner.save(update_fields=["email"])
    _lock_by_username(settings, "evn.staff")
    client = Client(REMOTE_ADDR=VICTIM)
    client.post(reverse("accounts:unlock_request"), {"username": "evn.staff"})
    link = _link(mail.outbox[0])
    later = timezone.now() + dt.timedelta(minutes=settings.LOA_LOGIN_UNLOCK_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert client.get(link).status_code == 410
        assert client.post(link).status_code == 410
    assert post_login(client, "evn.staff", PASSWORD).status_code == 429


# Transactional: link mails leave through the outbox after commit, with the link made then.
@pytest.mark.django_db(transaction=True)
def test_asking_for_a_link_tells_nothing_about_the_account(users: dict[str, User]) -> None:
    owner = users["evn_staff"]
    owner.email = "evn.staff@example.vn"
    owner.save(update_fields=["email"])
    client = Client(REMOTE_ADDR=VICTIM)
    answers = [
        client.post(reverse("accounts:unlock_request"), {"username": name})
        for name in ("evn.staff", "khong.ton.tai", "pvn.staff")  # pvn.staff has no e-mail address
    ]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("accounts:unlock_sent"))}
    assert [m.to for m in mail.outbox] == [["evn.staff@example.vn"]]
    # Asking again at once sends nothing more: the form cannot flood an inbox.
    client.post(reverse("accounts:unlock_request"), {"username": "evn.staff"})
    assert len(mail.outbox) == 1
    assert LoginUnlock.objects.count() == 1
    assert "Kiểm tra" in client.get(reverse("accounts:unlock_sent")).content.decode()
