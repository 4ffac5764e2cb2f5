"""Playbooks, spokespersons, incidents with their steps, statements and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loa.alerts.models import Severity


class Playbook(models.Model):
    """A prepared scenario (kịch bản) for a kind of media crisis."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("when to use it"), blank=True)
    severity = models.CharField(_("usual severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    first_response_hours = models.PositiveIntegerField(_("first statement within (hours)"), default=6)
    enabled = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    owner_role = models.CharField(
        _("owner"), max_length=120, blank=True, help_text=_("Who does it, e.g. the propaganda board.")
    )
    due_after_hours = models.PositiveIntegerField(_("due after (hours)"), default=1)

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["playbook", "order", "id"]

    def __str__(self) -> str:
        return self.title


class StatementChannel(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    WEBSITE = "website", _("Official website or page")
    INTERVIEW = "interview", _("Direct interview")
    RELEASE = "release", _("Written release or e-mail reply")
    BRIEFING = "briefing", _("Briefing on request")
    CORRECTION = "correction", _("Request to a paper for reply or correction")


class Spokesperson(models.Model):
    """A person allowed to speak for a unit (Nghị định 09/2017): the head, an appointed
    spokesperson, or someone authorised in writing. Only what the work needs is kept."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="spokespersons"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200)
    channels = models.JSONField(_("channels"), default=list)
    authorisation = models.CharField(_("authorising document"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("spokesperson")
        verbose_name_plural = _("spokespersons")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"

    def channel_labels(self) -> list[str]:
        return [str(StatementChannel(c).label) for c in self.channels if c in StatementChannel.values]


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDING = "responding", _("Responding")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="incidents")
    organisation = models.ForeignKey(
        "analysis.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    status = models.CharField(_("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    summary = models.TextField(_("summary"), blank=True)
    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    alert = models.ForeignKey(
        "alerts.Alert", on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    stories = models.ManyToManyField("analysis.Story", blank=True, related_name="incidents")
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    first_response_due = models.DateTimeField(_("first statement due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first statement published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    review = models.JSONField(_("closing review"), default=dict, blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title


class IncidentStep(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("step"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_role = models.CharField(_("owner"), max_length=120, blank=True)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("incident step")
        verbose_name_plural = _("incident steps")
        ordering = ["incident", "order", "id"]

    def __str__(self) -> str:
        return self.title


class StatementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("statement", "Draft")
    REVIEWED = "reviewed", pgettext_lazy("statement", "Reviewed")
    APPROVED = "approved", pgettext_lazy("statement", "Approved")
    PUBLISHED = "published", pgettext_lazy("statement", "Published")


class Statement(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="statements")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    channel = models.CharField(_("channel"), max_length=20, choices=StatementChannel.choices)
    spokesperson = models.ForeignKey(
        Spokesperson, verbose_name=_("spokesperson"), on_delete=models.PROTECT, related_name="statements"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_url = models.URLField(_("where it was published"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("press statement")
        verbose_name_plural = _("press statements")
        ordering = ["incident", "created_at"]

    def __str__(self) -> str:
        return self.title


class TimelineKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    NOTE = "note", _("Note")
    COVERAGE = "coverage", _("New coverage")
    STEP = "step", _("Step done")
    STATEMENT = "statement", _("Statement")
    STATUS = "status", _("Status")
    REQUEST = "request", _("Correction or removal request")
    CLOSED = "closed", _("Closed")


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=TimelineKind.choices)
    text = models.TextField()
    article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["incident", "at", "id"]
        constraints = [
            # A piece of coverage goes on an incident's timeline once.
            models.UniqueConstraint(
                fields=["incident", "article"], condition=models.Q(kind="coverage"), name="timeline_coverage_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.kind}"
