"""Per-process analysis tools: the trained models, the mention matcher and the compiled
saved queries and topic rules, rebuilt when what they are built from changes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from loa.analysis.models import MemberCompany, Organisation, SavedQuery, Topic
from loa.pipeline import mentions
from loa.pipeline.classify import Classifier
from loa.pipeline.mentions import EntitySpec, Matcher
from loa.pipeline.themes import Learned, Tagger, ThemeSpec
from loa.text.query import Node, parse


class ModelsMissing(RuntimeError):
    """No trained models where settings say; `loa model train` makes them."""


@lru_cache(maxsize=1)
def classifier() -> Classifier:
    path = Path(settings.LOA_MODEL_PATH)
    if not path.is_file():
        raise ModelsMissing(f"Chưa có mô hình phân loại tại {path}; chạy: loa model train (models missing)")
    return Classifier.load(path)


_lock = threading.Lock()


@dataclass
class _Cached:
    version: tuple[object, ...] | None = None
    value: object = None


_matcher = _Cached()
_queries = _Cached()
_topics = _Cached()
_themes = _Cached()


def _version(model: type[Organisation] | type[MemberCompany] | type[SavedQuery]) -> tuple[object, ...]:
    """Changes whenever a row is added, removed or edited: cheap enough to ask per batch."""
    row = model.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (row["n"], row["latest"])


def spec_of(organisation: Organisation, members: Sequence[MemberCompany] | None = None) -> EntitySpec:
    """The matcher's spec of an organisation with its followed member companies (`members`,
    when given, saves a query per organisation)."""
    if members is None:
        members = list(organisation.members.all())
    # Through the module: the member-aware spec types come with the pipeline of issue 17.
    return mentions.EntitySpec(
        key=str(organisation.pk),
        name=organisation.name,
        aliases=tuple([organisation.name, *organisation.alias_list()]),
        acronyms=tuple(organisation.acronym_list()),
        ambiguous=tuple(organisation.ambiguous_list()),
        context=tuple(organisation.context_list()),
        exclude=tuple(organisation.exclusion_list()),
        tickers=tuple(organisation.ticker_list()),
        blocked=tuple(organisation.blocked_list()),
        members=tuple(
            mentions.MemberSpec(
                name=member.name,
                aliases=tuple([member.name, *member.alias_list()]),
                acronyms=tuple(member.acronym_list()),
                tickers=tuple(member.ticker_list()),
            )
            for member in members
            if member.enabled
        ),
    )


def matcher() -> Matcher:
    # A member company edited, added or removed changes what is found as much as its organisation.
    version = (*_version(Organisation), *_version(MemberCompany))
    with _lock:
        if _matcher.version != version:
            specs = [
                spec_of(o, list(o.members.all()))
                for o in Organisation.objects.filter(enabled=True).prefetch_related("members")
            ]
            _matcher.value, _matcher.version = Matcher(specs), version
        assert isinstance(_matcher.value, Matcher)
        return _matcher.value


def saved_queries() -> list[tuple[int, Node]]:
    version = _version(SavedQuery)
    with _lock:
        if _queries.version != version:
            compiled = []
            for query in SavedQuery.objects.filter(enabled=True):
                node = parse(query.query)
                if node is not None:
                    compiled.append((query.pk, node))
            _queries.value, _queries.version = compiled, version
        value: list[tuple[int, Node]] = _queries.value  # type: ignore[assignment]
        return list(value)


def topic_rules() -> tuple[dict[str, int], list[tuple[int, Node]]]:
    """Topic ids by name (enabled topics) and the topics defined by a query rule."""
    rows = list(Topic.objects.values_list("id", "name", "rule", "enabled"))
    version = tuple(rows)
    with _lock:
        if _topics.version != version:
            names = {name: pk for pk, name, _rule, enabled in rows if enabled}
            rules = []
            for pk, _name, rule, enabled in rows:
                node = parse(rule) if enabled and rule.strip() else None
                if node is not None:
                    rules.append((pk, node))
            _topics.value, _topics.version = (names, rules), version
        return _topics.value  # type: ignore[return-value]


def _learned_themes(path: Path) -> Learned | None:
    try:
        return Learned.load(path)
    except (OSError, ValueError, KeyError, TypeError):
        # A damaged or foreign file: the rules alone, as before `loa model themes` ran.
        return None


def themes() -> tuple[dict[str, int], Tagger]:
    """Topic ids by key, and the tagger of the enabled topics: each by its rule alone, or by
    the classifier `loa model themes` learned for it from confirmed articles. (A DANeS label
    has no rule and is assigned by the DANeS model, LOA_TOPICS=danes.)"""
    rows = list(Topic.objects.filter(enabled=True).order_by("sort_order", "pk").values_list("id", "key", "rule"))
    path = Path(settings.LOA_THEMES_PATH)
    stamp = path.stat().st_mtime_ns if path.is_file() else None
    version = (tuple(rows), str(path), stamp)
    with _lock:
        if _themes.version != version:
            learned = _learned_themes(path) if stamp is not None else None
            specs = [ThemeSpec(key=key, rule=rule) for _pk, key, rule in rows]
            _themes.value, _themes.version = ({key: pk for pk, key, _rule in rows}, Tagger(specs, learned)), version
        return _themes.value  # type: ignore[return-value]
