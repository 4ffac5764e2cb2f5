"""Studying a resolution: which audience group of which unit studies it in which session, at
which level (seed 003: "phân loại đối tượng … tránh chồng chéo"), and how many attended.

Attendance is counted per unit and group, never per person: the work needs completion rates,
not a register of who was absent.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loa.study import planner


class AudienceGroup(models.TextChoices):
    KEY_CADRES = "key_cadres", _("key cadres")
    MEMBERS = "members", _("party members")
    NEW_MEMBERS = "new_members", _("new party members")
    CANDIDATES = "candidates", _("outstanding non-members")


class Level(models.TextChoices):
    BLOC = "bloc", _("bloc")
    UPPER = "upper", _("upper-grassroots")
    GRASSROOTS = "grassroots", _("grassroots")
    CELL = "cell", _("party cell")


DEFAULT_RULES = planner.DEFAULT_RULES


class Audience(models.Model):
    """How many people of a group a unit has (aggregate, no names)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="audiences")
    group = models.CharField(_("audience group"), max_length=12, choices=AudienceGroup.choices)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["unit__path", "group"]
        constraints = [models.UniqueConstraint(fields=["unit", "group"], name="audience_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_group_display()}"


class StudyPlan(models.Model):
    title = models.CharField(_("document studied"), max_length=300)
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("registered document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="study_plans",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="study_plans"
    )
    rules = models.JSONField(_("levels"), default=dict)
    complete_by = models.DateField(_("complete by"))
    planned_at = models.DateTimeField(_("planned"), null=True, blank=True)
    fallbacks = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("study plan")
        verbose_name_plural = _("study plans")
        ordering = ["-complete_by", "title"]

    def __str__(self) -> str:
        return self.title


class StudySession(models.Model):
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="sessions")
    organiser = models.ForeignKey(
        "units.Unit", verbose_name=_("held by"), on_delete=models.PROTECT, related_name="study_sessions"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    group = models.CharField(_("audience group"), max_length=12, choices=AudienceGroup.choices)
    makeup_of = models.ForeignKey(
        "self", verbose_name=_("make-up of"), on_delete=models.CASCADE, null=True, blank=True, related_name="makeups"
    )
    scheduled_on = models.DateField(_("scheduled on"), null=True, blank=True)
    place = models.CharField(_("venue"), max_length=200, blank=True)
    speaker = models.ForeignKey(
        "people.Person",
        verbose_name=_("speaker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="study_sessions",
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["plan", "organiser__path", "group", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.organiser} · {self.get_group_display()}"


class SessionUnit(models.Model):
    """A unit's group at a session: how many were expected, came, and handed in a learning report."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendees")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    expected = models.PositiveIntegerField(_("expected"))
    attended = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    learning_reports = models.PositiveIntegerField(_("learning reports"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit at a session")
        verbose_name_plural = _("units at sessions")
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["session", "unit"], name="session_unit_once"),
            models.CheckConstraint(
                condition=models.Q(attended__isnull=True) | models.Q(attended__lte=models.F("expected")),
                name="attended_at_most_expected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.unit}"
