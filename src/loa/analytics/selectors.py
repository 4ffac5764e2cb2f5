"""Reads of coverage over time and its make-up, for an organisation, a query, or both.

Every count goes through `loa.articles.search.matching`, the very SQL `loa search` and the search
page count with, so a series' total is the search's total for the same query, organisation and
dates. Days are Vietnamese days (the current time zone), as in search's date filters.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts.scoping import Actor, scope_of
from loa.analysis.models import RELEVANT_SALIENCES, Organisation, Sentiment, Story, Topic
from loa.analysis.selectors import organisation_list, saved_query_list, search_conditions, topic_list
from loa.articles import search
from loa.sources.models import Outlet
from loa.text.folding import fold_chars
from loa.text.tokens import syllables

INTERVALS = ("day", "week", "month")
RELEVANCES = ("all", "relevant")
# The longest series one request may ask for: about three years of days. Longer spans take
# weeks or months, so that nobody can make the server count forever.
MAX_PERIODS = 1100
TONES = (Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)


class AnalyticsError(ValueError):
    """A request that cannot be answered as asked (bad range, unknown query syntax…); its message
    is for the reader."""


@dataclass(frozen=True)
class Selection:
    """What to count: articles of an organisation (all that name it, or those mainly about it),
    of a query, or both, published between two days inclusive."""

    start: dt.date
    end: dt.date
    organisation: Organisation | None = None
    query: str = ""
    relevance: str = "all"
    topic: Topic | None = None


@dataclass
class Period:
    date: dt.date  # the first day of the period (a Monday for weeks, the 1st for months)
    count: int = 0
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    share: float | None = None  # of all coverage in the period, when asked
    # Reactions, comments and shares of the period's posts as last observed, when asked (press
    # articles have none: weighed by engagement, coverage is what social audiences did with it).
    interactions: int | None = None


@dataclass
class Volume:
    series: list[Period]
    total: int


@dataclass(frozen=True)
class OutletCount:
    outlet_id: int
    name: str
    count: int


@dataclass(frozen=True)
class TermScore:
    term: str
    articles: int  # articles of the selection using it (of those read)
    background: int  # articles of the rest using it (of those read)
    score: float


@dataclass(frozen=True)
class StoryCount:
    story: Story
    count: int  # articles of the selection in the story


@dataclass(frozen=True)
class Voice:
    organisation: Organisation
    count: int
    share: float


def organisation_find(*, user: Actor, key: str) -> Organisation | None:
    """An organisation the reader may see, by id or by short name (case ignored)."""
    organisations = organisation_list(user=user)
    key = key.strip()
    if key.isdigit():
        return organisations.filter(pk=int(key)).first()
    return organisations.filter(short_name__iexact=key).first() if key else None


@dataclass(frozen=True)
class Subject:
    """What one series of a comparison follows: a monitored organisation, a saved query or a
    topic, named by a key such as "org:12", "query:3" or "topic:5"."""

    key: str
    label: str
    organisation: Organisation | None = None
    query: str = ""
    topic: Topic | None = None


def subject_choices(*, user: Actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """The subjects the reader may compare, grouped for a select box."""
    return [
        (_("Monitored organisations"), [(f"org:{o.pk}", o.short_name) for o in organisation_list(user=user)]),
        (_("Saved queries"), [(f"query:{q.pk}", q.name) for q in saved_query_list(user=user).filter(enabled=True)]),
        (_("Topics"), [(f"topic:{t.pk}", t.name) for t in topic_list(user=user)]),
    ]


def subject_find(*, user: Actor, key: str) -> Subject | None:
    """The subject of `key` if the reader may see it, else None."""
    kind, _sep, pk = key.partition(":")
    if not pk.isdigit():
        return None
    if kind == "org":
        organisation = organisation_list(user=user).filter(pk=int(pk)).first()
        if organisation is not None:
            return Subject(key=key, label=organisation.short_name, organisation=organisation)
    elif kind == "query":
        saved = saved_query_list(user=user).filter(pk=int(pk)).first()
        if saved is not None:
            return Subject(key=key, label=saved.name, query=saved.query)
    elif kind == "topic":
        topic = topic_list(user=user).filter(pk=int(pk)).first()
        if topic is not None:
            return Subject(key=key, label=topic.name, topic=topic)
    return None


def query_both(first: str, second: str) -> str:
    """Articles matching both queries (either may be empty)."""
    first, second = first.strip(), second.strip()
    return f"({first}) AND ({second})" if first and second else first or second


def period_start(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _next_period(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day + dt.timedelta(days=7)
    if interval == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=1)


def periods(start: dt.date, end: dt.date, interval: str) -> list[dt.date]:
    """The first day of every period from `start` to `end`, those without articles included."""
    if interval not in INTERVALS:
        raise AnalyticsError(_("The interval must be day, week or month."))
    if end < start:
        raise AnalyticsError(_("The end of the range is before its start."))
    approximate = (end - start).days // {"day": 1, "week": 7, "month": 28}[interval]
    if approximate > MAX_PERIODS:
        raise AnalyticsError(
            _("The range is too long: at most %(n)d periods; choose a longer interval.") % {"n": MAX_PERIODS}
        )
    found, day = [], period_start(start, interval)
    while day <= end:
        found.append(day)
        day = _next_period(day, interval)
    return found


def _may_read(user: Actor) -> bool:
    return not scope_of(user).empty


def _matching(selection: Selection) -> search.Matching:
    if selection.relevance not in RELEVANCES:
        raise AnalyticsError(_("The relevance must be all or relevant."))
    conditions: tuple[tuple[str, tuple[int | str, ...]], ...] = ()
    organisation = selection.organisation
    if organisation is not None:
        # The organisation filter of search: every article naming it.
        conditions = search_conditions(organisation_ids=[organisation.pk])
        if selection.relevance == "relevant":
            marks = ", ".join(["%s"] * len(RELEVANT_SALIENCES))
            conditions += (
                (
                    "{a}.id IN (SELECT x.article_id FROM analysis_articleentity x"
                    f" WHERE x.organisation_id = %s AND x.salience IN ({marks}))",
                    (organisation.pk, *[str(s) for s in RELEVANT_SALIENCES]),
                ),
            )
    elif selection.relevance == "relevant":
        raise AnalyticsError(_("Relevance applies to an organisation: give one."))
    if selection.topic is not None:
        conditions += search_conditions(topic_ids=[selection.topic.pk])
    filters = search.Filters(date_from=selection.start, date_to=selection.end, conditions=conditions)
    found = search.matching(selection.query, filters)
    if found.error:
        raise AnalyticsError(found.error)
    return found


def _day_sql(start: dt.date, end: dt.date) -> tuple[str, list[search.SqlParam]]:
    """SQL for the Vietnamese day of article `a`, so that the database groups articles by day and
    hands back one row a day instead of one an article (bench.analytics: converting the 8 746
    times of "điện lực" over 90 days of 100 000 articles took 0.11 s in Python alone)."""
    when = "COALESCE(a.published_at, a.created_at)"
    zone = timezone.get_current_timezone()
    if connection.vendor == "sqlite":
        # SQLite knows no time zones; Django's function for it converts in Python, row by row.
        # A zone that keeps one offset over the range (Vietnam's has since 1975) is a shift.
        offsets = {
            dt.datetime.combine(start + dt.timedelta(days=n), dt.time.min, tzinfo=zone).utcoffset()
            for n in range((end - start).days + 2)
        }
        offset = offsets.pop() if len(offsets) == 1 else None
        if offset is not None:
            return f"date({when}, %s)", [f"{int(offset.total_seconds()) // 60:+d} minutes"]
    sql, params = connection.ops.datetime_cast_date_sql(when, (), timezone.get_current_timezone_name())
    return sql, list(params)


def _as_date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite returns text


def _all_counts(selection: Selection, days: list[dt.date], interval: str) -> dict[dt.date, int]:
    """Articles of every kind per period: the denominator of the normalised series. The articles
    `search.matching("")` selects for the range, counted period by period between the first
    instants of consecutive periods, which the article_time index answers without reading an
    article (bench.analytics: 90 days of 100 000 articles, 0.4 s → 0.03 s)."""
    if not days:
        return {}
    bounds = [*days, _next_period(days[-1], interval)]
    rows = ", ".join(["(%s, %s, %s)"] * len(days))
    params: list[search.SqlParam] = []
    for number, (first, after) in enumerate(itertools.pairwise(bounds)):
        # The range's own ends where a period sticks out of it, as matching("") would cut it.
        params += [
            number,
            search.day_start(max(first, selection.start)),
            search.day_start(min(after, selection.end + dt.timedelta(days=1))),
        ]
    when = "COALESCE(a.published_at, a.created_at)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH b (n, lo, hi) AS (VALUES {rows}) SELECT b.n, (SELECT COUNT(*) FROM articles_article a"
            f" WHERE {when} >= b.lo AND {when} < b.hi) FROM b",
            params,
        )
        return {days[int(n)]: int(count) for n, count in cursor.fetchall()}


def volume(
    *,
    user: Actor,
    selection: Selection,
    interval: str = "day",
    normalise: bool = False,
    engagement: bool = False,
) -> Volume:
    """Articles of the selection per period, every period of the range listed (zero ones too),
    split by tone (toward the organisation when there is one, else the article's tone; an article
    not yet analysed is counted without a tone). With `normalise`, each period's share of all
    coverage in it; with `engagement`, the interactions its posts drew as last observed."""
    days = periods(selection.start, selection.end, interval)
    series = {day: Period(date=day) for day in days}
    found = _matching(selection)
    if not _may_read(user):
        return Volume(series=list(series.values()), total=0)
    tone_sql = "(SELECT t.sentiment FROM analysis_articleanalysis t WHERE t.article_id = a.id)"
    tone_params: list[search.SqlParam] = []
    if selection.organisation is not None:
        tone_sql = (
            "COALESCE((SELECT e.tone FROM analysis_articleentity e WHERE e.article_id = a.id"
            f" AND e.organisation_id = %s), {tone_sql})"
        )
        tone_params = [selection.organisation.pk]
    day_sql, day_params = _day_sql(selection.start, selection.end)
    weight_sql = (
        "(SELECT COALESCE(g.reactions, 0) + COALESCE(g.comments, 0) + COALESCE(g.shares, 0)"
        " FROM articles_engagement g WHERE g.article_id = a.id ORDER BY g.observed_at DESC LIMIT 1)"
        if engagement
        else "0"
    )
    total = 0
    if engagement:
        for period in series.values():
            period.interactions = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT day, tone, COUNT(*), SUM(COALESCE(weight, 0)) FROM (SELECT {day_sql} AS day, {tone_sql} AS tone,"
            f" {weight_sql} AS weight {found.sql}) m GROUP BY day, tone",
            [*day_params, *tone_params, *found.params],
        )
        for day, tone, count, weight in cursor.fetchall():
            period = series[period_start(_as_date(day), interval)]
            period.count += count
            if engagement:
                period.interactions = (period.interactions or 0) + int(weight or 0)
            total += count
            if tone in TONES:
                setattr(period, str(tone), getattr(period, str(tone)) + count)
    if normalise:
        _set_shares(list(series.values()), _all_counts(selection, days, interval))
    return Volume(series=list(series.values()), total=total)


def _set_shares(series: Sequence[Period], everything: dict[dt.date, int]) -> None:
    """Each period's share of all coverage in it."""
    for period in series:
        whole = everything.get(period.date, 0)
        period.share = round(period.count / whole, 4) if whole else 0.0


def top_outlets(*, user: Actor, selection: Selection, limit: int = 10) -> list[OutletCount]:
    """The outlets that published most of the selection, most first."""
    found = _matching(selection)
    if not _may_read(user):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.outlet_id, COUNT(*) {found.sql} GROUP BY a.outlet_id ORDER BY COUNT(*) DESC, a.outlet_id "
            "LIMIT %s",
            [*found.params, limit],
        )
        rows = cursor.fetchall()
    names = dict(Outlet.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "name"))
    return [OutletCount(outlet_id=pk, name=names.get(pk, "—"), count=int(n)) for pk, n in rows]


def top_stories(*, user: Actor, selection: Selection, limit: int = 10) -> list[StoryCount]:
    """The stories the selection's articles belong to, largest share of the selection first."""
    found = _matching(selection)
    if not _may_read(user):
        return []
    story_sql = "(SELECT t.story_id FROM analysis_articleanalysis t WHERE t.article_id = a.id)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT story_id, n FROM (SELECT {story_sql} AS story_id, COUNT(*) AS n {found.sql} "
            f"GROUP BY {story_sql}) grouped WHERE story_id IS NOT NULL ORDER BY n DESC, story_id DESC LIMIT %s",
            [*found.params, limit],
        )
        rows = cursor.fetchall()
    stories = Story.objects.select_related("first_outlet").in_bulk([r[0] for r in rows])
    return [StoryCount(story=stories[pk], count=int(n)) for pk, n in rows if pk in stories]


# Terms are read from the titles and leads of this many articles of each side, the newest: enough
# to tell what distinguishes the coverage, bounded whatever the range.
TERM_SAMPLE = 400
# Folded syllables too common in Vietnamese news to say anything, or not words at all.
_STOPWORDS = frozenset(
    """
    va cua la co cac nhung mot duoc cho trong voi nay de khi da se thi tai tu nguoi
    khong ve len ra vao theo nhu den tren cung sau truoc hon rat nhieu it nam ngay
    thang gio phut luc do day nao ma nen vi neu bi bang gi ai chi van con dang duoi
    ong ba anh em toi chung ho minh ban noi biet hay thuc hien dong thoi tai lai
    """.split()  # noqa: SIM905
)


def _terms(text: str) -> set[str]:
    """The words (syllables) and two-syllable words of `text`, lower case, stopwords left out."""
    words = [span.text.lower() for span in syllables(text)]
    keep = [w if len(w) > 1 and not w.isdigit() and fold_chars(w) not in _STOPWORDS else "" for w in words]
    found = {w for w in keep if w}
    found.update(f"{a} {b}" for a, b in itertools.pairwise(keep) if a and b)
    return found


def _texts(sql: str, params: Sequence[search.SqlParam]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.title, a.lead {sql} ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC LIMIT %s",
            [*params, TERM_SAMPLE],
        )
        return [f"{title}\n{lead}" for title, lead in cursor.fetchall()]


def top_terms(*, user: Actor, selection: Selection, limit: int = 20) -> list[TermScore]:
    """Terms that distinguish the selection from the rest of the coverage of the same days: the
    share of its articles using a term against the share of the other articles using it (a
    smoothed log ratio), weighted by how many of its articles use it."""
    found = _matching(selection)
    if not _may_read(user):
        return []
    everything = search.matching("", search.Filters(date_from=selection.start, date_to=selection.end))
    inside = _texts(found.sql, found.params)
    outside = _texts(
        f"{everything.sql} AND a.id NOT IN (SELECT a.id {found.sql})",
        [*everything.params, *found.params],
    )
    if not inside:
        return []
    ours: Counter[str] = Counter(term for text in inside for term in _terms(text))
    theirs: Counter[str] = Counter(term for text in outside for term in _terms(text))
    scored = []
    for term, n in ours.items():
        if n < 2:
            continue
        ratio = math.log(((n + 0.5) / (len(inside) + 1)) / ((theirs[term] + 0.5) / (len(outside) + 1)))
        if ratio > 0:
            scored.append(TermScore(term=term, articles=n, background=theirs[term], score=round(ratio * n, 3)))
    scored.sort(key=lambda t: (-t.score, t.term))
    # A two-syllable word hides its syllables when they score only through it.
    shown: list[TermScore] = []
    for row in scored:
        if " " not in row.term and any(row.term in s.term.split() and s.articles >= row.articles for s in shown):
            continue
        shown.append(row)
        if len(shown) == limit:
            break
    return shown


def share_of_voice(*, user: Actor, organisations: Sequence[Organisation], selection: Selection) -> list[Voice]:
    """Each organisation's articles over the range (its relevance and query as in `selection`),
    and its share of their sum."""
    counts = []
    for organisation in organisations:
        chosen = Selection(
            start=selection.start,
            end=selection.end,
            organisation=organisation,
            query=selection.query,
            relevance=selection.relevance,
        )
        found = _matching(chosen)
        if not _may_read(user):
            counts.append(0)
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {found.sql}", found.params)
            counts.append(int(cursor.fetchone()[0]))
    whole = sum(counts)
    return [
        Voice(organisation=o, count=n, share=round(n / whole, 4) if whole else 0.0)
        for o, n in zip(organisations, counts, strict=True)
    ]


@dataclass
class Comparison:
    """Everything the coverage page shows: each series over time, and for the series in focus its
    tone, outlets, terms and stories; share of voice between the organisations compared (or all
    those the reader follows when fewer than two are compared)."""

    series: list[tuple[str, Volume]]
    focus: int
    outlets: list[OutletCount]
    terms: list[TermScore]
    stories: list[StoryCount]
    voices: list[Voice]


# Share of voice over every followed organisation: the largest this many, so the chart stays legible.
VOICES = 8


def comparison(
    *,
    user: Actor,
    selections: Sequence[tuple[str, Selection]],
    interval: str,
    measure: str = "count",
    focus: int = 0,
) -> Comparison:
    if not selections:
        raise AnalyticsError(_("Choose at least one organisation, saved query, topic or query."))
    focus = min(max(focus, 0), len(selections) - 1)
    series = [
        (label, volume(user=user, selection=chosen, interval=interval, engagement=measure == "interactions"))
        for label, chosen in selections
    ]
    if measure == "share" and _may_read(user):
        # The denominator is all coverage of the range: counted once per range, not once a series.
        wholes: dict[tuple[dt.date, dt.date], dict[dt.date, int]] = {}
        for (_label, chosen), (_same, counted) in zip(selections, series, strict=True):
            key = (chosen.start, chosen.end)
            if key not in wholes:
                wholes[key] = _all_counts(chosen, periods(chosen.start, chosen.end, interval), interval)
            _set_shares(counted.series, wholes[key])
    chosen = selections[focus][1]
    compared = [s.organisation for _label, s in selections if s.organisation is not None]
    relevance = next((s.relevance for _label, s in selections if s.organisation is not None), "all")
    between = Selection(start=chosen.start, end=chosen.end, relevance=relevance)
    if len(compared) >= 2:
        voices = share_of_voice(user=user, organisations=compared, selection=between)
    else:
        voices = share_of_voice(user=user, organisations=list(organisation_list(user=user)), selection=between)
        voices = [v for v in sorted(voices, key=lambda v: (-v.count, v.organisation.short_name)) if v.count][:VOICES]
    return Comparison(
        series=series,
        focus=focus,
        outlets=top_outlets(user=user, selection=chosen),
        terms=top_terms(user=user, selection=chosen),
        stories=top_stories(user=user, selection=chosen),
        voices=voices,
    )
