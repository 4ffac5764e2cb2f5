"""Outlets, their polled sources, per-host politeness slots and pipeline counters."""

from __future__ import annotations

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class OutletTier(models.IntegerChoices):
    PROMINENT = 1, _("Prominent (national, high reach)")
    STANDARD = 2, _("Standard")
    MINOR = 3, _("Minor")


class Channel(models.TextChoices):
    """Where an outlet publishes: the press, a social network (a public page or channel), a forum
    or a video channel. Search filters and reports' shares of coverage go by it."""

    PRESS = "press", _("Press")
    SOCIAL = "social", _("Social networks")
    FORUM = "forum", _("Forums")
    VIDEO = "video", _("Video")


class Outlet(models.Model):
    """A publisher: a newspaper or magazine, or a public page, channel or forum (a source, never a
    person: Loa keeps no private person's name, handle or id)."""

    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(
        _("domain"),
        max_length=255,
        unique=True,
        help_text=_("Host name, with the port if not standard; for a page or channel, host/page."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PRESS)
    tier = models.PositiveSmallIntegerField(_("prominence"), choices=OutletTier.choices, default=OutletTier.STANDARD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed")
    SITEMAP = "sitemap", _("Sitemap (index or Google News)")
    HTML = "html", _("HTML section page")
    YOUTUBE = "youtube", _("YouTube channel")
    FACEBOOK = "facebook", _("Facebook page")
    TELEGRAM = "telegram", _("Telegram public channel")
    FORUM = "forum", _("Forum section")


# The kinds whose connector reads whole posts (title, text, engagement) rather than links to fetch.
SOCIAL_KINDS = frozenset({SourceKind.YOUTUBE, SourceKind.FACEBOOK, SourceKind.TELEGRAM, SourceKind.FORUM})
# The channel of the outlet a source of each kind publishes on.
KIND_CHANNEL = {
    SourceKind.YOUTUBE: Channel.VIDEO,
    SourceKind.FACEBOOK: Channel.SOCIAL,
    SourceKind.TELEGRAM: Channel.SOCIAL,
    SourceKind.FORUM: Channel.FORUM,
}


class Source(models.Model):
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="sources")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=1000, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.FEED)
    link_pattern = models.CharField(
        _("link pattern"),
        max_length=300,
        blank=True,
        help_text=_("Regular expression that article links match (section pages and sitemaps)."),
    )
    interval_minutes = models.PositiveIntegerField(_("polling interval (minutes)"), default=10)
    enabled = models.BooleanField(_("enabled"), default=True)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, db_index=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    # The reason code of the last error, so that pages can name it in the reader's language.
    last_error_reason = models.CharField(_("reason of the last error"), max_length=60, blank=True)
    # New links the last poll left for later because of the per-poll cap, and that cap.
    links_skipped = models.PositiveIntegerField(_("new links left at the last poll"), default=0)
    links_cap = models.PositiveIntegerField(_("new links allowed per poll"), default=0)
    # Who is warned when the source falls silent or leaves its usual volume: the staff of this
    # unit; empty, the staff who manage sources (the bloc's department keeps the registry).
    owner_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Its staff are warned about the source's health; empty: the staff who manage sources."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["outlet__name", "name"]

    def __str__(self) -> str:
        return f"{self.outlet.name} · {self.name}"

    @property
    def last_error_label(self) -> str:
        from loa.sources.labels import reason_label

        return reason_label(self.last_error_reason) if self.last_error_reason else ""

    @property
    def cap_note(self) -> str:
        if not self.links_skipped:
            return ""
        return gettext("limited to %(cap)s new links per poll; %(skipped)s skipped") % {
            "cap": number_format(self.links_cap, force_grouping=True),
            "skipped": number_format(self.links_skipped, force_grouping=True),
        }


class HostSlot(models.Model):
    """When a host may next be asked, shared by every worker process."""

    host = models.CharField(max_length=255, unique=True)
    next_at = models.DateTimeField()

    class Meta:
        verbose_name = _("host politeness slot")
        verbose_name_plural = _("host politeness slots")

    def __str__(self) -> str:
        return self.host


class PipelineCount(models.Model):
    """How many items each stage kept, skipped or failed, per source, day and reason."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, null=True, blank=True, related_name="counts")
    day = models.DateField()
    stage = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20)
    reason = models.CharField(max_length=60, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pipeline counter")
        verbose_name_plural = _("pipeline counters")
        constraints = [
            models.UniqueConstraint(fields=["source", "day", "stage", "outcome", "reason"], name="pipeline_count_key"),
        ]
        indexes = [models.Index(fields=["day", "stage"], name="pipeline_count_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} {self.outcome} {self.reason}: {self.count}"


class HealthState(models.TextChoices):
    OK = "ok", _("normal")
    QUIET = "quiet", _("quieter than usual")
    SILENT = "silent", _("silent")
    SURGE = "surge", _("surge")
    LEARNING = "learning", _("learning")


class SourceHealth(models.Model):
    """A source's health at the last sweep (`loa.sources.health`), so that pages read it in one
    query instead of counting 28 days of articles per row."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="health")
    state = models.CharField(_("health"), max_length=10, choices=HealthState.choices, default=HealthState.LEARNING)
    day = models.DateField(_("day assessed"))
    count = models.PositiveIntegerField(_("articles that day"), default=0)
    median = models.FloatField(_("usual median"), null=True, blank=True)
    band_low = models.PositiveIntegerField(_("usual band, low"), null=True, blank=True)
    band_high = models.PositiveIntegerField(_("usual band, high"), null=True, blank=True)
    last_article_at = models.DateTimeField(_("last article"), null=True, blank=True)
    silent_after_minutes = models.PositiveIntegerField(_("silent after (minutes)"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("source health")
        verbose_name_plural = _("source health")

    def __str__(self) -> str:
        return f"{self.source_id}: {self.state}"

    @property
    def silent_after_hours(self) -> str:
        if self.silent_after_minutes is None:
            return ""
        return number_format(self.silent_after_minutes / 60, decimal_pos=1)


class HealthEpisode(models.Model):
    """A stretch of time a source spent out of its usual band: one warning when it opens,
    closed when the source is back in band. At most one open episode per source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="health_episodes")
    state = models.CharField(_("health"), max_length=10, choices=HealthState.choices)
    opened_at = models.DateTimeField(_("opened"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    recipients = models.PositiveIntegerField(_("staff warned"), default=0)

    class Meta:
        verbose_name = _("source health episode")
        verbose_name_plural = _("source health episodes")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=models.Q(resolved_at__isnull=True), name="health_episode_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.state} {self.opened_at:%Y-%m-%d %H:%M}"


class ImportMapping(models.Model):
    """Which column of a social-listening vendor's export holds each field of a post (`loa
    import-social --mapping NAME`). Only the columns named here are ever read: an export's author
    columns stay in the file."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    # {field: column}, the fields of loa.articles.social_import.FIELDS.
    columns = models.JSONField(_("columns"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
