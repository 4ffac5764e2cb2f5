"""Full-text search over articles: SQLite FTS5 embedded, PostgreSQL full-text at scale.

Both index the folded text (see `loa.text.fold`), so "dang uy" finds "Đảng ủy" and the
query syntax means the same on both. Highlighting happens in Python on the stored text,
which lines up character for character with its folded form.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from loa.articles.models import Article
from loa.text.folding import fold_chars
from loa.text.query import (
    NO_POSITIVE,
    Node,
    Phrase,
    QueryError,
    has_positive,
    parse,
    positive_phrases,
    to_fts5,
    to_tsquery,
)

FTS_TABLE = "articles_fts"


def query_error_message(error: QueryError) -> str:
    """Why a query cannot be read, in the reader's language (the error's own message, in
    Vietnamese, when its code is not known here)."""
    messages = {
        "unexpected": _("Cannot read “%(token)s” in the query."),
        "missing_paren": _("A closing parenthesis “)” is missing."),
        "near_sides": _("NEAR/n needs a word on each side."),
        "near_distance": _("NEAR(…, n) needs a number for the distance."),
        "near_paren": _("A “)” is missing after NEAR."),
        "near_terms": _("NEAR(a b, n) needs exactly two words or phrases."),
        NO_POSITIVE: _("The query needs at least one word that is not excluded."),
    }
    message = messages.get(error.code)
    return message % {"token": error.token} if message else str(error)


PG_TABLE = "articles_search"


def index(article: Article) -> None:
    index_many([article])


_PUNCTUATION = re.compile(r"[^\w]+")


def index_many(articles: list[Article]) -> None:
    """(Re)write the search entries of `articles`: folded title, lead and body."""

    def prepared(text: str) -> str:
        folded = fold_chars(text)
        # PostgreSQL's parser reads "60-kl/duk" as a hyphenated word and a path, which
        # shifts word positions; plain words keep phrases and NEAR exact, as in FTS5.
        return folded if connection.vendor == "sqlite" else _PUNCTUATION.sub(" ", folded)

    rows = [(a.pk, prepared(a.title), prepared(a.lead), prepared(a.body)) for a in articles]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(row[0],) for row in rows])
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, title, lead, body) VALUES (%s, %s, %s, %s)", rows)
        else:
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (article_id, document) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') "
                "|| setweight(to_tsvector('simple', %s), 'C')) "
                "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document",
                rows,
            )


def remove(article_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])
        else:
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE article_id = %s", [article_id])


@dataclass(frozen=True)
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlet_ids: tuple[int, ...] = ()
    source_ids: tuple[int, ...] = ()
    # Where the outlets publish (loa.sources.models.Channel): press, social, forum, video.
    channels: tuple[str, ...] = ()
    article_ids: tuple[int, ...] | None = None  # restricts to these (other modules' filters)
    # Extra SQL conditions from other modules (analysis: organisation, tone, topic), each
    # with "{a}" for the article table's alias and its parameters.
    conditions: tuple[tuple[str, tuple[int | str, ...]], ...] = ()


@dataclass
class Page:
    ids: list[int]
    total: int
    node: Node | None
    error: str = ""
    phrases: list[Phrase] = field(default_factory=list)


SqlParam = int | str | dt.datetime


def day_start(day: dt.date) -> SqlParam:
    """The first instant of a (Vietnamese) day as the database compares stored times: SQLite keeps
    UTC text, and an aware bound passed as is compared as text ("…00:00:00+07:00") was read 7 hours
    late, so a day lost its first hours."""
    value = dt.datetime.combine(day, dt.time.min, tzinfo=_tz())
    adapted: SqlParam | None = connection.ops.adapt_datetimefield_value(value)
    return value if adapted is None else adapted  # None only for a None value


def _date_sql(filters: Filters, alias: str) -> tuple[list[str], list[SqlParam]]:
    # The very expression of the article_time index, so that a range reads the index.
    when = f"COALESCE({alias}.published_at, {alias}.created_at)"
    clauses: list[str] = []
    params: list[SqlParam] = []
    if filters.date_from:
        clauses.append(f"{when} >= %s")
        params.append(day_start(filters.date_from))
    if filters.date_to:
        clauses.append(f"{when} < %s")
        params.append(day_start(filters.date_to + dt.timedelta(days=1)))
    return clauses, params


def _filter_sql(filters: Filters, alias: str = "a") -> tuple[str, list[SqlParam]]:
    clauses, params = _date_sql(filters, alias)
    dated = bool(clauses)
    for column, values in (("outlet_id", filters.outlet_ids), ("source_id", filters.source_ids)):
        if values:
            clauses.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    if filters.channels:
        marks = ", ".join(["%s"] * len(filters.channels))
        clauses.append(f"{alias}.outlet_id IN (SELECT o.id FROM sources_outlet o WHERE o.channel IN ({marks}))")
        params.extend(filters.channels)
    # SQLite, without statistics, lets a condition's "a.id IN (…)" drive the query: it reads every
    # article an organisation was ever named in to check its date. Within a date range, a unary
    # plus (the same value) leaves the range's index to drive instead, and reads only the
    # articles of those days (bench.analytics, an organisation over 90 days of 1 000 000 articles:
    # 0.8 s → 0.27 s for the count).
    within = f"+{alias}" if dated and connection.vendor == "sqlite" else alias
    for sql, extra in filters.conditions:
        clauses.append(sql.format(a=within))
        params.extend(extra)
    if filters.article_ids is not None:
        if not filters.article_ids:
            clauses.append("1 = 0")
        else:
            clauses.append(f"{alias}.id IN ({', '.join(['%s'] * len(filters.article_ids))})")
            params.extend(filters.article_ids)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


def _tz() -> dt.tzinfo:
    from django.utils import timezone

    return timezone.get_current_timezone()


@dataclass(frozen=True)
class Matching:
    """The articles a query and filters select, as "FROM … WHERE …" over the article table
    aliased `a`, with its parameters: what `run` counts and pages through, and what analytics
    groups, so that both always count the same articles."""

    sql: str
    params: list[SqlParam]
    node: Node | None
    error: str = ""


def _id_window(filters: Filters) -> tuple[str, list[SqlParam]]:
    """Bounds on the FTS rowid implied by a date range: the smallest and largest id of the articles
    of those days (read from the article_time index). They select no other articles than the range
    itself, but FTS5 then skips the matches outside them instead of reading each one's article to
    check its date: a recent range of a large archive, whose ids follow the order of ingestion,
    reads only its own part (bench.analytics: "điện lực", 90 days of 100 000 articles, 0.27 s →
    0.05 s)."""
    clauses, params = _date_sql(filters, "t")
    if not clauses:
        return "", []
    dated = f"FROM articles_article t WHERE {' AND '.join(clauses)}"
    return (
        f" AND f.rowid >= (SELECT MIN(t.id) {dated}) AND f.rowid <= (SELECT MAX(t.id) {dated})",
        [*params, *params],
    )


def matching(query: str, filters: Filters | None = None) -> Matching:
    filters = filters or Filters()
    try:
        node = parse(query)
    except QueryError as error:
        return Matching("", [], None, query_error_message(error))
    where, params = _filter_sql(filters)
    table = "articles_article"
    if node is None:
        return Matching(f"FROM {table} a WHERE 1 = 1{where}", params, None)
    if not has_positive(node):
        return Matching("", [], node, query_error_message(QueryError("", code=NO_POSITIVE)))
    if connection.vendor == "sqlite":
        try:
            match = to_fts5(node)
        except QueryError as error:
            return Matching("", [], node, query_error_message(error))
        window, window_params = _id_window(filters)
        return Matching(
            f"FROM {FTS_TABLE} f JOIN {table} a ON a.id = f.rowid WHERE {FTS_TABLE} MATCH %s{window}{where}",
            [match, *window_params, *params],
            node,
        )
    return Matching(
        f"FROM {PG_TABLE} s JOIN {table} a ON a.id = s.article_id WHERE s.document @@ to_tsquery('simple', %s){where}",
        [to_tsquery(node), *params],
        node,
    )


def run(
    query: str,
    *,
    filters: Filters | None = None,
    order: str = "relevance",
    limit: int = 20,
    offset: int = 0,
) -> Page:
    """Article ids matching `query` (all articles for an empty query), best first."""
    found = matching(query, filters)
    if found.error:
        return Page(ids=[], total=0, node=found.node, error=found.error)
    base, params, node = found.sql, found.params, found.node
    by_date = "COALESCE(a.published_at, a.created_at) DESC, a.id DESC"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", params)
        total = int(cursor.fetchone()[0])
        if node is None:
            cursor.execute(f"SELECT a.id {base} ORDER BY {by_date} LIMIT %s OFFSET %s", [*params, limit, offset])
            return Page(ids=[r[0] for r in cursor.fetchall()], total=total, node=None)
        extra: list[SqlParam] = []
        if order != "relevance":
            ordering = by_date
        elif connection.vendor == "sqlite":
            ordering = f"bm25({FTS_TABLE}, 10.0, 4.0, 1.0), a.id DESC"
        else:
            ordering = "ts_rank_cd(s.document, to_tsquery('simple', %s)) DESC, a.id DESC"
            extra = [params[0]]  # the tsquery
        cursor.execute(f"SELECT a.id {base} ORDER BY {ordering} LIMIT %s OFFSET %s", [*params, *extra, limit, offset])
        ids = [r[0] for r in cursor.fetchall()]
    return Page(ids=ids, total=total, node=node, phrases=list(positive_phrases(node)))


# --- highlighting -------------------------------------------------------------------


def _phrase_pattern(phrase: Phrase) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in phrase.words) + r"(?!\w)")


def _spans(text: str, phrases: list[Phrase]) -> list[tuple[int, int]]:
    """Where the phrases occur in `text`, as merged character spans (folded and original
    text line up one to one, so the spans hold for both)."""
    folded = fold_chars(text)
    spans = sorted(m.span() for phrase in phrases for m in _phrase_pattern(phrase).finditer(folded))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        # Words found next to each other read better as one mark: "<mark>Giá điện</mark>".
        if merged and (start <= merged[-1][1] or not folded[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, phrases: list[Phrase]) -> str:
    """`text` as HTML with the matched words in <mark>; everything else escaped."""
    out, last = [], 0
    for start, end in _spans(text, phrases):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, phrases: list[Phrase], *, width: int = 240) -> str:
    """A highlighted window of `text` around its first match (or its start)."""
    spans = _spans(text, phrases)
    start = max(0, spans[0][0] - width // 3) if spans else 0
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    window = highlight(text[start:end], phrases)
    return ("… " if start else "") + window + (" …" if end < len(text) else "")
