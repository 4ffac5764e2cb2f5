"""Past coverage for `loa up --demo`: some weeks of articles about the monitored organisations,
so the dashboard's usual level, the organisation charts and the analytics have a history to
compare today with.

The articles are the shared sample's that name a monitored organisation twice or more, but
not in the title or lead (the replay serves those), spread over the HISTORY_DAYS before today
at the replay's outlets. They go through the pipeline's own
storing (deduplication, search index) and analysis (mentions, salience, tone, stories), so
every number the pages show is read, not made up. The alert and incident steps are left out:
this coverage was seen back then, and raising weeks of alerts about it at once would bury the
live ones (and `created_at` is set back to when each article was "stored" for the same reason:
the alert sweeps look at what was stored recently).

Deterministic: the same sample and the same `now` give the same articles at the same times.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ahocorasick

from loa.devtools.monitored import Picker, _usable, seed_entries
from loa.text.folding import fold_chars
from loa.text.normalization import normalize

# Six weeks: the dashboard's usual level reads the last four, the charts show all six. The
# sample holds about two hundred such articles; spread thinner, most days would have none.
HISTORY_DAYS = 42
# A cap on the first start's work (storing and analysing take some tens of milliseconds each).
HISTORY_ARTICLES = 400
MENTIONS = 2


def _names_automaton() -> ahocorasick.Automaton:
    """Every name, alias and acronym of the seed, folded: a cheap first test before the
    matcher (which splits sentences and reads context, too slow for the whole sample)."""
    automaton = ahocorasick.Automaton()
    for entry in seed_entries():
        for owner in [entry, *entry.get("members", [])]:
            for name in [owner["name"], *owner.get("aliases", []), *owner.get("acronyms", [])]:
                folded = fold_chars(name).lower()
                automaton.add_word(folded, folded)
    automaton.make_automaton()
    return automaton


def history_records(path: Path, *, skip: set[str], limit: int = HISTORY_ARTICLES) -> Iterator[dict[str, Any]]:
    """Records of the sample not in `skip` (the replay's) naming a monitored organisation
    twice or more, not in the title or lead (those the replay serves), in the sample's order."""
    picker = Picker.from_seed()
    automaton = _names_automaton()
    found = 0
    for record in _usable(path):
        if str(record["id"]) in skip:
            continue
        text = fold_chars(f"{record['title']} {record.get('lead') or ''} {record['text']}").lower()
        if next(automaton.iter(text), None) is None or picker.named(record):
            continue
        title, lead, body = (normalize(record.get(f) or "") for f in ("title", "lead", "text"))
        named = Counter(m.key for m in picker.matcher.find(title=title, lead=lead, body=body))
        # Named twice or more: nearly all the articles the analysis finds about an organisation
        # (main subject or a substantive part); named once, nearly always in passing.
        if named and max(named.values()) >= MENTIONS:
            yield record
            found += 1
            if found >= limit:
                return


def history_sample(source: Path, target: Path, *, replay: Path) -> Path:
    """Write the history's records to `target` (gzipped JSON lines) and return it; kept while
    newer than the sample. Choosing reads the whole sample (some seconds), once."""
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    with gzip.open(replay, "rt", encoding="utf-8") as handle:
        skip = {str(json.loads(line)["id"]) for line in handle}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in history_records(source, skip=skip))
    partial.replace(target)
    return target


def read_records(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def published_times(count: int, *, now: dt.datetime, days: int = HISTORY_DAYS, seed: int = 7) -> list[dt.datetime]:
    """`count` publication times over the `days` whole days before `now`'s day (in `now`'s
    time zone), evenly by day, at a daytime minute; oldest first."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible spread, not a secret
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    times = []
    for index in range(count):
        back = days - (index * days) // max(count, 1)
        times.append(today - dt.timedelta(days=back) + dt.timedelta(minutes=rng.randrange(6 * 60, 22 * 60)))
    return sorted(times)


def history_load(*, records: list[dict[str, Any]], first_port: int, now: dt.datetime, outlets: int = 6) -> int:
    """Store and analyse `records` as the replay outlets' past articles (once: nothing if the
    first is stored already); returns how many were stored."""
    # The shell wires the apps together: storing and analysing are the pipeline's own services.
    from django.db import transaction

    from loa.analysis.services import articles_analyse
    from loa.articles.models import Article
    from loa.articles.services import article_store
    from loa.devtools.replay import slugify
    from loa.pipeline.outcomes import StageError
    from loa.pipeline.urls import url_key
    from loa.sources.models import Source
    from loa.sources.services import outlet_for_url

    def url_of(index: int, record: dict[str, Any]) -> str:
        # The replay's own address scheme, at the outlets the demo polls.
        slug = f"{slugify(record['title'])}-{record['id']}"
        return f"http://127.0.0.1:{first_port + index % outlets}/bai-viet/{slug}.html"

    if not records or Article.objects.filter(url_key=url_key(url_of(0, records[0]))).exists():
        return 0
    stored = []
    for index, (record, published) in enumerate(zip(records, published_times(len(records), now=now), strict=True)):
        url = url_of(index, record)
        outlet = outlet_for_url(url)
        try:
            with transaction.atomic():
                article = article_store(
                    outlet=outlet,
                    source=Source.objects.filter(outlet=outlet).order_by("pk").first(),
                    url=url,
                    title=normalize(record["title"]),
                    lead=normalize(record.get("lead") or ""),
                    body=normalize(record["text"]),
                    published_at=published,
                    fetched_at=published + dt.timedelta(minutes=5),
                )
        except StageError:
            continue  # the sample repeats a few texts: deduplication drops them, as on polling
        # Stored back then, as far as every "recently stored" reader (alert sweeps) is concerned.
        article.created_at = published + dt.timedelta(minutes=5)
        Article.objects.filter(pk=article.pk).update(created_at=article.created_at)
        stored.append(article)
    articles_analyse(articles=stored)
    return len(stored)
