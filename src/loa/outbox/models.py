"""One row per message Loa sends: what, to whom, for which unit, and how sending went."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """A message as it is sent: its content is fixed when queued, so a retry sends the same."""

    # Who queued it for what (e.g. "alert:12:email:…", "digest:5"): queuing again finds the row.
    idempotency_key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # E-mail addresses, or the one address a webhook posts to.
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # What a kind drawn when sent (`kinds.register_drawn_when_sent`) needs to draw it: ids and
    # flags, never a secret.
    context = models.JSONField(default=dict, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where the listing links to: the page of what the message is about.
    link = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        # The sweep looks for what is due every half minute.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.channel}:{', '.join(self.recipients)[:80]} {self.subject[:80]}"
