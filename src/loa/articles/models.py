"""The ingestion frontier (links waiting to be fetched) and stored articles."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Being processed")
    DONE = "done", _("Stored")
    DISCARDED = "discarded", _("Discarded")
    QUARANTINED = "quarantined", _("Quarantined")
    FAILED = "failed", _("Failed")


class FetchItem(models.Model):
    """One article link to fetch, once: the canonical URL key is unique across sources.

    A worker leases an item before working on it; a worker that dies leaves the lease to
    expire and the item goes back to the queue, so nothing is lost or done twice.
    """

    url = models.URLField(max_length=2000)
    url_key = models.CharField(max_length=40, unique=True)
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.CASCADE,
        related_name="fetch_items",
        null=True,
        blank=True,
    )
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    hint_title = models.CharField(max_length=500, blank=True)
    hint_summary = models.TextField(blank=True)
    hint_published = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=60, blank=True)
    detail = models.TextField(blank=True)
    discovered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    article = models.ForeignKey("Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("link to fetch")
        verbose_name_plural = _("links to fetch")
        indexes = [
            models.Index(fields=["status", "not_before"], name="fetchitem_ready"),
            models.Index(fields=["status", "lease_until"], name="fetchitem_lease"),
        ]

    def __str__(self) -> str:
        return self.url


class Article(models.Model):
    outlet = models.ForeignKey(
        "sources.Outlet",
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    url = models.URLField(_("address"), max_length=2000)
    url_key = models.CharField(max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8, default="vi")
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    created_at = models.DateTimeField(_("stored"), auto_now_add=True, db_index=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    signature = models.BinaryField(editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("copy of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    similarity = models.FloatField(_("similarity"), null=True, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    warc_path = models.CharField(max_length=300, blank=True)
    warc_offset = models.BigIntegerField(null=True, blank=True)
    warc_length = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["outlet", "-published_at"], name="article_outlet_time"),
            # The time search filters and analytics group on (publication, else storage): date
            # ranges then read this index instead of every row (bench.analytics).
            models.Index(Coalesce("published_at", "created_at"), name="article_time"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> object:
        return self.published_at or self.created_at


class ArticleBand(models.Model):
    """One LSH band of an article's MinHash: articles sharing a band are candidate copies."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("article fingerprint band")
        verbose_name_plural = _("article fingerprint bands")
        indexes = [models.Index(fields=["band", "key"], name="articleband_lookup")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.band}"


class Engagement(models.Model):
    """What a platform showed about a post when Loa looked: views, reactions, comments and shares
    are snapshots dated when observed, since platforms change their counts after the fact.

    Comments only in aggregate: their number and the share of negative, neutral and positive
    among those read, computed in memory; their texts and authors are never stored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="engagement")
    observed_at = models.DateTimeField(_("observed"))
    views = models.PositiveBigIntegerField(_("views"), null=True, blank=True)
    reactions = models.PositiveBigIntegerField(_("reactions"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    comments_read = models.PositiveIntegerField(_("comments read for tone"), default=0)
    comments_negative = models.PositiveIntegerField(_("negative comments"), default=0)
    comments_neutral = models.PositiveIntegerField(_("neutral comments"), default=0)
    comments_positive = models.PositiveIntegerField(_("positive comments"), default=0)

    class Meta:
        verbose_name = _("engagement snapshot")
        verbose_name_plural = _("engagement snapshots")
        ordering = ["article", "observed_at"]
        indexes = [models.Index(fields=["article", "-observed_at"], name="engagement_latest")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.observed_at:%Y-%m-%d %H:%M}"

    @property
    def interactions(self) -> int:
        """Reactions, comments and shares together: the usual measure of engagement."""
        return (self.reactions or 0) + (self.comments or 0) + (self.shares or 0)
