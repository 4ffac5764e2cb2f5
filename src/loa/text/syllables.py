"""Vietnamese syllables: parsing, validity and canonical tone placement.

Written here rather than taken from a library because it is the core of matching: the
same word typed "hoà"/"hòa" or "uỷ"/"ủy" must become one form before anything compares
it, and the check must be fast enough to run on every word Loa ingests. Loa writes the
tone the way party documents and most Vietnamese newspapers do ("hòa", "thủy", "ủy"):
on the marked vowel (ă â ê ô ơ ư) if there is one, else on the last vowel before a final
consonant, else on the middle of three vowels or the first of two.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from loa.text.chars import MARKED_VOWELS, PLAIN_VOWELS, TONES

ONSETS = (
    "ngh",
    "ng",
    "gh",
    "gi",
    "kh",
    "nh",
    "ph",
    "qu",
    "th",
    "tr",
    "ch",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
    "",
)
CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")

_RHYME_GROUPS = """
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e eo ec em en eng ep et
ê êu êch êm ên ênh êp êt
i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
o oi oc om on ong op ot oong ooc
oa oai oao oay oac oach oam oan oang oanh oap oat
oăc oăm oăn oăng oăt
oe oeo oen oet
ô ôi ôc ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua ui uc um un ung up ut
uân uâng uât uây
uê uêch uênh
uy uya uych uyên uyêt uynh uyt uyu
uôc uôi uôm uôn uông uôt
uơ
ư ưa ưi ưu ưc ưng ưm ưn ưt
ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêt yêu
"""
RHYMES = frozenset(_RHYME_GROUPS.split())


@dataclass(frozen=True)
class Syllable:
    onset: str
    vowels: str
    coda: str
    tone: str  # a combining tone mark, or "" for the level tone


def split_tone(word: str) -> tuple[str, list[str]]:
    """The word without tone marks (NFC) and the tone marks it carried."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONES]
    if not tones:
        return unicodedata.normalize("NFC", decomposed), tones
    bare = "".join(c for c in decomposed if c not in TONES)
    return unicodedata.normalize("NFC", bare), tones


def _split_rhyme(rhyme: str) -> tuple[str, str] | None:
    for coda in CODAS:
        if rhyme.endswith(coda) and len(rhyme) > len(coda):
            vowels = rhyme[: -len(coda)]
            if all(v in PLAIN_VOWELS for v in vowels):
                return vowels, coda
    if all(v in PLAIN_VOWELS for v in rhyme):
        return rhyme, ""
    return None


@lru_cache(maxsize=65536)
def parse(word: str) -> Syllable | None:
    """Parse one lowercase syllable; None when it is not a Vietnamese syllable."""
    bare, tones = split_tone(word)
    if len(tones) > 1 or not bare:
        return None
    for onset in ONSETS:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset) :]
        if rhyme not in RHYMES:
            continue
        if onset == "qu" and rhyme.startswith("u"):
            continue
        parts = _split_rhyme(rhyme)
        if parts is None:
            continue
        return Syllable(onset=onset, vowels=parts[0], coda=parts[1], tone=tones[0] if tones else "")
    return None


def is_valid(word: str) -> bool:
    return parse(word.lower()) is not None


def tone_index(vowels: str, coda: str) -> int:
    """Which vowel letter carries the tone, in Loa's canonical (traditional) placement."""
    marked = [i for i, v in enumerate(vowels) if v in MARKED_VOWELS]
    if marked:
        return marked[-1]
    if coda:
        return len(vowels) - 1
    if len(vowels) == 3:
        return 1
    return 0


def _with_tone(vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", vowel) + tone)


@lru_cache(maxsize=65536)
def canonical(word: str) -> str:
    """The word with its tone on the canonical vowel; words that are not syllables unchanged."""
    lower = word.lower()
    syllable = parse(lower)
    if syllable is None or not syllable.tone:
        return word
    index = tone_index(syllable.vowels, syllable.coda)
    vowels = "".join(_with_tone(v, syllable.tone) if i == index else v for i, v in enumerate(syllable.vowels))
    placed = syllable.onset + vowels + syllable.coda
    if placed == lower:
        return word
    if len(placed) != len(word):
        return word
    return "".join(p.upper() if o.isupper() else p for p, o in zip(placed, word, strict=True))
