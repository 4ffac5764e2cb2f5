"""Aggregate opinion reports from units: per period, streams of opinion by topic with their
tendency, intensity and breadth, and proposals. Never names: opinion is sensitive personal data."""

from __future__ import annotations

from django.conf import settings
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
        return f"{self.unit} {self.period}"


class OpinionItem(models.Model):
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(_("topic"), max_length=200)
    tendency = models.CharField(_("tendency"), max_length=10, choices=Tendency.choices)
    intensity = models.PositiveSmallIntegerField(_("intensity"), choices=Intensity.choices, default=Intensity.MARKED)
    breadth = models.CharField(_("breadth"), max_length=16, choices=Breadth.choices)
    summary = models.TextField(_("what is being said"), blank=True, help_text=_("In aggregate; never name anyone."))
    proposals = models.TextField(_("proposals"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.topic
