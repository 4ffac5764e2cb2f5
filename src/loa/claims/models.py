"""The claims register, its matches, the rebuttal library and correction/removal requests.

A claim is a statement about the bloc or its enterprises that staff judge false or distorted.
Everything here is about published content and what it says; no author, account or person is
recorded, only outlets and addresses of published items.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClaimStatus(models.TextChoices):
    WATCHING = "watching", _("Watching")
    ANSWERED = "answered", _("Answered")
    DORMANT = "dormant", _("Dormant")


class Claim(models.Model):
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="claims")
    title = models.CharField(_("short name"), max_length=200)
    statement = models.TextField(_("what it says"))
    why_false = models.TextField(_("why it is false or distorted"))
    organisations = models.ManyToManyField(
        "analysis.Organisation", verbose_name=_("organisations targeted"), blank=True, related_name="claims"
    )
    saved_query = models.ForeignKey(
        "analysis.SavedQuery",
        verbose_name=_("match rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        help_text=_("A saved query; coverage it matches is proposed as coverage of the claim."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.WATCHING)
    first_seen_at = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    dormant_after_days = models.PositiveSmallIntegerField(
        _("dormant after (days)"),
        default=30,
        help_text=_("A claim with no confirmed coverage for this long becomes dormant; its return raises an alert."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class ClaimExample(models.Model):
    """A text that says the claim (positive) or a near miss staff rejected (negative). The
    matcher compares new coverage with both; confirmed and rejected matches add to them."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="examples")
    text = models.TextField(_("text"))
    positive = models.BooleanField(_("says the claim"), default=True)
    article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("claim example")
        verbose_name_plural = _("claim examples")
        ordering = ["claim", "-positive", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("To check")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class MatchVia(models.TextChoices):
    RULE = "rule", _("Match rule")
    SIMILARITY = "similarity", _("Similar to the examples")
    BOTH = "both", _("Rule and similarity")
    STAFF = "staff", _("Added by staff")


class ClaimMatch(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claim_matches")
    via = models.CharField(_("found by"), max_length=10, choices=MatchVia.choices)
    score = models.FloatField(_("similarity"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("claim match")
        verbose_name_plural = _("claim matches")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["claim", "article"], name="claimmatch_once")]

    def __str__(self) -> str:
        return f"{self.claim_id}:{self.article_id}"


class RebuttalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("rebuttal", "Draft")
    REVIEWED = "reviewed", pgettext_lazy("rebuttal", "Reviewed")
    APPROVED = "approved", pgettext_lazy("rebuttal", "Approved")
    SUPERSEDED = "superseded", pgettext_lazy("rebuttal", "Superseded")


class Rebuttal(models.Model):
    """An argument against a claim. Its text lives in versions; the one in use is the latest
    approved version."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="rebuttals")
    title = models.CharField(_("argument"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rebuttal")
        verbose_name_plural = _("rebuttals")
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return self.title


class RebuttalVersion(models.Model):
    rebuttal = models.ForeignKey(Rebuttal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=RebuttalStatus.choices, default=RebuttalStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rebuttal version")
        verbose_name_plural = _("rebuttal versions")
        ordering = ["rebuttal", "-number"]
        constraints = [models.UniqueConstraint(fields=["rebuttal", "number"], name="rebuttalversion_number_once")]

    def __str__(self) -> str:
        return f"{self.rebuttal_id} v{self.number}"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Registered document")
    FIGURE = "figure", _("Figure")
    STATEMENT = "statement", _("Statement already published")
    ARTICLE = "article", _("Published article")


class Evidence(models.Model):
    version = models.ForeignKey(RebuttalVersion, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    description = models.TextField(_("what it shows"))
    reference = models.CharField(
        _("reference"), max_length=500, blank=True, help_text=_("Document number, source of the figure, or address.")
    )
    document = models.ForeignKey(
        "directives.Directive", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    statement = models.ForeignKey(
        "incidents.Statement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    REPLY = "reply", _("Reply")
    REMOVAL = "removal", _("Removal")


class Addressee(models.TextChoices):
    OUTLET = "outlet", _("The outlet")
    PLATFORM = "platform", _("The platform")
    AUTHORITY = "authority", _("The competent authority")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    UNCHANGED = "unchanged", _("Unchanged")
    EDITED = "edited", _("Edited")
    CORRECTED = "corrected", _("Correction published")
    REMOVED = "removed", _("Removed")
    UNREACHABLE = "unreachable", _("Could not be fetched")


class ContentRequest(models.Model):
    """A request to correct, reply to or remove a published item, and what became of it."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="content_requests"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="content_requests",
    )
    article = models.ForeignKey(
        "articles.Article", verbose_name=_("item"), on_delete=models.PROTECT, related_name="content_requests"
    )
    url = models.URLField(_("address"), max_length=2000)
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    addressee_kind = models.CharField(_("addressed to"), max_length=10, choices=Addressee.choices)
    addressee = models.CharField(_("recipient"), max_length=300)
    legal_basis = models.TextField(_("legal basis"))
    text_sent = models.TextField(_("text sent"))
    sent_at = models.DateTimeField(_("sent"))
    deadline = models.DateField(_("deadline"))
    # The archived original the checks compare with: the text, when it was captured, and the
    # SHA-256 of the archived bytes (the evidence copy).
    original_text = models.TextField(blank=True)
    original_captured_at = models.DateTimeField(null=True, blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction or removal request")
        verbose_name_plural = _("correction or removal requests")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"


class RequestCheck(models.Model):
    request = models.ForeignKey(ContentRequest, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField(_("checked"))
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    # Word-level changes against the original: [["-", "words removed"], ["+", "words added"], …].
    diff = models.JSONField(default=list, blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        verbose_name = _("request check")
        verbose_name_plural = _("request checks")
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.outcome}"
