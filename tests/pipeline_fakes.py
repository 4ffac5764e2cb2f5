"""Stand-ins for the member-aware matcher specs and `loa.pipeline.salience.judge` of issue 17,
installed only while the pipeline does not have them yet (tests/conftest.py): they follow the
agreed API so the Django side can be tested before the two branches meet. The real ones
replace them as soon as they exist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from loa.pipeline.mentions import EntitySpec, Mention
from loa.pipeline.salience import Judgement
from loa.text.tokens import sentences


@dataclass(frozen=True)
class MemberSpec:
    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemberAwareSpec(EntitySpec):
    tickers: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    # Any: once the real EntitySpec has `members`, its own MemberSpec type stands.
    members: tuple[Any, ...] = ()


def judge(
    mentions: Sequence[Mention],
    *,
    title: str,
    lead: str,
    body: str,
    tones: Callable[[Sequence[str]], list[tuple[str, float]]],
) -> dict[str, Judgement]:
    """Main when named in the title or lead, secondary when named twice or more in the body,
    passing otherwise; the tone read from the sentences naming the organisation."""
    keys = list(dict.fromkeys(m.key for m in mentions))
    texts = []
    for key in keys:
        own = [m for m in mentions if m.key == key]
        found = []
        for mention in own:
            text = {"title": title, "lead": lead, "body": body}[mention.field]
            sentence = next((s.text for s in sentences(text) if s.start <= mention.start < s.end + 1), text)
            if sentence not in found:
                found.append(sentence)
        texts.append(" ".join(found))
    read = tones(texts)
    out = {}
    for key, (tone, score) in zip(keys, read, strict=True):
        own = [m for m in mentions if m.key == key]
        if any(m.field in ("title", "lead") for m in own):
            salience = "main"
        elif len(own) >= 2:
            salience = "secondary"
        else:
            salience = "passing"
        out[key] = Judgement(key=key, salience=salience, tone=tone, score=score)
    return out
