"""Why an alert was raised, in words: the explanation stored with an alert (what the services
found: articles, stories, outlets, terms, tone against the usual) rendered for its page and its
messages.

Plain functions over the stored JSON, so the text follows the language it is shown in and an
explanation stored by an older version still renders. Numbers are written the Vietnamese way
(decimal comma), as everything Loa shows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from loa.pipeline.stories import STOPWORDS
from loa.text.folding import fold_chars

# How many stories, outlets and terms an explanation names.
NAMED = 5

_WORD = re.compile(r"[^\W\d_]+|\d+")


def decimal(value: float, places: int = 1) -> str:
    """2.1 → "2,1": the decimal comma of Vietnamese."""
    return f"{value:.{places}f}".replace(".", ",")


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def title_terms(titles: Iterable[str], *, limit: int = NAMED) -> list[str]:
    """The phrases of two words (else single words) most titles behind an alert share, as
    written ("giá điện"), most shared first; only those in two titles or more."""
    pairs: Counter[str] = Counter()
    words: Counter[str] = Counter()
    written: dict[str, str] = {}  # also the order first seen, which breaks ties
    distinct: dict[str, str] = {}
    for title in titles:
        # Copies of one headline (syndication) share every phrase: count a headline once.
        distinct.setdefault(" ".join(fold_chars(title.lower()).split()), title)
    for title in distinct.values():
        tokens = [t for t in _WORD.findall(title.lower()) if not t.isdigit()]
        folded = [fold_chars(t) for t in tokens]
        usable = [key not in STOPWORDS and len(key) >= 2 for key in folded]
        seen: set[str] = set()
        for index, (token, key) in enumerate(zip(tokens, folded, strict=True)):
            if not usable[index]:
                continue
            written.setdefault(key, token)
            if key not in seen:
                words[key] += 1
                seen.add(key)
            if index + 1 < len(tokens) and usable[index + 1]:
                pair = f"{key} {folded[index + 1]}"
                written.setdefault(pair, f"{token} {tokens[index + 1]}")
                if pair not in seen:
                    pairs[pair] += 1
                    seen.add(pair)
    order = {key: n for n, key in enumerate(written)}

    # Shared by two headlines or more; a single headline (copied by every outlet) is all there is.
    least = 2 if len(distinct) > 1 else 1

    def ranked(counts: Counter[str]) -> list[str]:
        return sorted((k for k, n in counts.items() if n >= least), key=lambda k: (-counts[k], order[k]))

    # Syllable pairs overlap ("thủ tướng", "tướng yêu", "yêu cầu"): a pair sharing a syllable
    # with one already chosen is the seam between two words, not a phrase.
    chosen: list[str] = []
    covered: set[str] = set()
    for pair in ranked(pairs):
        if len(chosen) == limit:
            break
        if covered.isdisjoint(pair.split()):
            chosen.append(pair)
            covered.update(pair.split())
    chosen += [w for w in ranked(words) if w not in covered][: max(0, limit - len(chosen))]
    return [written[key] for key in chosen]


def _named(items: Sequence[Mapping[str, Any]], total: int) -> str:
    listed = ", ".join(f"{item['name']} ({item['articles']})" for item in items[:NAMED])
    more = total - min(len(items), NAMED)
    return listed + (_(", and %(count)s more") % {"count": more} if more > 0 else "")


def _window(hours: int) -> str:
    if hours == 24:
        return _("1 day")
    return _("%(hours)s hours") % {"hours": hours} if hours != 1 else _("1 hour")


def explanation_text(explanation: Mapping[str, Any]) -> str:
    """One line, clauses separated by semicolons:
    "12 bài trong 1 giờ so với trung bình 2,1; 3 câu chuyện: …; 5 báo: …; từ khóa: …;
    tỷ lệ tiêu cực 67% so với 18% thường lệ"."""
    if not explanation:
        return ""
    parts: list[str] = []
    count = int(explanation.get("count", 0))
    hours = int(explanation.get("hours", 0))
    mean = explanation.get("mean")
    if explanation.get("kind") == "article":
        for entity in explanation.get("organisations", []):
            parts.append(
                _("%(organisation)s: %(salience)s, tone toward it %(tone)s")
                % {
                    "organisation": entity["name"],
                    "salience": entity["salience_label"],
                    "tone": entity["tone_label"],
                }
            )
        return "; ".join(parts)
    if isinstance(mean, int | float):
        parts.append(
            _("%(count)s articles in %(window)s against a mean of %(mean)s")
            % {"count": count, "window": _window(hours), "mean": decimal(float(mean))}
        )
    else:
        parts.append(_("%(count)s articles in %(window)s") % {"count": count, "window": _window(hours)})
    organisations = explanation.get("organisations") or []
    if organisations:
        parts.append(_("about: %(list)s") % {"list": _named(organisations, len(organisations))})
    stories = explanation.get("stories") or []
    if stories:
        total = int(explanation.get("story_count", len(stories)))
        named = [{"name": f"«{s['title']}»", "articles": s["articles"]} for s in stories]
        parts.append(_("%(count)s stories: %(list)s") % {"count": total, "list": _named(named, total)})
    outlets = explanation.get("outlets") or []
    if outlets:
        total = int(explanation.get("outlet_count", len(outlets)))
        parts.append(_("%(count)s outlets: %(list)s") % {"count": total, "list": _named(outlets, total)})
    terms = explanation.get("terms") or []
    if terms:
        parts.append(_("terms: %(list)s") % {"list": ", ".join(terms)})
    share = explanation.get("negative_share")
    usual = explanation.get("usual_negative_share")
    if isinstance(share, int | float):
        if isinstance(usual, int | float):
            parts.append(
                _("negative share %(share)s against %(usual)s usually")
                % {"share": percent(float(share)), "usual": percent(float(usual))}
            )
        else:
            parts.append(_("negative share %(share)s") % {"share": percent(float(share))})
    return "; ".join(parts)
