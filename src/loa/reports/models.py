"""Letterheads and document numbers of the issuing units, and periodic reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignatureMode(models.TextChoices):
    NONE = "", _("in one's own name")
    ON_BEHALF = "T/M", _("T/M (on behalf of the collective)")
    DEPUTY = "K/T", _("K/T (deputy signing for the head)")
    AUTHORISED = "T/L", _("T/L (authorised by the head)")


class Letterhead(models.Model):
    """How a unit prints itself on its documents (36-HD/VPTW): the superior body, the issuer, the
    symbol used in numbers, the place, the usual signer and recipients."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="letterhead"
    )
    superior = models.CharField(_("superior body"), max_length=200, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200)
    symbol = models.CharField(_("symbol in document numbers"), max_length=30, help_text=_("e.g. BTGDV in 12-BC/BTGDV."))
    place = models.CharField(_("place"), max_length=80, default="Hà Nội")
    signature_mode = models.CharField(
        _("signature"), max_length=3, choices=SignatureMode.choices, default=SignatureMode.ON_BEHALF, blank=True
    )
    signature_body = models.CharField(_("on behalf of"), max_length=120, blank=True, help_text=_("e.g. BAN THƯỜNG VỤ."))
    signer_position = models.CharField(_("signer's position"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line, as under “Nơi nhận”."))
    term_start = models.DateField(
        _("start of the committee's term"),
        help_text=_("Party documents are numbered per type for the whole term, not per calendar year."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.issuer


class DocumentCounter(models.Model):
    """The last number given to a type of document of an issuer in a term."""

    symbol = models.CharField(max_length=30)
    doc_type = models.CharField(max_length=10)
    term_start = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document number counter")
        verbose_name_plural = _("document number counters")
        constraints = [
            models.UniqueConstraint(fields=["symbol", "doc_type", "term_start"], name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}/{self.symbol} {self.term_start:%Y}: {self.last_number}"


class ReportKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    HALF = "half", _("half year")
    YEAR = "year", _("year")
    YEARS = "years", _("several years")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class Report(models.Model):
    """A periodic report: the figures are a snapshot taken when it was prepared (refreshable while
    a draft), the assessment and the directions are written by staff."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit reported on"),
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("Its subtree's work and its monitored organisations are counted."),
    )
    letterhead = models.ForeignKey(
        Letterhead, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("period"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    label = models.CharField(_("period"), max_length=80)
    summary = models.CharField(_("summary"), max_length=300)
    figures = models.JSONField(default=dict, editable=False)
    assessment = models.TextField(_("assessment"), blank=True)
    directions = models.TextField(_("directions for the next period"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    prepared_at = models.DateTimeField(_("figures taken at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="report_period"),
        ]

    def __str__(self) -> str:
        return self.summary
