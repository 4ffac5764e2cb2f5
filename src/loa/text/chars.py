"""Vietnamese letters: tone marks, vowel modifiers and the per-character fold table."""

from __future__ import annotations

import unicodedata

# Combining tone marks, in NFD.
GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONES = frozenset({GRAVE, ACUTE, TILDE, HOOK, DOT})
# Marks that make a different vowel letter (â ê ô, ă, ơ ư), not a tone.
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
MODIFIERS = frozenset({CIRCUMFLEX, BREVE, HORN})

PLAIN_VOWELS = frozenset("aăâeêioôơuưy")
MARKED_VOWELS = frozenset("ăâêôơư")

# Characters that are neither letters nor spaces but show up inside web text: zero-width
# joiners and spaces, the BOM, direction marks, word joiners.
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f")
# The soft hyphen is invisible too, but it is the letter ư in TCVN3 and part of "í" in
# mojibake, so it is removed only after those repairs.
SOFT_HYPHEN = "\u00ad"
# Spaces that should read as a plain space.
ODD_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\x0b\x0c"
)

# Icelandic eth is a frequent stand-in for the Vietnamese D with stroke in badly typed text.
LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111"}


def strip_marks(char: str) -> str:
    """The base letter of one character, without any combining mark (đ → d as well)."""
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else char


def fold_char(char: str) -> str:
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = char
    if unicodedata.combining(lowered):
        return lowered
    return strip_marks(lowered)


# Folding is one character to one character, so spans found in folded text are spans of
# the normalised text too. Precomputed for the Latin ranges Vietnamese uses.
FOLD_TABLE: dict[int, str] = {}
for _code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
    _char = chr(_code)
    _folded = fold_char(_char)
    if _folded != _char:
        FOLD_TABLE[_code] = _folded
