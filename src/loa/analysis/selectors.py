"""Reads of the analysis: organisations and their coverage, saved queries (scoped by unit),
stories, an article's analysis, and search conditions on analysis results."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, scope_of, user_can, writes_bloc_wide
from loa.analysis.growth import growth
from loa.analysis.growth import svg as growth_svg
from loa.analysis.models import (
    RELEVANT_SALIENCES,
    ArticleAnalysis,
    ArticleEntity,
    ArticleTopic,
    Mention,
    Organisation,
    QueryMatch,
    Salience,
    SavedQuery,
    Sentiment,
    Story,
    Suggestion,
    SuggestionStatus,
    Topic,
    tone_of,
)
from loa.articles.models import Article


def _may_read(user: Actor) -> bool:
    return not scope_of(user).empty


def organisation_list(*, user: Actor) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("unit").order_by("short_name")
    return organisations if _may_read(user) else organisations.none()


def organisation_list_with_counts(*, user: Actor, days: int = 30) -> QuerySet[Organisation]:
    """The organisations with their articles of the last `days`: `relevant` (main subject or a
    substantive part, what counts) and `passing` (named in passing), and their member companies."""
    since = timezone.now() - dt.timedelta(days=days)
    recent = Q(article_entities__published_at__gte=since)
    return (
        organisation_list(user=user)
        .annotate(
            relevant=Count("article_entities", filter=recent & Q(article_entities__salience__in=RELEVANT_SALIENCES)),
            passing=Count("article_entities", filter=recent & Q(article_entities__salience=Salience.PASSING)),
        )
        .prefetch_related("members")
    )


def entity_tones(entities: QuerySet[ArticleEntity]) -> dict[tuple[int, int], str]:
    """The tone toward each organisation in each article, (article id, organisation id) → tone,
    with the staff's corrections already applied (see services._mention_tones_apply)."""
    return {
        (article_id, organisation_id): tone
        for article_id, organisation_id, tone in entities.values_list("article_id", "organisation_id", "tone")
    }


def organisation_editable(*, user: Actor, organisation: Organisation | None) -> bool:
    """Bloc-wide organisations are for bloc staff; a unit's organisation for its own staff too."""
    if organisation is None or organisation.unit is None:
        return writes_bloc_wide(user)
    return user_can(user, roles.WRITE, organisation.unit)


def article_correctable(*, user: Actor, article: Article) -> bool:
    """Whether `user` may set the labels of `article`: the bloc's staff, Loa itself, and staff
    of a unit (or a unit above it) one of whose organisations the article mentions. The labels
    feed every unit's counts and the next training, so other staff only suggest."""
    if writes_bloc_wide(user):
        return True
    if not user_can(user, roles.WRITE):
        return False
    mentioned = Organisation.objects.filter(mentions__article=article, unit__isnull=False)
    return scope_filter(mentioned, user, unit_field="unit").exists()


def article_suggestable(*, user: Actor, article: Article) -> bool:
    """Staff who may not correct the article may propose labels to those who may."""
    return user_can(user, roles.WRITE) and not article_correctable(user=user, article=article)


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: Suggestion
    topic_names: list[str] | None  # None: the suggestion leaves the topics alone


def suggestion_open_list(*, article: Article) -> list[SuggestionRow]:
    """The open suggestions of an article, oldest first, with the names of the topics they propose."""
    suggestions = list(
        Suggestion.objects.filter(article=article, status=SuggestionStatus.OPEN)
        .select_related("organisation", "suggested_by")
        .order_by("created_at", "id")
    )
    wanted = {pk for s in suggestions for pk in (s.topic_ids or [])}
    names = dict(Topic.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return [
        SuggestionRow(
            suggestion=s,
            topic_names=None if s.topic_ids is None else [names[pk] for pk in s.topic_ids if pk in names],
        )
        for s in suggestions
    ]


def topic_list(*, user: Actor) -> QuerySet[Topic]:
    topics = Topic.objects.filter(enabled=True)
    return topics if _may_read(user) else topics.none()


def topic_taxonomy(*, user: Actor) -> QuerySet[Topic]:
    """Every topic, in use or not, with how many articles staff confirmed it on (what the
    theme learns from; `loa model themes` trains a theme from MIN_POSITIVES of them)."""
    topics = Topic.objects.annotate(
        confirmed=Count("article_links", filter=Q(article_links__article__analysis__topics_corrected=True))
    ).order_by("-enabled", "sort_order", "name")
    return topics if _may_read(user) else topics.none()


def topic_editable(*, user: Actor) -> bool:
    """The taxonomy is shared by every unit: the bloc's staff edit it."""
    return writes_bloc_wide(user)


def saved_query_list(*, user: Actor) -> QuerySet[SavedQuery]:
    return scope_filter(SavedQuery.objects.select_related("unit"), user, unit_field="unit")


@dataclass(frozen=True)
class CoverageRow:
    article: Article
    tone: str  # the organisation's tone in the article (see mention_tones)


@dataclass
class Coverage:
    total: int  # articles about it (main subject or a substantive part)
    by_tone: dict[str, int]  # those articles by the tone toward the organisation
    by_day: list[tuple[dt.date, int, int]]  # each day of the window, oldest first: articles, negative ones
    recent: list[CoverageRow]
    passing: int = 0  # articles naming it only in passing, counted apart


def mention_tones(mentions: QuerySet[Mention]) -> dict[tuple[int, int], str]:
    """The tone of each organisation in each article, (article id, organisation id) → tone.

    The one reading of a mention's tone: the stored tone of its mentions, which a staff
    correction has already set (see services.correction_record), the most frequent one winning."""
    tones: dict[tuple[int, int], list[str]] = {}
    for article_id, organisation_id, tone in mentions.values_list("article_id", "organisation_id", "sentiment"):
        tones.setdefault((article_id, organisation_id), []).append(tone)
    return {key: tone_of(values) for key, values in tones.items()}


def organisation_coverage(*, organisation: Organisation, days: int = 30, recent: int = 20) -> Coverage:
    """The organisation's coverage: articles about it (main or secondary), the summary and the
    list counting the same tone toward it per article; those naming it in passing apart."""
    today = timezone.localdate()
    every_day = [today - dt.timedelta(days=back) for back in range(days - 1, -1, -1)]
    # From the start of the first Vietnamese day shown, so the total is the chart's sum.
    since = timezone.make_aware(dt.datetime.combine(every_day[0], dt.time()))
    entities = ArticleEntity.objects.filter(organisation=organisation, published_at__gte=since)
    relevant = entities.filter(salience__in=RELEVANT_SALIENCES)
    rows = list(relevant.values_list("article_id", "tone", "published_at"))
    tones = {article_id: tone for article_id, tone, _when in rows}
    by_tone = dict(Counter(tones.values()))
    days_rows: dict[dt.date, list[int]] = {}
    for _article_id, tone, published in rows:
        day = timezone.localtime(published).date()
        row = days_rows.setdefault(day, [0, 0])
        row[0] += 1
        row[1] += tone == Sentiment.NEGATIVE
    latest = (
        Article.objects.filter(pk__in=list(tones))
        .select_related("outlet")
        .defer("body", "signature")
        .order_by("-published_at", "-id")[:recent]
    )
    return Coverage(
        total=len(tones),
        by_tone=by_tone,
        # Every day of the window, those without articles too: a gap is news as well.
        by_day=[(day, counts[0], counts[1]) for day in every_day for counts in [days_rows.get(day, [0, 0])]],
        recent=[CoverageRow(article=article, tone=tones[article.pk]) for article in latest],
        passing=entities.filter(salience=Salience.PASSING).count(),
    )


# A story is marked as rising when at least this many of its articles arrived in the last
# RISING_HOURS, more than in the same span before: one new article is no news.
RISING_HOURS = 6
RISING_MIN = 2
# Mean polarity of a story's articles beyond which its tone is negative or positive.
STORY_TONE_MARGIN = 0.2


def story_tone(story: Story) -> str:
    """The tone of a story as one of `Sentiment` (shown with `tone_label`), from the mean
    polarity of its articles."""
    if story.tone < -STORY_TONE_MARGIN:
        return str(Sentiment.NEGATIVE)
    if story.tone > STORY_TONE_MARGIN:
        return str(Sentiment.POSITIVE)
    return str(Sentiment.NEUTRAL)


@dataclass(frozen=True)
class StoryRow:
    story: Story
    recent: int  # articles in the last RISING_HOURS
    before: int  # in the RISING_HOURS before that
    chart: SafeString = field(default_factory=SafeString)  # the growth chart, inline SVG

    @property
    def rising(self) -> bool:
        return self.recent >= RISING_MIN and self.recent > self.before

    @property
    def rising_title(self) -> str:
        # Shown only when rising, so there are always two articles or more.
        return gettext(
            "Rising: %(recent)d articles in the last %(hours)d hours, %(before)d in the %(hours)d hours before"
        ) % {"recent": self.recent, "before": self.before, "hours": RISING_HOURS}

    @property
    def tone(self) -> str:
        return story_tone(self.story)


def _article_times(story_ids: Sequence[int]) -> dict[int, list[dt.datetime]]:
    """When each article of these stories was published (or seen, when the outlet gave no date)."""
    found: dict[int, list[dt.datetime]] = {pk: [] for pk in story_ids}
    rows = ArticleAnalysis.objects.filter(story_id__in=story_ids).values_list(
        "story_id", "article__published_at", "article__created_at"
    )
    for story_id, published, created in rows:
        found[story_id].append(published or created)
    return found


def story_list(*, user: Actor, days: int = 7, limit: int = 50) -> list[StoryRow]:
    if not _may_read(user):
        return []
    now = timezone.now()
    recent_since = now - dt.timedelta(hours=RISING_HOURS)
    before_since = now - dt.timedelta(hours=2 * RISING_HOURS)
    stories = list(
        Story.objects.filter(last_seen_at__gte=now - dt.timedelta(days=days), article_count__gte=1)
        .select_related("first_outlet")
        .annotate(
            recent=Count("analyses", filter=Q(analyses__article__created_at__gte=recent_since)),
            before=Count(
                "analyses",
                filter=Q(
                    analyses__article__created_at__gte=before_since,
                    analyses__article__created_at__lt=recent_since,
                ),
            ),
        )
        .order_by("-outlet_count", "-article_count", "-last_seen_at")[:limit]
    )
    times = _article_times([s.pk for s in stories])
    return [StoryRow(story=s, recent=s.recent, before=s.before, chart=growth_svg(growth(times[s.pk]))) for s in stories]


@dataclass(frozen=True)
class OutletInStory:
    name: str
    articles: int
    first_at: dt.datetime


@dataclass(frozen=True)
class StoryView:
    story: Story
    tone: str  # a `Sentiment` value
    outlets: list[OutletInStory]  # in the order they joined the story
    chart: SafeString


def story_view(*, story: Story) -> StoryView:
    names: dict[int | None, str] = {}
    seen: dict[int | None, list[dt.datetime]] = {}
    times = []
    rows = ArticleAnalysis.objects.filter(story=story).values_list(
        "article__outlet_id", "article__outlet__name", "article__published_at", "article__created_at"
    )
    for outlet_id, name, published, created in rows:
        when = published or created
        times.append(when)
        names[outlet_id] = name or "—"
        seen.setdefault(outlet_id, []).append(when)
    joined = sorted(
        (OutletInStory(names[pk], len(at), min(at)) for pk, at in seen.items()), key=lambda o: (o.first_at, o.name)
    )
    return StoryView(
        story=story,
        tone=story_tone(story),
        outlets=joined,
        chart=growth_svg(growth(times), width=480, height=110, slot_max=24, axis=True),
    )


def story_get(*, user: Actor, pk: int) -> Story | None:
    if not _may_read(user):
        return None
    return Story.objects.select_related("first_outlet", "first_article").filter(pk=pk).first()


def story_articles(*, story: Story) -> QuerySet[Article]:
    return (
        Article.objects.filter(analysis__story=story)
        .select_related("outlet", "analysis")
        .defer("body", "signature")
        .order_by("published_at", "created_at")
    )


@dataclass(frozen=True)
class OrganisationInArticle:
    organisation: Organisation
    prominence: float
    tone: str  # toward the organisation
    salience: str = ""  # "" for an article analysed before salience was judged
    members: tuple[str, ...] = ()  # the member companies named
    salience_corrected: bool = False
    tone_corrected: bool = False

    @property
    def salience_label(self) -> str:
        return str(Salience(self.salience).label) if self.salience in Salience.values else "—"

    @property
    def relevant(self) -> bool:
        return self.salience in RELEVANT_SALIENCES


@dataclass
class ArticleView:
    analysis: ArticleAnalysis | None
    topics: list[ArticleTopic]
    mentions: list[Mention]
    organisations: list[OrganisationInArticle]  # most prominent first
    paragraphs: list[SafeString]
    title: SafeString
    lead: SafeString
    queries: list[SavedQuery] = field(default_factory=list)


def _marked(text: str, spans: Sequence[tuple[int, int, str]]) -> SafeString:
    out, last = [], 0
    for start, end, label in sorted(spans):
        if start < last:
            continue
        out.append(html.escape(text[last:start]))
        out.append(f'<mark class="mention" title="{html.escape(label)}">{html.escape(text[start:end])}</mark>')
        last = end
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def article_view(*, user: Actor, article: Article) -> ArticleView:
    """The analysis of one article, with its mentions marked in the text."""
    analysis = ArticleAnalysis.objects.filter(article=article).select_related("story").first()
    mentions = list(Mention.objects.filter(article=article).select_related("organisation"))
    spans: dict[str, list[tuple[int, int, str]]] = {"title": [], "lead": [], "body": []}
    for mention in mentions:
        spans[mention.field].append((mention.start, mention.end, str(mention.organisation)))
    paragraphs, offset = [], 0
    for paragraph in article.body.split("\n"):
        local = [
            (s - offset, e - offset, label)
            for s, e, label in spans["body"]
            if offset <= s and e <= offset + len(paragraph)
        ]
        if paragraph.strip():
            paragraphs.append(_marked(paragraph, local))
        offset += len(paragraph) + 1
    by_organisation: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_organisation.setdefault(mention.organisation_id, []).append(mention)
    entities = {
        e.organisation_id: e for e in ArticleEntity.objects.filter(article=article).select_related("organisation")
    }
    organisations = []
    for organisation_id in dict.fromkeys([*by_organisation, *entities]):
        group = by_organisation.get(organisation_id, [])
        entity = entities.get(organisation_id)
        # As in loa.pipeline.mentions.article_prominence: independent chances (noisy-or).
        prominence = round(1.0 - math.prod(1.0 - m.prominence for m in group), 3)
        organisations.append(
            OrganisationInArticle(
                organisation=entity.organisation if entity else group[0].organisation,
                prominence=prominence,
                tone=entity.tone if entity else tone_of([m.sentiment for m in group]),
                salience=entity.salience if entity else "",
                members=tuple(dict.fromkeys(m.member for m in group if m.member)),
                salience_corrected=bool(entity and entity.salience_corrected),
                tone_corrected=bool(entity and entity.tone_corrected),
            )
        )
    rank = {value: index for index, value in enumerate(Salience.values)}
    organisations.sort(
        key=lambda row: (rank.get(row.salience, len(rank)), -row.prominence, row.organisation.short_name)
    )
    queries = [m.query for m in QueryMatch.objects.filter(article=article).select_related("query")]
    visible_queries = set(saved_query_list(user=user).values_list("id", flat=True))
    return ArticleView(
        analysis=analysis,
        topics=list(ArticleTopic.objects.filter(article=article).select_related("topic").order_by("-score")),
        mentions=mentions,
        organisations=organisations,
        paragraphs=paragraphs,
        title=_marked(article.title, spans["title"]),
        lead=_marked(article.lead, spans["lead"]),
        queries=[q for q in queries if q.pk in visible_queries],
    )


def _exists(table: str, column: str, values: Sequence[int | str]) -> tuple[str, tuple[int | str, ...]]:
    marks = ", ".join(["%s"] * len(values))
    # Table and column names are the constants below; values go through parameters. "id IN
    # (subquery)" selects the same articles as a correlated EXISTS, but SQLite runs it once
    # instead of once per article (bench.analytics, an organisation over 10 000 articles: 0.1 s
    # instead of 4 s).
    sql = f"{{a}}.id IN (SELECT x.article_id FROM {table} x WHERE x.{column} IN ({marks}))"  # noqa: S608
    return sql, tuple(values)


def search_conditions(
    *,
    organisation_ids: Sequence[int] = (),
    sentiments: Sequence[str] = (),
    topic_ids: Sequence[int] = (),
    query_ids: Sequence[int] = (),
) -> tuple[tuple[str, tuple[int | str, ...]], ...]:
    """Conditions for `articles.search.Filters.conditions` on the analysis of articles."""
    wanted: list[tuple[str, str, Sequence[int | str]]] = [
        ("analysis_mention", "organisation_id", organisation_ids),
        ("analysis_articleanalysis", "sentiment", sentiments),
        ("analysis_articletopic", "topic_id", topic_ids),
        ("analysis_querymatch", "query_id", query_ids),
    ]
    return tuple(_exists(table, column, values) for table, column, values in wanted if values)
