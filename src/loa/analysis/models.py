"""Monitored organisations, saved queries, the taxonomy, and what analysis found."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class Organisation(models.Model):
    """An organisation whose coverage Loa follows (an enterprise of the bloc, the bloc itself)."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The party committee whose staff follow this organisation."),
    )
    aliases = models.TextField(
        _("names and aliases"), blank=True, help_text=_("One per line; diacritics and case do not matter.")
    )
    acronyms = models.TextField(
        _("acronyms"), blank=True, help_text=_("One per line, matched with exactly these capitals (EVN, PVN).")
    )
    ambiguous_aliases = models.TextField(
        _("ambiguous names"),
        blank=True,
        help_text=_("One per line; counted only when a context term appears in the article."),
    )
    context_terms = models.TextField(_("context terms"), blank=True, help_text=_("One per line."))
    exclusion_terms = models.TextField(
        _("exclusion terms"),
        blank=True,
        help_text=_("One per line; a mention in the same sentence as one of them is ignored."),
    )
    tickers = models.TextField(
        _("stock tickers"),
        blank=True,
        help_text=_("One per line, in capitals (VCB); read as the company only in a stock context."),
    )
    blocked_phrases = models.TextField(
        _("look-alike phrases"),
        blank=True,
        help_text=_(
            "One per line: longer phrases that contain a name but mean something else "
            "(Cục Hàng không Việt Nam, ngành điện ảnh)."
        ),
    )
    enabled = models.BooleanField(_("followed"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monitored organisation")
        verbose_name_plural = _("monitored organisations")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def alias_list(self) -> list[str]:
        return _lines(self.aliases)

    def acronym_list(self) -> list[str]:
        return _lines(self.acronyms)

    def ambiguous_list(self) -> list[str]:
        return _lines(self.ambiguous_aliases)

    def context_list(self) -> list[str]:
        return _lines(self.context_terms)

    def exclusion_list(self) -> list[str]:
        return _lines(self.exclusion_terms)

    def ticker_list(self) -> list[str]:
        return _lines(self.tickers)

    def blocked_list(self) -> list[str]:
        return _lines(self.blocked_phrases)


class MemberCompany(models.Model):
    """A subsidiary or member company of a monitored organisation: its coverage counts for the
    organisation (EVNNPC for EVN, PV GAS for PVN)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=255)
    aliases = models.TextField(_("names and aliases"), blank=True, help_text=_("One per line."))
    acronyms = models.TextField(_("acronyms"), blank=True, help_text=_("One per line, exact capitals."))
    tickers = models.TextField(_("stock tickers"), blank=True, help_text=_("One per line, in capitals."))
    enabled = models.BooleanField(_("followed"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member company")
        verbose_name_plural = _("member companies")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return _lines(self.aliases)

    def acronym_list(self) -> list[str]:
        return _lines(self.acronyms)

    def ticker_list(self) -> list[str]:
        return _lines(self.tickers)


class SavedQuery(models.Model):
    name = models.CharField(_("name"), max_length=200)
    query = models.TextField(_("query"), help_text=_('AND/OR/NOT, "phrases", NEAR(a b, 5); diacritics optional.'))
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="saved_queries"
    )
    enabled = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved query")
        verbose_name_plural = _("saved queries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """One topic of the taxonomy: one of the bloc's themes, which starts from its query rule and
    learns from the articles staff confirm (loa.pipeline.themes), or, with LOA_TOPICS=danes,
    a label of the DANeS model (key "danes-…")."""

    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        help_text=_("Stable identifier, used by the learned models and the evaluation sets."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    rule = models.TextField(
        _("rule"),
        blank=True,
        help_text=_('Query in the search syntax (AND/OR/NOT, "phrases", NEAR); articles matching it get this topic.'),
    )
    enabled = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Salience(models.TextChoices):
    """How much an article is about an organisation (see loa.pipeline.salience)."""

    MAIN = "main", _("Main subject")
    SECONDARY = "secondary", _("Substantive part")
    PASSING = "passing", _("In passing")


# What alert rules, the press review and report counts take by default.
RELEVANT_SALIENCES = (Salience.MAIN, Salience.SECONDARY)


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


# When the mentions of one organisation in an article disagree and two tones are equally
# frequent, the more serious one stands: staff would rather look at a doubtful article.
_TONE_SEVERITY = (Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)


def tone_label(value: str, *, language: str | None = None) -> str:
    """The one name of a tone shown to people: in the active language, or in `language` for
    documents that are always Vietnamese (press review, reports); "—" when there is none."""
    try:
        label = Sentiment(value).label
    except ValueError:
        return "—"
    if language is None:
        return str(label)
    with translation.override(language):
        return str(label)


def tone_of(values: Sequence[str]) -> str:
    """The tone of an organisation in an article: the most frequent tone of its mentions."""
    if not values:
        return ""
    return max(_TONE_SEVERITY, key=lambda tone: (values.count(tone), -_TONE_SEVERITY.index(tone)))


class Story(models.Model):
    """Articles about one event across outlets, grouped as they arrive."""

    title = models.CharField(_("title"), max_length=500)
    first_article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, related_name="+")
    first_outlet = models.ForeignKey("sources.Outlet", on_delete=models.SET_NULL, null=True, related_name="+")
    first_seen_at = models.DateTimeField(_("first seen"), db_index=True)
    last_seen_at = models.DateTimeField(_("last seen"), db_index=True)
    article_count = models.PositiveIntegerField(_("articles"), default=0)
    outlet_count = models.PositiveIntegerField(_("outlets"), default=0)
    negative_count = models.PositiveIntegerField(default=0)
    polarity_sum = models.FloatField(default=0.0)
    centroid = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def tone(self) -> float:
        return self.polarity_sum / self.article_count if self.article_count else 0.0

    @property
    def negative_share(self) -> float:
        return self.negative_count / self.article_count if self.article_count else 0.0


class StoryTerm(models.Model):
    """The terms of a story's centroid, indexed to find candidate stories for an article."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("story term")
        verbose_name_plural = _("story terms")
        indexes = [models.Index(fields=["term"], name="storyterm_term")]

    def __str__(self) -> str:
        return self.term


class ArticleAnalysis(models.Model):
    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="analysis")
    sentiment = models.CharField(_("tone"), max_length=10, choices=Sentiment.choices, db_index=True)
    confidence = models.FloatField(default=0.0)
    polarity = models.FloatField(default=0.0)
    corrected = models.BooleanField(_("corrected by staff"), default=False)
    topics_corrected = models.BooleanField(default=False)
    story = models.ForeignKey(Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="analyses")
    model_version = models.CharField(max_length=40, blank=True)
    analysed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article analysis")
        verbose_name_plural = _("article analyses")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.sentiment}"


class ArticleTopic(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField(default=1.0)

    class Meta:
        verbose_name = _("topic of an article")
        verbose_name_plural = _("topics of articles")
        constraints = [models.UniqueConstraint(fields=["article", "topic"], name="article_topic_once")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.topic_id}"


class Mention(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="mentions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentions")
    field = models.CharField(max_length=5)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=255)
    # The member company named ("" when the organisation itself is).
    member = models.CharField(max_length=255, blank=True)
    prominence = models.FloatField()
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices)
    polarity = models.FloatField(default=0.0)
    published_at = models.DateTimeField(null=True, db_index=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["article", "field", "start"]
        indexes = [models.Index(fields=["organisation", "published_at"], name="mention_org_time")]

    def __str__(self) -> str:
        return f"{self.text} ({self.field} {self.start}–{self.end})"


class ArticleEntity(models.Model):
    """One monitored organisation in one article: how much the article is about it, and its
    tone toward it (read from the sentences about it), beside the article's own tone."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="entities")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="article_entities"
    )
    salience = models.CharField(_("salience"), max_length=10, choices=Salience.choices, db_index=True)
    tone = models.CharField(_("tone toward it"), max_length=10, choices=Sentiment.choices)
    # Polarity toward the organisation, in [-1, 1].
    score = models.FloatField(default=0.0)
    salience_corrected = models.BooleanField(default=False)
    tone_corrected = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("organisation in an article")
        verbose_name_plural = _("organisations in articles")
        constraints = [models.UniqueConstraint(fields=["article", "organisation"], name="article_entity_once")]
        indexes = [models.Index(fields=["organisation", "salience", "published_at"], name="entity_org_time")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.organisation_id} {self.salience} {self.tone}"


class QueryMatch(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="query_matches")
    query = models.ForeignKey(SavedQuery, on_delete=models.CASCADE, related_name="matches")

    class Meta:
        verbose_name = _("saved query match")
        verbose_name_plural = _("saved query matches")
        constraints = [models.UniqueConstraint(fields=["article", "query"], name="query_match_once")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.query_id}"


class Correction(models.Model):
    """A label set by staff; it overrides the model and feeds the next training.

    Without an organisation it is the tone and topics of the article (and the tone of the
    mentions staff have not read separately); with one, the tone toward that organisation
    and/or its salience in the article."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
    )
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    # With an organisation: how much the article is about it, as staff read it ("" unchanged).
    salience = models.CharField(_("salience"), max_length=10, choices=Salience.choices, blank=True)
    topics = models.JSONField(default=list, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("label correction")
        verbose_name_plural = _("label corrections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.sentiment} {self.topics}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """Labels proposed by staff who may not correct the article (their units' organisations are
    not in it). Shown on the article to those who may; accepting one makes it a `Correction` by
    the one who accepts. A suggestion itself never feeds training."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="suggestions")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    sentiment = models.CharField(_("tone"), max_length=10, choices=Sentiment.choices, blank=True)
    # Topic ids; None when the suggestion leaves the topics alone (an empty list clears them).
    topic_ids = models.JSONField(null=True, blank=True)
    note = models.TextField(_("reason"), max_length=1000, blank=True)
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    correction = models.ForeignKey(
        Correction, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )

    class Meta:
        verbose_name = _("label suggestion")
        verbose_name_plural = _("label suggestions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.sentiment} {self.topic_ids} ({self.status})"
