"""The demo's replay outlets publish first what the bloc follows: the articles of the shared
sample that name the demo's monitored organisations in their title or lead.

Without this, the replay serves the sample in its own order, where the monitored organisations
are rare, and a newcomer watches minutes of unrelated news (and, before rules took salience,
alerts about it). Chosen at the replay's start with Loa's own matcher, over the organisations
the demo loads (the bloc's seed, `loa/analysis/seed/organisations.yaml`), members counted for
their organisation. A name in the title or the lead is what
an article about an organisation, or with a substantive part about it, nearly always has; a
name only deep in the body is most often a passing one, so those are not chosen.

Plain Python (the replay server runs without Django).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from loa.pipeline.mentions import EntitySpec, Matcher
from loa.text.folding import fold_chars
from loa.text.normalization import normalize

SEED = Path(__file__).resolve().parent.parent / "analysis" / "seed" / "organisations.yaml"


def seed_entries(path: Path = SEED) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return entries


def specs_of(entries: Iterable[dict[str, Any]], keys: Sequence[str] | None = None) -> list[EntitySpec]:
    """Matcher specs of the seed's organisations (those of `keys`, or all), their members' names and acronyms
    folded in (a member's mention counts for its organisation). Tickers are left out: read as a
    company only in a stock context, and a stock list is a passing mention anyway."""
    specs = []
    for entry in entries:
        if keys is not None and entry["key"] not in keys:
            continue
        aliases = [entry["name"], *entry.get("aliases", [])]
        acronyms = list(entry.get("acronyms", []))
        for member in entry.get("members", []):
            aliases += [member["name"], *member.get("aliases", [])]
            acronyms += member.get("acronyms", [])
        specs.append(
            EntitySpec(
                key=entry["key"],
                name=entry["name"],
                aliases=tuple(aliases),
                acronyms=tuple(acronyms),
                ambiguous=tuple(entry.get("ambiguous", [])),
                context=tuple(entry.get("context", [])),
                exclude=tuple(entry.get("exclude", [])),
            )
        )
    return specs


def blocked_of(entries: Iterable[dict[str, Any]], keys: Sequence[str] | None = None) -> list[str]:
    """Folded look-alike phrases ("ngành điện ảnh"): a name inside one is no mention."""
    return [
        " ".join(fold_chars(normalize(p)).split())
        for e in entries
        if keys is None or e["key"] in keys
        for p in e.get("blocked", [])
    ]


@dataclass
class Picker:
    """Which monitored organisations an article names in its title or lead."""

    matcher: Matcher
    blocked: list[str]

    @classmethod
    def from_seed(cls, path: Path = SEED, keys: Sequence[str] | None = None) -> Picker:
        entries = seed_entries(path)
        return cls(Matcher(specs_of(entries, keys)), blocked_of(entries, keys))

    def named(self, record: dict[str, Any]) -> set[str]:
        title, lead = normalize(record.get("title") or ""), normalize(record.get("lead") or "")
        found = set()
        for mention in self.matcher.find(title=title, lead=lead):
            text = title if mention.field == "title" else lead
            folded = fold_chars(text).lower()
            if not any(self._inside(folded, phrase, mention.start, mention.end) for phrase in self.blocked):
                found.add(mention.key)
        return found

    @staticmethod
    def _inside(folded: str, phrase: str, start: int, end: int) -> bool:
        at = folded.find(phrase)
        while at >= 0:
            if at <= start and end <= at + len(phrase):
                return True
            at = folded.find(phrase, at + 1)
        return False


def _usable(path: Path) -> Iterator[dict[str, Any]]:
    """The sample's records the replay can serve (as `replay.load_sample` reads them)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("title") and len(record.get("text", "")) > 400:
                yield record


def load_monitored_first(
    path: Path, limit: int, *, live: int, share: float = 0.5, picker: Picker | None = None
) -> list[dict[str, Any]]:
    """`limit` records of the sample in the order the replay publishes them (oldest first):
    up to `share` of them name a monitored organisation. Those are the newest of the past (so
    the first poll of each outlet brings them) and, one in two, the first live ones."""
    picker = picker or Picker.from_seed()
    wanted = int(limit * share)
    monitored: list[dict[str, Any]] = []
    # Others up to the whole count: the sample may hold fewer monitored articles than wanted.
    others: list[dict[str, Any]] = []
    for record in _usable(path):
        if len(monitored) < wanted and picker.named(record):
            monitored.append(record)
        elif len(others) < limit:
            others.append(record)
        if len(monitored) >= wanted and len(others) >= limit - wanted:
            break
    others = others[: limit - len(monitored)]
    return demo_order(monitored, others, live=live)


def demo_order(
    monitored: Sequence[dict[str, Any]], others: Sequence[dict[str, Any]], *, live: int
) -> list[dict[str, Any]]:
    """Records in publishing order: the past (older others, then the monitored ones as the
    newest), then the live ones (the remaining monitored ones alternating with others, first)."""
    total = len(monitored) + len(others)
    past = max(total - live, 0)
    in_live = min(len(monitored) // 3, live // 2)
    in_past = len(monitored) - in_live
    older = max(past - in_past, 0)
    ordered = [*others[:older], *monitored[:in_past]]
    rest_monitored, rest_others = list(monitored[in_past:]), list(others[older:])
    while rest_monitored or rest_others:
        if rest_monitored:
            ordered.append(rest_monitored.pop(0))
        if rest_others:
            ordered.append(rest_others.pop(0))
    return ordered


def demo_sample(source: Path, target: Path, *, articles: int = 600, live: int = 120) -> Path:
    """Write the replay's records, monitored first, to `target` (gzipped JSON lines, in
    publishing order) and return it; kept while newer than the sample. `loa up --demo` serves
    this file, so the replay starts at once (choosing reads the whole sample, some seconds)."""
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    records = load_monitored_first(source, articles, live=live)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    partial.replace(target)
    return target
