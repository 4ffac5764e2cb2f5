"""Delivering alerts over real SMTP and HTTP (a local server and receiver), retries,
permanent failures, leases, and the in-app pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.alerts.models import Alert, Delivery
from loa.alerts.services import alerts_evaluate_articles, alerts_sweep, deliveries_send, rule_save
from loa.analysis.models import Organisation
from loa.devtools.inbox import Inbox, free_port
from loa.outbox.models import Message
from loa.outbox.models import MessageStatus as DeliveryStatus
from loa.outbox.services import MAX_ATTEMPTS
from tests.conftest import login
from tests.factories import article_of, coverage, unit_of

pytestmark = pytest.mark.django_db


def _rule(evn: Organisation, inbox: Inbox, **options: Any) -> Any:
    return rule_save(
        name="EVN tiêu cực",
        unit=unit_of(evn),
        kind="negative_prominent",
        organisation=evn,
        emails="tuyengiao@evn.example.vn",
        webhook_url=inbox.hook_url,
        suppression_minutes=0,
        **options,
    )


def _raise(django_capture_on_commit_callbacks: Any) -> Alert:
    article = coverage()
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = alerts_evaluate_articles(article_ids=[article.pk])
    return alert


def test_an_alert_reaches_smtp_and_the_webhook_signed(
    evn: Organisation, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    _rule(evn, smtp)
    alert = _raise(django_capture_on_commit_callbacks)
    assert smtp.wait_for(lambda box: len(box.mails) == 1 and len(box.hooks) == 1)
    (mail,) = smtp.mails
    assert mail["to"] == ["tuyengiao@evn.example.vn"]
    assert alert.title in mail["subject"]
    assert mail["subject"].startswith("[Loa]")
    assert f"/alerts/{alert.pk}/" in mail["body"]
    assert article_of(alert).url in mail["body"]
    (hook,) = smtp.hooks
    payload = hook["json"]
    assert payload["alert"] == alert.pk
    assert payload["title"] == alert.title
    assert payload["article"]["url"] == article_of(alert).url
    assert payload["story"]["id"] == alert.story_id
    expected = hmac.new(settings.LOA_WEBHOOK_SECRET.encode(), hook["body"].encode(), hashlib.sha256).hexdigest()
    assert hook["headers"]["X-Loa-Signature"] == f"sha256={expected}"
    assert json.loads(hook["body"])["url"].endswith(reverse("alerts:detail", args=[alert.pk]))
    assert set(Message.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_failing_receiver_is_retried_later_and_then_given_up(
    evn: Organisation, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    _rule(evn, smtp)
    smtp.hook_status = 503
    alert = _raise(django_capture_on_commit_callbacks)
    hook = Delivery.objects.get(alert=alert, channel="webhook").message
    assert hook.status == DeliveryStatus.QUEUED
    assert hook.attempts == 1
    assert "503" in hook.last_error
    assert hook.next_attempt_at is not None
    assert hook.next_attempt_at > timezone.now()
    # Not due yet: nothing is sent again.
    assert deliveries_send() == 0
    smtp.hook_status = 200
    assert deliveries_send(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    hook.refresh_from_db()
    assert hook.status == DeliveryStatus.SENT
    assert hook.last_error == ""
    assert [h["answered"] for h in smtp.hooks] == [503, 200]
    # A receiver that never recovers: given up after MAX_ATTEMPTS, visible on the alert page.
    smtp.hook_status = 500
    second = _raise(django_capture_on_commit_callbacks)
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        later += dt.timedelta(hours=2)
        deliveries_send(now=later)
    failed = Delivery.objects.get(alert=second, channel="webhook").message
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == MAX_ATTEMPTS


def test_a_mail_server_that_is_down_loses_nothing(
    evn: Organisation, inbox: Inbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    _rule(evn, inbox)
    alert = _raise(django_capture_on_commit_callbacks)
    mail = Delivery.objects.get(alert=alert, channel="email").message
    assert mail.status == DeliveryStatus.QUEUED
    assert "Connection refused" in mail.last_error
    settings.EMAIL_PORT = inbox.smtp_port  # the server is back
    assert deliveries_send(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    assert inbox.wait_for(lambda box: len(box.mails) == 1)


def test_a_refusing_mail_server_loses_no_alert_and_the_sweep_sends_each_once(
    evn: Organisation, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    _rule(evn, smtp)
    smtp.mail_refusal = "451 4.3.0 Try again later"
    alert = _raise(django_capture_on_commit_callbacks)
    mail = Delivery.objects.get(alert=alert, channel="email").message
    assert (mail.status, mail.attempts, mail.kind, mail.unit_id) == (DeliveryStatus.QUEUED, 1, "alert", unit_of(evn).pk)
    assert "451" in mail.last_error
    assert len(smtp.hooks) == 1  # the webhook went; only the mail waits
    smtp.mail_refusal = ""
    now = timezone.now()
    for minutes in (1, 5, 60, 180):  # the sweep, again and again
        alerts_sweep(now=now + dt.timedelta(minutes=minutes))
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (DeliveryStatus.SENT, 2)
    assert len(smtp.mails) == 1
    assert len(smtp.hooks) == 1
    # The alert's page shows how its messages went.
    assert Message.objects.filter(link=reverse("alerts:detail", args=[alert.pk])).count() == 2


def test_webhooks_into_the_private_network_are_refused_for_good(
    evn: Organisation, inbox: Inbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LOA_WEBHOOK_ALLOW_NETWORKS = []
    _rule(evn, inbox)
    alert = _raise(django_capture_on_commit_callbacks)
    hook = Delivery.objects.get(alert=alert, channel="webhook").message
    assert hook.status == DeliveryStatus.FAILED
    assert hook.attempts == 1
    assert "blocked_address" in hook.last_error
    assert inbox.hooks == []


def test_a_leased_delivery_is_sent_once_and_a_dead_lease_resent_with_the_same_id(
    evn: Organisation, smtp: Inbox
) -> None:
    _rule(evn, smtp)
    article = coverage()
    (alert,) = alerts_evaluate_articles(article_ids=[article.pk])  # on-commit sending not run
    now = timezone.now()
    # Another worker holds the e-mail's lease: this one sends only the webhook.
    Message.objects.filter(pk=Delivery.objects.get(alert=alert, channel="email").message_id).update(
        status=DeliveryStatus.SENDING, lease_until=now + dt.timedelta(minutes=2)
    )
    assert deliveries_send(now=now) == 1
    assert deliveries_send(now=now) == 0
    # That worker died mid-send: once its lease is over the message goes, with a stable id.
    assert deliveries_send(now=now + dt.timedelta(minutes=3)) == 1
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    delivery = Delivery.objects.get(alert=alert, channel="email").message
    assert delivery.status == DeliveryStatus.SENT
    assert smtp.hooks[0]["headers"]["X-Loa-Delivery"] == str(
        Delivery.objects.get(alert=alert, channel="webhook").message_id
    )


def test_alert_pages_acknowledge_and_show_deliveries(
    evn: Organisation, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    rule_save(
        name="EVN tiêu cực", unit=unit_of(evn), kind="negative_prominent", organisation=evn, emails="a@evn.example.vn"
    )
    alert = _raise(django_capture_on_commit_callbacks)
    staff = login(users["evn_staff"])
    listing = staff.get(reverse("alerts:list")).content.decode()
    assert alert.title in listing
    page = staff.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "a@evn.example.vn" in page
    assert 'data-testid="open-incident"' in page
    viewer_page = login(users["evn_viewer"]).get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert 'data-testid="open-incident"' not in viewer_page
    response = staff.post(reverse("alerts:acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by == users["evn_staff"]
    assert alert.title not in staff.get(reverse("alerts:list")).content.decode()  # the default list: open ones
    assert alert.title in staff.get(reverse("alerts:list") + "?status=all").content.decode()


def test_rule_form_saves_through_the_service(evn: Organisation, users: dict[str, User]) -> None:
    staff = login(users["evn_staff"])
    data = {
        "name": "Quy tắc mới",
        "unit": unit_of(evn).pk,
        "organisation": evn.pk,
        "kind": "volume_spike",
        "min_salience": "main",
        "severity": "high",
        "max_tier": 1,
        "min_prominence": 0.3,
        "window": "hour",
        "sigma": 2.5,
        "min_count": 4,
        "story_hours": 6,
        "story_min_articles": 3,
        "story_negative_share": 0.5,
        "emails": "a@evn.example.vn",
        "webhook_url": "",
        "suppression_minutes": 30,
        "escalate_after_minutes": 0,
        "escalation_emails": "",
        "enabled": "on",
    }
    response = staff.post(reverse("alerts:rule_create"), {**data, "saved_query": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = evn.alert_rules.get()
    assert (rule.window, rule.sigma, rule.min_count) == ("hour", 2.5, 4)
    assert (rule.min_salience, rule.every_match) == ("main", False)
    bad = staff.post(reverse("alerts:rule_create"), {**data, "name": "Hai", "organisation": "", "saved_query": ""})
    assert bad.status_code == 200
    assert 'role="alert"' in bad.content.decode()
    assert evn.alert_rules.count() == 1
