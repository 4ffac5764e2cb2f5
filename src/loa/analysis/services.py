"""Writes of the analysis: organisations, saved queries, topics, and analysing articles
(mentions, tone, topics, saved-query matches, story) in batches."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import require, writes_bloc_wide
from loa.analysis import hooks, runtime
from loa.analysis.apps import STEP_ANALYSE
from loa.analysis.models import (
    ArticleAnalysis,
    ArticleEntity,
    ArticleTopic,
    Correction,
    MemberCompany,
    Mention,
    Organisation,
    QueryMatch,
    Salience,
    SavedQuery,
    Sentiment,
    Story,
    StoryTerm,
    Suggestion,
    SuggestionStatus,
    Topic,
)
from loa.analysis.selectors import article_correctable
from loa.articles.hooks import StepSkipped, articles_stored
from loa.articles.models import Article
from loa.articles.search import query_error_message
from loa.pipeline import salience as pipeline_salience
from loa.pipeline import stories
from loa.pipeline.classify import model_text
from loa.pipeline.mentions import FIELDS
from loa.pipeline.mentions import Mention as FoundMention
from loa.pipeline.salience import Judgement
from loa.pipeline.themes import DANES_PREFIX, Learned, ThemeSpec, key_of, theme_text
from loa.pipeline.themes import Example as ThemeExample
from loa.pipeline.themes import train as train_themes
from loa.text.normalization import normalize
from loa.text.query import Document, QueryError, has_positive, matches, parse
from loa.text.tokens import sentences
from loa.units.models import Unit

logger = logging.getLogger(__name__)

# An article joins a story seen within this window; how it is compared with the story
# (index terms, shortlist, similarity) lives in loa.pipeline.stories, shared with the bench.
STORY_WINDOW = dt.timedelta(hours=48)


# --- organisations, queries, topics -----------------------------------------------------


def _text_lines(value: str) -> str:
    return "\n".join(normalize(line) for line in value.splitlines() if line.strip())


# Stock codes on the Vietnamese exchanges: three capitals or digits, a few longer (EVNGENCO3 is
# an acronym, not a ticker); ten leaves room without taking a name for a ticker.
_TICKER = re.compile(r"[A-Z0-9]{2,10}")


def _tickers(value: Iterable[str], *, owner: str) -> str:
    tickers = [t.strip().upper() for t in value if t.strip()]
    for ticker in tickers:
        if not _TICKER.fullmatch(ticker):
            raise ValidationError(
                _("“%(ticker)s” (%(owner)s) is not a stock ticker: 2 to 10 capital letters or digits, like VCB.")
                % {"ticker": ticker, "owner": owner}
            )
    return "\n".join(dict.fromkeys(tickers))


def _acronyms(value: Iterable[str]) -> str:
    return "\n".join(dict.fromkeys(a.strip() for a in value if a.strip()))


def _names(value: Iterable[str]) -> str:
    return "\n".join(dict.fromkeys(normalize(line).strip() for line in value if line.strip()))


@dataclass(frozen=True)
class MemberData:
    """A member company as staff or the seed file give it."""

    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()


def _members_save(organisation: Organisation, members: Sequence[MemberData]) -> None:
    """Make the organisation's member companies exactly `members`, keeping the rows (matched by
    name) of those that stay."""
    existing = {m.name: m for m in organisation.members.all()}
    seen: set[str] = set()
    for data in members:
        name = normalize(data.name).strip()
        if not name:
            raise ValidationError(_("A member company needs a name."))
        if name in seen:
            raise ValidationError(_("The member company “%(name)s” is listed twice.") % {"name": name})
        seen.add(name)
        member = existing.get(name) or MemberCompany(organisation=organisation, name=name)
        member.aliases = _names(data.aliases)
        member.acronyms = _acronyms(data.acronyms)
        member.tickers = _tickers(data.tickers, owner=name)
        member.enabled = True
        member.full_clean()
        member.save()
    MemberCompany.objects.filter(organisation=organisation).exclude(name__in=seen).delete()


@transaction.atomic
def organisation_save(
    *,
    organisation: Organisation | None = None,
    name: str,
    short_name: str,
    unit: Unit | None,
    aliases: str = "",
    acronyms: str = "",
    ambiguous_aliases: str = "",
    context_terms: str = "",
    exclusion_terms: str = "",
    tickers: str = "",
    blocked_phrases: str = "",
    members: Sequence[MemberData] | None = None,
    enabled: bool = True,
) -> Organisation:
    """Create or update a monitored organisation; names are normalised, acronyms kept as typed,
    tickers in capitals. `members` (None: left as they are) become its member companies."""
    target = organisation or Organisation()
    target.name, target.short_name, target.unit = normalize(name), normalize(short_name), unit
    target.aliases, target.ambiguous_aliases = _text_lines(aliases), _text_lines(ambiguous_aliases)
    target.acronyms = "\n".join(line.strip() for line in acronyms.splitlines() if line.strip())
    target.context_terms, target.exclusion_terms = _text_lines(context_terms), _text_lines(exclusion_terms)
    target.tickers = _tickers(tickers.splitlines(), owner=target.short_name or target.name)
    target.blocked_phrases = _text_lines(blocked_phrases)
    target.enabled = enabled
    if target.ambiguous_aliases and not target.context_terms:
        raise ValidationError(_("Ambiguous names need at least one context term."))
    target.full_clean()
    # Saved even when only members change: its new updated_at tells the matcher to rebuild.
    target.save()
    if members is not None:
        _members_save(target, members)
    return target


SEED_ORGANISATIONS = Path(__file__).parent / "seed" / "organisations.yaml"


def _strings(entry: Mapping[str, Any], key: str) -> list[str]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("“%(key)s” must be a list of texts.") % {"key": key})
    return list(value)


def _short_name(entry: Mapping[str, Any]) -> str:
    """The name pages show: as given, else the first acronym (EVN), else the shortest alias
    (Vietcombank), else the name."""
    if entry.get("short_name"):
        return str(entry["short_name"])
    acronyms, aliases = _strings(entry, "acronyms"), _strings(entry, "aliases")
    if acronyms:
        return acronyms[0]
    return min(aliases, key=len) if aliases else str(entry["name"])


@transaction.atomic
def organisations_import(
    *, data: Sequence[Mapping[str, Any]], units: Mapping[str, Unit | None] | None = None
) -> list[Organisation]:
    """Load organisations in the structure of `seed/organisations.yaml` (the one `loa mentions
    --entities` reads): each with its member companies, tickers and look-alike phrases. An
    organisation already there (same name) is updated; `units` gives the unit of each key
    (missing: followed bloc-wide)."""
    units = units or {}
    saved = []
    for entry in data:
        if not isinstance(entry, Mapping) or not entry.get("name"):
            raise ValidationError(_("Each organisation needs a name."))
        members = []
        for member in entry.get("members") or []:
            if not isinstance(member, Mapping) or not member.get("name"):
                raise ValidationError(_("Each member company needs a name."))
            members.append(
                MemberData(
                    name=str(member["name"]),
                    aliases=tuple(_strings(member, "aliases")),
                    acronyms=tuple(_strings(member, "acronyms")),
                    tickers=tuple(_strings(member, "tickers")),
                )
            )
        name = normalize(str(entry["name"]))
        saved.append(
            organisation_save(
                organisation=Organisation.objects.filter(name=name).first(),
                name=name,
                short_name=_short_name(entry),
                unit=units.get(str(entry.get("key", ""))),
                aliases="\n".join(_strings(entry, "aliases")),
                acronyms="\n".join(_strings(entry, "acronyms")),
                ambiguous_aliases="\n".join(_strings(entry, "ambiguous")),
                context_terms="\n".join(_strings(entry, "context")),
                exclusion_terms="\n".join(_strings(entry, "exclude")),
                tickers="\n".join(_strings(entry, "tickers")),
                blocked_phrases="\n".join(_strings(entry, "blocked")),
                members=members,
            )
        )
    return saved


def organisations_seed_data(path: Path = SEED_ORGANISATIONS) -> list[dict[str, Any]]:
    """The entries of an organisations YAML file (the bloc's seed by default)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValidationError(_("The organisations file must hold a list."))
    return data


def _checked_query(query: str) -> str:
    try:
        node = parse(query)
    except QueryError as error:
        raise ValidationError(query_error_message(error)) from error
    if node is None or not has_positive(node):
        raise ValidationError(_("The query needs at least one word that is not excluded."))
    return query.strip()


@transaction.atomic
def saved_query_save(
    *,
    saved: SavedQuery | None = None,
    name: str,
    query: str,
    unit: Unit,
    user: User | None = None,
    enabled: bool = True,
) -> SavedQuery:
    target = saved or SavedQuery(created_by=user)
    target.name, target.query, target.unit, target.enabled = name.strip(), _checked_query(query), unit, enabled
    target.full_clean()
    target.save()
    return target


def danes_topics() -> bool:
    """Whether the DANeS model's consumer-news labels are topics too (LOA_TOPICS=danes)."""
    return str(getattr(settings, "LOA_TOPICS", "bloc")) == "danes"


def topics_sync(labels: Sequence[str]) -> int:
    """With LOA_TOPICS=danes, make a topic of every label the DANeS model knows; returns how
    many were added. Otherwise the taxonomy is the bloc's themes, and nothing is added."""
    if not danes_topics():
        return 0
    existing = set(Topic.objects.values_list("name", flat=True))
    new = [
        Topic(key=key_of(normalize(label), prefix=DANES_PREFIX), name=normalize(label), sort_order=100 + i)
        for i, label in enumerate(labels)
        if normalize(label) not in existing
    ]
    Topic.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@dataclass(frozen=True)
class TopicInput:
    """What staff set on a topic of the taxonomy."""

    name: str
    rule: str = ""
    enabled: bool = True
    sort_order: int = 0


def topic_save(*, actor: User | None, topic: Topic | None = None, data: TopicInput) -> Topic:
    """Create or edit a topic of the taxonomy (the bloc's staff: it is shared by every unit).
    A rule, when given, must be a valid query with a word that is not excluded; a new topic's
    key is made from its name and never changes after, so what was learned stays attached."""
    # None is Loa itself (the shell, imports).
    if actor is not None and not writes_bloc_wide(actor):
        raise PermissionDenied(_("Only the bloc's staff edit the topics."))
    target = topic or Topic()
    target.name = normalize(data.name).strip()
    target.rule = _checked_query(data.rule) if data.rule.strip() else ""
    target.enabled, target.sort_order = data.enabled, data.sort_order
    if not target.key:
        taken = set(Topic.objects.values_list("key", flat=True))
        base = key_of(target.name)
        target.key, n = base, 2
        while target.key in taken:
            target.key, n = f"{base[:45]}-{n}", n + 1
    target.full_clean()
    target.save()
    return target


def theme_examples() -> list[ThemeExample]:
    """What the themes learn from: every article whose topics staff corrected or confirmed
    (its analysis is `topics_corrected`), with the keys of the topics it has now. A topic
    absent from such an article is a confirmed counter-example."""
    corrected = Article.objects.filter(analysis__topics_corrected=True).order_by("pk")
    keys: dict[int, set[str]] = {}
    for article_id, key in ArticleTopic.objects.filter(article__in=corrected).values_list("article_id", "topic__key"):
        keys.setdefault(article_id, set()).add(key)
    return [
        ThemeExample(text=theme_text(a.title, a.lead, a.body), keys=frozenset(keys.get(a.pk, ())))
        for a in corrected.only("pk", "title", "lead", "body")
    ]


def themes_learn(*, output: Path | None = None) -> tuple[Learned, int]:
    """Train the themes' learned part from confirmed articles (`theme_examples`) and store it
    where analysis reads it (LOA_THEMES_PATH); returns it and the file's size in bytes."""
    specs = [ThemeSpec(key=t.key, rule=t.rule, name=t.name) for t in Topic.objects.filter(enabled=True)]
    learned = train_themes(specs, theme_examples())
    size = learned.save(output or Path(settings.LOA_THEMES_PATH))
    return learned, size


# --- analysing articles ---------------------------------------------------------------


def _mention_window(article: Article, mention: FoundMention) -> str:
    """The sentence with the mention and its neighbours: what the tone of a mention is read from."""
    text = str(getattr(article, mention.field))
    if mention.field == "title":
        return text
    spans = sentences(text)
    for index, span in enumerate(spans):
        if span.start <= mention.start < span.end + 1:
            return " ".join(s.text for s in spans[max(0, index - 1) : index + 2])
    return text[max(0, mention.start - 200) : mention.end + 200]


@dataclass
class _Plan:
    article: Article
    mentions: list[FoundMention]
    sentiment: tuple[str, float, float]
    mention_tones: list[tuple[str, float]]
    topics: list[tuple[int, float]]
    queries: list[int]
    vector: dict[str, float]
    # Organisation id (as the matcher's key) → salience and tone toward it.
    judgements: dict[str, Judgement]


def _plan(batch: Sequence[Article]) -> list[_Plan]:
    classifier = runtime.classifier()
    danes = danes_topics()
    if danes:
        # The taxonomy holds at least every topic the DANeS model has learned (one query per batch).
        topics_sync(classifier.models.topic_labels)
    found = runtime.matcher()
    queries = runtime.saved_queries()
    topic_ids, _rules = runtime.topic_rules()
    theme_ids, tagger = runtime.themes()
    texts = [model_text(a.title, a.lead, a.body) for a in batch]
    tones = classifier.sentiment(texts)
    topic_predictions = classifier.topics(texts) if danes else [[] for _ in batch]
    themes = tagger.assign_many(theme_text(a.title, a.lead, a.body) for a in batch)
    per_article = [found.find(title=a.title, lead=a.lead, body=a.body) for a in batch]
    windows = [_mention_window(a, m) for a, ms in zip(batch, per_article, strict=True) for m in ms]
    window_tones = iter(classifier.sentiment(windows))
    models = classifier.models

    def toward(texts: Sequence[str]) -> list[tuple[str, float]]:
        return [(t.label, t.polarity) for t in classifier.sentiment(texts)]

    plans = []
    for article, tone, predicted, mentions, found_themes in zip(
        batch, tones, topic_predictions, per_article, themes, strict=True
    ):
        document = Document(f"{article.title}\n{article.lead}\n{article.body}")
        chosen = {topic_ids[label]: score for label, score in predicted if label in topic_ids}
        # The bloc's themes: each by its rule, or by what it learned from confirmed articles.
        for key, score in found_themes:
            chosen.setdefault(theme_ids[key], score)
        plans.append(
            _Plan(
                article=article,
                mentions=mentions,
                sentiment=(tone.label, tone.confidence, tone.polarity),
                mention_tones=[(t.label, t.polarity) for t in (next(window_tones) for _ in mentions)],
                topics=sorted(chosen.items()),
                queries=[pk for pk, node in queries if matches(node, document)],
                vector=stories.vector(article.title, article.lead, article.body, models.idf, models.default_idf),
                judgements=pipeline_salience.judge(
                    mentions, title=article.title, lead=article.lead, body=article.body, tones=toward
                ),
            )
        )
    return plans


def _when(article: Article) -> dt.datetime:
    return article.published_at or article.created_at


def _story_for(plan: _Plan) -> Story | None:
    article = plan.article
    if article.duplicate_of_id:
        original = (
            ArticleAnalysis.objects.filter(article_id=article.duplicate_of_id)
            .values_list("story_id", flat=True)
            .first()
        )
        if original:
            return Story.objects.filter(pk=original).first()
    top = stories.index_terms(plan.vector)
    if not top:
        return None
    when = _when(article)
    candidates = (
        StoryTerm.objects.filter(
            term__in=[t[:80] for t in top],
            story__last_seen_at__gte=when - STORY_WINDOW,
            story__first_seen_at__lte=when + STORY_WINDOW,
        )
        .values("story_id")
        .annotate(shared=Count("id"))
        .filter(shared__gte=stories.MIN_SHARED)
        .order_by("-shared", "story_id")[: stories.SHORTLIST]
    )
    shortlist = Story.objects.filter(pk__in=[row["story_id"] for row in candidates]).order_by("pk")
    return stories.best_story(plan.vector, ((story, story.centroid) for story in shortlist))


def _join_story(plan: _Plan, previous: Story | None) -> Story:
    article, (_label, _confidence, _polarity) = plan.article, plan.sentiment
    when = _when(article)
    story = previous or _story_for(plan)
    if story is None:
        story = Story.objects.create(
            title=article.title,
            first_article=article,
            first_outlet_id=article.outlet_id,
            first_seen_at=when,
            last_seen_at=when,
            centroid=plan.vector,
        )
    elif previous is None:
        story.centroid = stories.merge(story.centroid, story.article_count, plan.vector)
    if previous is None:
        if when < story.first_seen_at:
            story.first_seen_at, story.first_article, story.first_outlet_id = when, article, article.outlet_id
            story.title = article.title
        story.last_seen_at = max(story.last_seen_at, when)
    story.save()
    return story


def _refresh_story(story: Story) -> None:
    """Recount tone and outlets of a story from its members (after joins and corrections)."""
    members = ArticleAnalysis.objects.filter(story=story)
    story.negative_count = members.filter(sentiment=Sentiment.NEGATIVE).count()
    story.polarity_sum = sum(members.values_list("polarity", flat=True))
    story.article_count = members.count()
    story.outlet_count = members.values("article__outlet_id").distinct().count()
    story.save(update_fields=["negative_count", "polarity_sum", "article_count", "outlet_count"])
    StoryTerm.objects.filter(story=story).delete()
    top = stories.index_terms(story.centroid)
    StoryTerm.objects.bulk_create([StoryTerm(story=story, term=term[:80]) for term in top])


def _write(plan: _Plan) -> ArticleAnalysis:
    article = plan.article
    existing = ArticleAnalysis.objects.filter(article=article).select_related("story").first()
    label, confidence, polarity = plan.sentiment
    analysis = existing or ArticleAnalysis(article=article)
    if not analysis.corrected:
        analysis.sentiment, analysis.confidence, analysis.polarity = label, confidence, polarity
    analysis.model_version = runtime.classifier().version
    story = _join_story(plan, existing.story if existing else None)
    analysis.story = story
    analysis.save()
    Mention.objects.filter(article=article).delete()
    when = _when(article)
    Mention.objects.bulk_create(
        [
            Mention(
                article=article,
                organisation_id=int(m.key),
                field=m.field,
                start=m.start,
                end=m.end,
                text=m.text[:255],
                member=m.member[:255],
                prominence=m.prominence,
                sentiment=tone,
                polarity=tone_polarity,
                published_at=when,
            )
            for m, (tone, tone_polarity) in zip(plan.mentions, plan.mention_tones, strict=True)
        ]
    )
    _entities_write(article=article, judgements=plan.judgements, when=when)
    _mention_tones_apply(article=article, analysis=analysis)
    if not analysis.topics_corrected:
        ArticleTopic.objects.filter(article=article).delete()
        ArticleTopic.objects.bulk_create([ArticleTopic(article=article, topic_id=t, score=s) for t, s in plan.topics])
    QueryMatch.objects.filter(article=article).delete()
    QueryMatch.objects.bulk_create([QueryMatch(article=article, query_id=q) for q in plan.queries])
    _refresh_story(story)
    return analysis


def _entities_write(*, article: Article, judgements: dict[str, Judgement], when: dt.datetime) -> None:
    """One row per organisation the article names: salience and tone toward it. What staff
    corrected stays (the corrections are applied again after, see _mention_tones_apply); an
    organisation no longer found goes, unless staff said how much the article is about it."""
    existing = {e.organisation_id: e for e in ArticleEntity.objects.filter(article=article)}
    new, changed = [], []
    for key, judgement in judgements.items():
        entity = existing.pop(int(key), None)
        if entity is None:
            entity = ArticleEntity(article=article, organisation_id=int(key))
            new.append(entity)
        else:
            changed.append(entity)
        if not entity.salience_corrected:
            entity.salience = judgement.salience
        if not entity.tone_corrected:
            entity.tone, entity.score = judgement.tone, judgement.score
        entity.published_at = when
    ArticleEntity.objects.bulk_create(new)
    ArticleEntity.objects.bulk_update(changed, ["salience", "tone", "score", "published_at"])
    ArticleEntity.objects.filter(pk__in=[e.pk for e in existing.values() if not e.salience_corrected]).delete()


def articles_analyse(*, articles: Sequence[Article]) -> int:
    """Analyse `articles` (in the order they were published); returns how many."""
    ordered = sorted(articles, key=lambda a: (_when(a), a.pk))
    for plan in _plan(ordered):
        with transaction.atomic():
            _write(plan)
    return len(ordered)


def articles_analyse_stored(article_ids: Sequence[int]) -> None:
    """The after-store step of analysis (`loa.articles.hooks`): mentions, tone, topics and
    story of the stored articles. What fails is left for the analysis sweep (articles without
    analysis); missing models skip the step."""
    try:
        articles_analyse(articles=list(Article.objects.filter(pk__in=article_ids)))
    except runtime.ModelsMissing as error:
        raise StepSkipped(str(error)) from error


def articles_analyse_again(*, article_ids: Sequence[int]) -> int:
    """Analyse articles stored earlier (the sweep, re-analysis) and run the rest of the
    after-store pipeline after it, as on storing; how many were analysed (0 if analysis failed)."""
    outcome = articles_stored(article_ids=article_ids)
    if not outcome.succeeded(STEP_ANALYSE):
        return 0
    return Article.objects.filter(pk__in=list(article_ids)).count()


def articles_unanalysed(*, limit: int) -> list[int]:
    return list(Article.objects.filter(analysis__isnull=True).order_by("id").values_list("id", flat=True)[:limit])


# --- corrections --------------------------------------------------------------------------


_POLARITY = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


def _mention_tones_apply(*, article: Article, analysis: ArticleAnalysis) -> None:
    """Set the stored tone of the article's mentions and of each organisation in it (and its
    salience) from the staff's corrections, so every reader (organisation pages, press review,
    reports, alerts) sees them: an organisation's own correction wins, then a correction of the
    whole article; what staff have not read keeps the model's reading."""
    own: dict[int, str] = {}
    own_salience: dict[int, str] = {}
    for organisation_id, sentiment, salience_value in (
        Correction.objects.filter(article=article, organisation__isnull=False)
        .order_by("created_at", "id")
        .values_list("organisation_id", "sentiment", "salience")
    ):
        if sentiment:
            own[organisation_id] = sentiment
        if salience_value:
            own_salience[organisation_id] = salience_value
    mentions = Mention.objects.filter(article=article)
    entities = ArticleEntity.objects.filter(article=article)
    if analysis.corrected:
        mentions.exclude(organisation_id__in=list(own)).update(sentiment=analysis.sentiment)
        entities.exclude(organisation_id__in=list(own)).update(
            tone=analysis.sentiment, score=_POLARITY[analysis.sentiment]
        )
    for organisation_id, sentiment in own.items():
        mentions.filter(organisation_id=organisation_id).update(sentiment=sentiment)
        entities.filter(organisation_id=organisation_id).update(
            tone=sentiment, score=_POLARITY[sentiment], tone_corrected=True
        )
    for organisation_id, salience_value in own_salience.items():
        entities.filter(organisation_id=organisation_id).update(salience=salience_value, salience_corrected=True)


def _labels_check(
    *,
    article: Article,
    sentiment: str | None,
    topic_ids: Sequence[int] | None,
    organisation: Organisation | None,
    salience_value: str | None = None,
) -> None:
    """What a correction and a suggestion must both say: a known tone, and for an organisation
    only its tone and/or salience, of an organisation the article mentions."""
    if sentiment is not None and sentiment not in Sentiment.values:
        raise ValidationError(_("Unknown tone: %(value)s") % {"value": sentiment})
    if salience_value is not None and salience_value not in Salience.values:
        raise ValidationError(_("Unknown salience: %(value)s") % {"value": salience_value})
    if organisation is None and salience_value is not None:
        raise ValidationError(_("Salience is corrected for one organisation in the article."))
    if organisation is not None:
        if (sentiment is None and salience_value is None) or topic_ids is not None:
            raise ValidationError(_("Only the tone and salience of an organisation in an article can be corrected."))
        if not Mention.objects.filter(article=article, organisation=organisation).exists():
            raise ValidationError(_("The article does not mention this organisation."))


def _correction_require(user: User | None, article: Article) -> None:
    # None is Loa itself (the shell, imports), which corrects any article.
    if user is not None and not article_correctable(user=user, article=article):
        raise PermissionDenied(
            _(
                "Only the bloc's staff and staff of the units whose organisations the article mentions "
                "may correct its labels; you may suggest a correction."
            )
        )


@transaction.atomic
def correction_record(
    *,
    article: Article,
    user: User | None,
    sentiment: str | None = None,
    topic_ids: Sequence[int] | None = None,
    organisation: Organisation | None = None,
    salience: str | None = None,
) -> Correction:
    """Staff set the tone and/or topics of an article, or the tone toward one organisation in
    it and/or its salience: shown at once on every page, kept across reanalysis, and (tones)
    used as training data by the next `loa model train`. Only those `article_correctable`
    allows."""
    _correction_require(user, article)
    analysis = ArticleAnalysis.objects.select_for_update().filter(article=article).first()
    if analysis is None:
        raise ValidationError(_("The article has not been analysed yet."))
    _labels_check(
        article=article, sentiment=sentiment, topic_ids=topic_ids, organisation=organisation, salience_value=salience
    )
    if organisation is not None:
        correction = Correction.objects.create(
            article=article,
            organisation=organisation,
            sentiment=sentiment or "",
            salience=salience or "",
            corrected_by=user,
        )
        _mention_tones_apply(article=article, analysis=analysis)
        # Salience decides what the press review and reports take, as the tone does.
        hooks.tone_corrected(article_ids=[article.pk])
        return correction
    topics = list(Topic.objects.filter(pk__in=topic_ids or [])) if topic_ids is not None else None
    if sentiment is not None:
        analysis.sentiment, analysis.confidence, analysis.corrected = sentiment, 1.0, True
        analysis.polarity = _POLARITY[sentiment]
    if topics is not None:
        analysis.topics_corrected = True
        ArticleTopic.objects.filter(article=article).delete()
        ArticleTopic.objects.bulk_create([ArticleTopic(article=article, topic=t, score=1.0) for t in topics])
    analysis.save()
    _mention_tones_apply(article=article, analysis=analysis)
    if analysis.story_id:
        story = analysis.story
        assert story is not None
        _refresh_story(story)
    if sentiment is not None:
        hooks.tone_corrected(article_ids=[article.pk])
    return Correction.objects.create(
        article=article,
        sentiment=sentiment or "",
        topics=[t.name for t in topics] if topics is not None else [],
        corrected_by=user,
    )


@transaction.atomic
def suggestion_submit(
    *,
    actor: User,
    article: Article,
    sentiment: str | None = None,
    topic_ids: Sequence[int] | None = None,
    organisation: Organisation | None = None,
    note: str = "",
) -> Suggestion:
    """Staff who may not correct an article propose its labels; nothing changes until one of
    those who may accepts. Those who may correct correct directly."""
    require(actor, roles.WRITE)
    if article_correctable(user=actor, article=article):
        raise ValidationError(_("You may correct this article directly."))
    _labels_check(article=article, sentiment=sentiment, topic_ids=topic_ids, organisation=organisation)
    if sentiment is None and topic_ids is None:
        raise ValidationError(_("The suggestion names neither a tone nor topics."))
    if topic_ids is not None:
        topic_ids = list(Topic.objects.filter(pk__in=topic_ids).order_by("pk").values_list("pk", flat=True))
    suggestion = Suggestion(
        article=article,
        organisation=organisation,
        sentiment=sentiment or "",
        topic_ids=topic_ids,
        note=note.strip()[:1000],
        suggested_by=actor,
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_decide(*, actor: User, suggestion: Suggestion, accept: bool) -> Suggestion:
    """Accept (the labels become a correction by `actor`) or reject an open suggestion."""
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("article", "organisation")
        .get(pk=suggestion.pk)
    )
    _correction_require(actor, locked.article)
    if locked.status != SuggestionStatus.OPEN:
        raise ValidationError(_("This suggestion has already been decided."))
    if accept:
        locked.correction = correction_record(
            article=locked.article,
            user=actor,
            sentiment=locked.sentiment or None,
            topic_ids=locked.topic_ids,
            organisation=locked.organisation,
        )
    locked.status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.REJECTED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "correction"])
    return locked


def _sentences_about(article: Article, spans: Sequence[tuple[str, int]]) -> str:
    """The sentences of `article` holding the mentions at `spans` (field, start), in reading
    order, each once: what the tone toward an organisation is read from."""
    found: list[str] = []
    for field_name, start in sorted(spans, key=lambda s: (FIELDS.index(s[0]), s[1])):
        text = str(getattr(article, field_name))
        if field_name == "title":
            # A headline has no full stop; one keeps it a sentence of its own for the model.
            sentence = text.strip().rstrip(".") + "." if text.strip() else ""
        else:
            sentence = next(
                (span.text for span in sentences(text) if span.start <= start < span.end + 1),
                text[max(0, start - 200) : start + 200],
            )
        if sentence and sentence not in found:
            found.append(sentence)
    return " ".join(found)


def corrections_as_examples() -> list[dict[str, object]]:
    """Staff corrections in the training format (title, description, sentiment, topics): the
    article's tone and topics, read from its title and lead; and the tone toward an organisation,
    read from the sentences about it (as the title, with no description).

    Only corrections: a suggestion teaches nothing until someone who may correct accepts it.
    Topics are only the DANeS model's labels: the bloc's themes learn apart (`theme_examples`)."""
    danes = set(Topic.objects.filter(key__startswith=DANES_PREFIX).values_list("name", flat=True))
    latest: dict[int, dict[str, object]] = {}
    # A correction of one organisation's tone says nothing about the article's tone.
    article_corrections = Correction.objects.filter(organisation__isnull=True)
    for correction in article_corrections.select_related("article").order_by("created_at", "id"):
        record = latest.setdefault(
            correction.article_id,
            {
                "title": correction.article.title,
                "description": correction.article.lead or correction.article.body[:400],
            },
        )
        if correction.sentiment:
            record["sentiment"] = correction.sentiment
        labels = [name for name in correction.topics if name in danes]
        if labels:
            record["topics"] = labels
    examples = [r for r in latest.values() if "sentiment" in r or "topics" in r]
    toward: dict[tuple[int, int], str] = {}
    for article_id, organisation_id, sentiment in (
        Correction.objects.filter(organisation__isnull=False)
        .exclude(sentiment="")
        .order_by("created_at", "id")
        .values_list("article_id", "organisation_id", "sentiment")
    ):
        toward[(article_id, organisation_id)] = sentiment
    if toward:
        spans: dict[tuple[int, int], list[tuple[str, int]]] = {}
        for article_id, organisation_id, field_name, start in Mention.objects.filter(
            article_id__in={a for a, _o in toward}
        ).values_list("article_id", "organisation_id", "field", "start"):
            spans.setdefault((article_id, organisation_id), []).append((field_name, start))
        articles = Article.objects.in_bulk({a for a, _o in toward})
        for (article_id, organisation_id), sentiment in toward.items():
            text = _sentences_about(articles[article_id], spans.get((article_id, organisation_id), []))
            if text:
                examples.append({"title": text, "description": "", "sentiment": sentiment})
    return examples


def reanalysis_batches(*, since: dt.date | None, size: int = 200) -> list[list[int]]:
    articles = Article.objects.all()
    if since is not None:
        articles = articles.filter(
            Q(published_at__date__gte=since) | Q(published_at__isnull=True, created_at__date__gte=since)
        )
    ids = list(articles.order_by("id").values_list("id", flat=True))
    return [ids[i : i + size] for i in range(0, len(ids), size)]
