"""Aggregate opinion reports from units: per period, streams of opinion by topic with their
tendency, intensity and breadth, and proposals. Never names: opinion is sensitive personal data.

Topics come from a managed list, so that the same stream is one series however units word it:
bloc staff add, rename and merge topics (a merged topic stays as an alias of the one kept), a
unit may propose a new one, which counts under its own name until staff accept or merge it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    AD_HOC = "ad_hoc", _("ad hoc")


class Tendency(models.TextChoices):
    AGREE = "agree", _("agreeing (đồng tình)")
    OPPOSE = "oppose", _("opposing (phản đối)")
    HESITANT = "hesitant", _("hesitant (băn khoăn)")


class Breadth(models.TextChoices):
    VAST_MAJORITY = "tuyet_dai_da_so", _("the vast majority")
    MAJORITY = "da_so", _("the majority")
    MANY = "nhieu", _("many")
    SOME = "mot_so", _("some")


class Intensity(models.IntegerChoices):
    MILD = 1, _("mild")
    MARKED = 2, _("marked")
    STRONG = 3, _("strong")


class TopicStatus(models.TextChoices):
    ACCEPTED = "accepted", _("in the list")
    PROPOSED = "proposed", _("proposed")
    MERGED = "merged", _("merged")


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # The folded words of the name (synthesis.topic_key): how units' wording is matched.
    key = models.CharField(max_length=200, unique=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.ACCEPTED)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aliases",
    )
    proposed_by = models.ForeignKey(
        "units.Unit", verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opinion topic")
        verbose_name_plural = _("opinion topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SynthesisRule(models.Model):
    """The one row of thresholds the synthesis applies (pk 1); staff of the bloc change it."""

    complete_share = models.PositiveSmallIntegerField(
        _("share of units for a complete period (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A period with fewer of the expected units reported is marked incomplete and left out of trends."),
    )
    rising_min_units = models.PositiveSmallIntegerField(
        _("units needed for a rising topic"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("A topic is called rising only when at least this many units report it."),
    )

    class Meta:
        verbose_name = _("synthesis rule")
        verbose_name_plural = _("synthesis rules")

    def __str__(self) -> str:
        return f"{self.complete_share} % / {self.rising_min_units}"


def period_label(period: str) -> str:
    """ "2026-10" as pages, charts and documents write it: 10/2026."""
    year, month = period.split("-")
    return f"{month}/{year}"


class OpinionReport(models.Model):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="opinion_reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.MONTHLY)
    period = models.CharField(
        _("period"), max_length=7, help_text=_("Month as YYYY-MM (the last month for a quarter).")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opinion report")
        verbose_name_plural = _("opinion reports")
        ordering = ["-period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period"], condition=~models.Q(kind="ad_hoc"), name="opinion_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period)


class OpinionItem(models.Model):
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="items")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="items")
    tendency = models.CharField(_("tendency"), max_length=10, choices=Tendency.choices)
    intensity = models.PositiveSmallIntegerField(_("intensity"), choices=Intensity.choices, default=Intensity.MARKED)
    breadth = models.CharField(_("breadth"), max_length=16, choices=Breadth.choices)
    summary = models.TextField(_("what is being said"), blank=True, help_text=_("In aggregate; never name anyone."))
    proposals = models.TextField(_("proposals"), blank=True)

    class Meta:
        verbose_name = _("opinion stream")
        verbose_name_plural = _("opinion streams")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.topic)
