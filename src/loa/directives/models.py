"""Directives (the documents units must carry out), their citations and links, their numbered
task items, the units each item is assigned to, and the units' progress reports with evidence."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Directive(models.Model):
    symbol = models.CharField(_("number and symbol"), max_length=60, blank=True, db_index=True)
    doc_type = models.CharField(_("type"), max_length=60, blank=True)
    issuer_code = models.CharField(_("issuer symbol"), max_length=30, blank=True)
    issuer_name = models.CharField(_("issuing body"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)
    title = models.TextField(_("summary"))
    text = models.TextField(_("full text"), blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="directives",
        help_text=_("The unit that keeps this record; every unit reads directives."),
    )
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    # Folded symbol, type and summary, for a search that ignores diacritics and case.
    search_text = models.TextField(blank=True, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-date", "symbol"]
        constraints = [
            models.UniqueConstraint(
                fields=["symbol", "date"], condition=~models.Q(symbol=""), name="directive_symbol_date_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.symbol}".strip() or self.title[:80]

    def clean(self) -> None:
        limit = settings.LOA_DIRECTIVE_MAX_CHARS
        if len(self.text) > limit:
            raise ValidationError(
                {
                    "text": _("The text is longer than %(limit)s characters, more than a directive holds.")
                    % {"limit": limit}
                }
            )


class LinkKind(models.TextChoices):
    REPLACES = "replaces", _("replaces")
    AMENDS = "amends", _("amends")
    IMPLEMENTS = "implements", _("carries out")


class DirectiveLink(models.Model):
    """`source` replaces, amends or carries out `target` (the later document points back)."""

    source = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("relation"), max_length=12, choices=LinkKind.choices)

    class Meta:
        verbose_name = _("relation between documents")
        verbose_name_plural = _("relations between documents")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="directive_link_once"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="directive_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.target}"


class Citation(models.Model):
    """A document the directive cites, by symbol; linked to its record once that is registered."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="citations")
    symbol = models.CharField(max_length=60)
    doc_type = models.CharField(max_length=60, blank=True)
    date = models.DateField(null=True, blank=True)
    issuer_name = models.CharField(max_length=300, blank=True)
    target = models.ForeignKey(Directive, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by")

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["directive", "symbol"], name="citation_once")]

    def __str__(self) -> str:
        return self.symbol


class TaskItem(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("item"), max_length=10)
    text = models.TextField(_("task"))
    bodies = models.TextField(_("addressed to"), blank=True, help_text=_("One body per line, as the text names them."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task of a document")
        verbose_name_plural = _("tasks of documents")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def body_list(self) -> list[str]:
        return [line.strip() for line in self.bodies.splitlines() if line.strip()]


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", pgettext_lazy("task status", "done")


class Assignment(models.Model):
    task = models.ForeignKey(TaskItem, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.task} → {self.unit}"


class ProgressReport(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("what was done"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.progress}%"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
