"""Annual evaluation of the information work of units: a round per evaluating committee and year
with its 100-point criteria and thresholds, an evaluation per unit that goes self-assessment →
appraisal → decision, scores per criterion with the evidence Loa's records give, and the
commendations decided."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loa.evaluation.grading import Grade


class Source(models.TextChoices):
    MANUAL = "", _("assessed by hand")
    TASKS = "tasks", _("tasks done on time")
    STUDY = "study", _("study sessions and attendance")
    TRAINING = "training", _("people trained")
    OPINION = "opinion", _("opinion reports sent")
    INCIDENTS = "incidents", _("incidents handled in time")


class GradeChoice(models.TextChoices):
    # English msgids like every label, so the English UI shows English grades; the Vietnamese
    # catalogue gives the wording of Quy định 366-QĐ/TW.
    EXCELLENT = Grade.EXCELLENT.value, _("Tasks completed excellently")
    GOOD = Grade.GOOD.value, _("Tasks completed well")
    DONE = Grade.DONE.value, _("Tasks completed")
    NOT_DONE = Grade.NOT_DONE.value, _("Tasks not completed")


class Round(models.Model):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("evaluating committee"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    # Quy định 366-QĐ/TW by default; a committee may rate by a stricter rule of its own.
    excellent = models.DecimalField(_("excellent from"), max_digits=5, decimal_places=2, default=90)
    good = models.DecimalField(_("good from"), max_digits=5, decimal_places=2, default=70)
    done = models.DecimalField(_("done from"), max_digits=5, decimal_places=2, default=50)
    exceeded_share = models.DecimalField(
        _("share of tasks exceeded for excellent"), max_digits=3, decimal_places=2, default=Decimal("0.30")
    )
    behind_share = models.DecimalField(
        _("share of tasks behind allowed for done"), max_digits=3, decimal_places=2, default=Decimal("0.20")
    )
    excellent_cap = models.DecimalField(
        _("cap on excellent"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.20"),
        help_text=_("At most this share of the units rated good or better are rated excellent."),
    )
    commendation = models.CharField(
        _("commendation"), max_length=300, blank=True, help_text=_("Awarded to the units rated excellent.")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "title"], name="round_once")]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("criterion"), max_length=300)
    max_points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    source = models.CharField(_("evidence"), max_length=12, choices=Source.choices, blank=True, default="")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    DRAFT = "draft", _("awaiting self-assessment")
    SELF = "self", _("self-assessed")
    APPRAISED = "appraised", _("appraised")
    DECIDED = "decided", _("decided")


class Evaluation(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evaluations")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    evidence = models.JSONField(default=dict, blank=True)
    tasks = models.PositiveIntegerField(_("tasks"), default=0)
    tasks_done = models.PositiveIntegerField(_("tasks done"), default=0)
    tasks_on_time = models.PositiveIntegerField(_("tasks done on time"), default=0)
    tasks_exceeded = models.PositiveIntegerField(_("tasks exceeded"), default=0)
    disciplined_subordinate = models.BooleanField(_("a subordinate was disciplined"), default=False)
    shortcomings_fixed = models.BooleanField(_("past shortcomings fixed"), default=True)
    disqualified = models.BooleanField(_("a disqualifying condition"), default=False)
    self_points = models.DecimalField(_("self-assessed points"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_comment = models.TextField(_("self-assessment"), blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    self_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    points = models.DecimalField(_("appraised points"), max_digits=5, decimal_places=2, null=True, blank=True)
    appraisal_comment = models.TextField(_("appraisal"), blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed = models.CharField(_("proposed grade"), max_length=10, choices=GradeChoice.choices, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    # A grade the committee changed by judgment, with its written reason (history in GradeChange).
    changed_grade = models.CharField(_("grade changed to"), max_length=10, choices=GradeChoice.choices, blank=True)
    change_reason = models.TextField(_("reason for the change"), blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=GradeChoice.choices, blank=True)
    capped = models.BooleanField(default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["round", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="evaluation_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    suggested = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    self_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.criterion}"


class GradeChange(models.Model):
    """Each change of grade the committee made before the decision, with its reason; kept even
    when a later change withdraws it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grade_changes")
    earned = models.CharField(_("grade earned"), max_length=10, choices=GradeChoice.choices)
    changed_to = models.CharField(_("grade changed to"), max_length=10, choices=GradeChoice.choices, blank=True)
    reason = models.TextField(_("reason for the change"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["evaluation", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.earned} → {self.changed_to or '—'}"


class Commendation(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="commendations")
    title = models.CharField(_("commendation"), max_length=300)
    reason = models.CharField(_("for"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
