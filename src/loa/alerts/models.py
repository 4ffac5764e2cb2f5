"""Alert rules, the alerts they raise (once per trigger) and their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    NEGATIVE_PROMINENT = "negative_prominent", _("Negative coverage in a prominent outlet")
    VOLUME_SPIKE = "volume_spike", _("Spike in coverage volume")
    NEGATIVE_STORY = "negative_story", _("Fast-growing negative story")
    CROSSOVER = "crossover", _("From social networks to the press")
    ENGAGEMENT_VELOCITY = "engagement", _("Social post engagement growing fast")
    # Raised by the claims register when a dormant claim is published again; never evaluated here.
    CLAIM_RETURN = "claim_return", _("A dormant false claim returns")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class MinSalience(models.TextChoices):
    """The least an article must be about an organisation for a rule to take it (see
    `loa.analysis.models.Salience`)."""

    MAIN = "main", _("Main subject only")
    SECONDARY = "secondary", _("Main subject or a substantive part")
    PASSING = "passing", _("Also named in passing")


class AlertRule(models.Model):
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="alert_rules")
    organisation = models.ForeignKey(
        "analysis.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_rules",
    )
    saved_query = models.ForeignKey(
        "analysis.SavedQuery",
        verbose_name=_("saved query"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_rules",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    # Which articles the rule takes: those about its organisation at least this much; for a
    # saved-query rule, those about at least one monitored organisation at least this much.
    min_salience = models.CharField(
        _("minimum salience"),
        max_length=10,
        choices=MinSalience.choices,
        default=MinSalience.SECONDARY,
        help_text=_("How much an article must be about the organisation for the rule to count it."),
    )
    every_match = models.BooleanField(
        _("every matching article"),
        default=False,
        help_text=_(
            "Saved-query rules only: count every article matching the query, even one about no monitored organisation."
        ),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    # Negative coverage: outlets of this prominence tier or more prominent, mentions at least this prominent.
    max_tier = models.PositiveSmallIntegerField(_("most minor outlet tier"), default=1)
    min_prominence = models.FloatField(_("minimum prominence"), default=0.3)
    # Volume spike: the last day against the 14 before, or the last hour against the 12 before.
    window = models.CharField(
        _("window"), max_length=4, choices=[("day", _("day")), ("hour", _("hour"))], default="day"
    )
    sigma = models.FloatField(_("k (standard deviations)"), default=3.0)
    min_count = models.PositiveIntegerField(_("minimum articles"), default=5)
    # Negative story: articles in the last hours and the share of them that are negative.
    story_hours = models.PositiveIntegerField(_("story window (hours)"), default=6)
    story_min_articles = models.PositiveIntegerField(_("story minimum articles"), default=3)
    story_negative_share = models.FloatField(_("story negative share"), default=0.5)
    # Engagement: a post whose reactions, comments and shares together grow this fast.
    min_interactions_per_hour = models.PositiveIntegerField(
        _("interactions per hour"),
        default=500,
        help_text=_("Engagement rule: reactions, comments and shares added per hour between two observations."),
    )
    emails = models.TextField(_("e-mail recipients"), blank=True, help_text=_("One address per line."))
    webhook_url = models.URLField(_("webhook"), blank=True)
    suppression_minutes = models.PositiveIntegerField(
        _("suppression window (minutes)"),
        default=60,
        help_text=_("Further alerts of this rule within the window are shown but not sent."),
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate after (minutes)"), default=0, help_text=_("0: never.")
    )
    escalation_emails = models.TextField(_("escalation recipients"), blank=True, help_text=_("One address per line."))
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, saved_query__isnull=True)
                | models.Q(organisation__isnull=True, saved_query__isnull=False),
                name="alertrule_one_target",
                violation_error_message=_("A rule watches either an organisation or a saved query."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def email_list(self) -> list[str]:
        return [line.strip() for line in self.emails.splitlines() if line.strip()]

    def escalation_list(self) -> list[str]:
        return [line.strip() for line in self.escalation_emails.splitlines() if line.strip()]


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class Alert(models.Model):
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    trigger_key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    suppressed = models.BooleanField(_("suppressed"), default=False)
    article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    story = models.ForeignKey("analysis.Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    # Why it was raised (the articles, stories, outlets and terms behind it, tone against the
    # usual): see `loa.alerts.explain`.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["rule", "trigger_key"], name="alert_once_per_trigger")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
    ESCALATION = "escalation", _("Escalation e-mail")


class Delivery(models.Model):
    """One message of one alert to one target; unique, so an alert never queues it twice.
    The message itself (status, attempts, errors) is the outbox's."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    target = models.CharField(max_length=500)
    message = models.OneToOneField("outbox.Message", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["alert", "channel", "target"], name="delivery_once")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.channel}:{self.target}"
