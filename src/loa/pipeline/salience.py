"""How much an article is about each organisation it names, and its tone toward each.

`main`: the article is about the organisation (or a member company); `secondary`: a
substantive part of it; `passing`: named in passing (a ticker in a market list, one line among
many). Alert rules, the press review and report counts take main and secondary by default.
"""

from __future__ import annotations

from dataclasses import dataclass

SALIENCES = ("main", "secondary", "passing")
RELEVANT = ("main", "secondary")


@dataclass(frozen=True)
class Judgement:
    key: str
    salience: str  # one of SALIENCES
    tone: str  # one of loa.pipeline.tones.TONE_NAMES, toward the organisation
    score: float  # polarity toward the organisation, in [-1, 1]
