"""The daily press review (điểm báo): profiles saying what goes in and when, and the editions
with their sections and items. Items are copies of what the articles said when the review was
built, so an archived review reads the same years later."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loa.analysis.models import Sentiment
from loa.reports.models import SignatureMode


class DigestProfile(models.Model):
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="digest_profiles"
    )
    letterhead = models.ForeignKey(
        "reports.Letterhead",
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    build_at = models.TimeField(
        _("built at"), default=dt.time(6, 30), help_text=_("Covers the 24 hours before this time, local time.")
    )
    organisations = models.ManyToManyField(
        "analysis.Organisation",
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: every followed organisation of the unit."),
    )
    topics = models.ManyToManyField(
        "analysis.Topic",
        verbose_name=_("topic sections"),
        blank=True,
        related_name="+",
        help_text=_("Notable stories of these topics get sections of their own."),
    )
    max_items = models.PositiveSmallIntegerField(_("items per section at most"), default=10)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("E-mail addresses, one per line."))
    # The closing of the paper (36-HD/VPTW): "Nơi nhận" and the signer block. Left empty, they
    # are the letterhead's, so a review signs like the unit's other documents.
    distribution = models.TextField(
        _("distribution (Nơi nhận)"),
        blank=True,
        help_text=_("One per line, as under “Nơi nhận”. Empty: the letterhead's list. A “Lưu …” line ends it."),
    )
    signature_mode = models.CharField(
        _("signature"), max_length=3, choices=SignatureMode.choices, blank=True, default=SignatureMode.NONE
    )
    signature_body = models.CharField(_("on behalf of"), max_length=120, blank=True, help_text=_("e.g. BAN THƯỜNG VỤ."))
    signer_position = models.CharField(
        _("signer's position"),
        max_length=120,
        blank=True,
        help_text=_("With the signer's name: the review's own signer. Both empty: the letterhead's signer."),
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    enabled = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("press review profile")
        verbose_name_plural = _("press review profiles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DigestStatus(models.TextChoices):
    DRAFT = "draft", _("being edited")
    SENT = "sent", _("sent")


class Digest(models.Model):
    profile = models.ForeignKey(DigestProfile, on_delete=models.PROTECT, related_name="digests")
    day = models.DateField(_("date"))
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=DigestStatus.choices, default=DigestStatus.DRAFT)
    introduction = models.TextField(_("editor's introduction"), blank=True)
    built_at = models.DateTimeField(_("built"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_to = models.TextField(blank=True)
    # Folded text of the items and comments, for the archive's diacritic-insensitive search.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("press review")
        verbose_name_plural = _("press reviews")
        ordering = ["-day", "profile__name"]
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.profile} {self.day:%d/%m/%Y}"


class DigestSection(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        "analysis.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey("analysis.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("press review section")
        verbose_name_plural = _("press review sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class DigestItem(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(DigestSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, related_name="+")
    story = models.ForeignKey("analysis.Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=2000)
    outlets = models.CharField(_("outlets"), max_length=500)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    sentiment = models.CharField(_("tone"), max_length=10, choices=Sentiment.choices)
    comment = models.TextField(_("editor's comment"), blank=True)
    removed = models.BooleanField(_("removed"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("press review item")
        verbose_name_plural = _("press review items")
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "story"], condition=models.Q(story__isnull=False), name="digest_story_once"
            ),
            models.UniqueConstraint(
                fields=["digest", "article"], condition=models.Q(article__isnull=False), name="digest_article_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title
