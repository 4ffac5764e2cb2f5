"""Alerts' deliveries go through the outbox: each delivery row gets an outbox message carrying
its status, attempts and errors (moved here), and the content it sends. Messages still to send
are written as the sender wrote them, so they go out after the upgrade; sent and failed ones
are kept for the record."""

import hashlib
import json
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

STATUS = {"pending": "queued", "sending": "sending", "sent": "sent", "failed": "failed"}


def _alert_url(alert: Any) -> str:
    return f"{settings.LOA_SITE_URL.rstrip('/')}/alerts/{alert.pk}/"


def _content(delivery: Any) -> tuple[str, str, dict[str, str]]:
    alert = delivery.alert
    article = alert.article
    if delivery.channel == "webhook":
        payload = {
            "alert": alert.pk,
            "rule": alert.rule.name,
            "kind": alert.rule.kind,
            "severity": alert.severity,
            "title": alert.title,
            "summary": alert.summary,
            "url": _alert_url(alert),
            "raised_at": alert.created_at.isoformat(),
            "article": {"id": article.pk, "title": article.title, "url": article.url, "outlet": article.outlet.name}
            if article
            else None,
            "story": {"id": alert.story_id, "title": alert.story.title} if alert.story else None,
            "data": alert.data,
        }
        return alert.title, json.dumps(payload, ensure_ascii=False), {"X-Loa-Alert": str(alert.pk)}
    escalation = delivery.channel == "escalation"
    prefix = "[Loa] Escalation" if escalation else "[Loa]"
    subject = " ".join(f"{prefix} {alert.severity}: {alert.title}".split())[:250]
    lines = [alert.title, "", alert.summary, "", f"Rule: {alert.rule.name}"]
    if article:
        lines += [f"Article: {article.url}"]
    lines += ["", f"Open in Loa: {_alert_url(alert)}"]
    if escalation:
        lines.insert(0, "Not acknowledged in time; escalated to you.\n")
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "loa.local"
    # The Message-ID it was (or would have been) sent with, so a resend is recognised.
    return subject, "\n".join(lines), {"Message-ID": f"<loa-alert-{alert.pk}-{delivery.pk}@{domain}>"}


def _checks_now(schema_editor: BaseDatabaseSchemaEditor) -> None:
    # PostgreSQL defers foreign-key checks to commit; rows written here would leave them pending,
    # and the ALTER TABLE that follows in this migration cannot run with checks pending.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _checks_now(schema_editor)
    Delivery = apps.get_model("alerts", "Delivery")
    Message = apps.get_model("outbox", "Message")
    deliveries = Delivery.objects.select_related("alert__rule", "alert__article__outlet", "alert__story")
    for delivery in deliveries.iterator():
        subject, text, headers = _content(delivery)
        digest = hashlib.sha256(delivery.target.encode()).hexdigest()[:32]
        message = Message.objects.create(
            idempotency_key=f"alert:{delivery.alert_id}:{delivery.channel}:{digest}",
            kind="alert_escalation" if delivery.channel == "escalation" else "alert",
            channel="webhook" if delivery.channel == "webhook" else "email",
            recipients=[delivery.target],
            subject=subject,
            body_text=text,
            headers=headers,
            unit_id=delivery.alert.rule.unit_id,
            link=f"/alerts/{delivery.alert_id}/",
            status=STATUS.get(delivery.status, "queued"),
            attempts=delivery.attempts,
            lease_until=delivery.lease_until,
            next_attempt_at=delivery.next_attempt_at,
            last_error=delivery.last_error,
            sent_at=delivery.sent_at,
        )
        # The message's own time is the alert's, not the upgrade's.
        Message.objects.filter(pk=message.pk).update(created_at=delivery.alert.created_at)
        Delivery.objects.filter(pk=delivery.pk).update(message=message)


def backwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _checks_now(schema_editor)
    Delivery = apps.get_model("alerts", "Delivery")
    Message = apps.get_model("outbox", "Message")
    back = {value: key for key, value in STATUS.items()}
    moved = []
    for delivery in Delivery.objects.select_related("message").iterator():
        message = delivery.message
        moved.append(message.pk)
        Delivery.objects.filter(pk=delivery.pk).update(
            message=None,
            status=back.get(message.status, "pending"),
            attempts=message.attempts,
            lease_until=message.lease_until,
            next_attempt_at=message.next_attempt_at,
            last_error=message.last_error,
            sent_at=message.sent_at,
        )
    # The messages go back into the deliveries: the way forward makes them again.
    Message.objects.filter(pk__in=moved).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_verbose_names"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="message",
            field=models.OneToOneField(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="outbox.message"
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="delivery",
            name="message",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="outbox.message"
            ),
        ),
        migrations.RemoveIndex(model_name="delivery", name="delivery_due"),
        migrations.RemoveField(model_name="delivery", name="attempts"),
        migrations.RemoveField(model_name="delivery", name="last_error"),
        migrations.RemoveField(model_name="delivery", name="lease_until"),
        migrations.RemoveField(model_name="delivery", name="next_attempt_at"),
        migrations.RemoveField(model_name="delivery", name="sent_at"),
        migrations.RemoveField(model_name="delivery", name="status"),
    ]
