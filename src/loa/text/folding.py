"""`fold`: the key for diacritic- and case-insensitive matching ("Đảng ủy" → "dang uy")."""

from __future__ import annotations

from loa.text.chars import FOLD_TABLE, fold_char
from loa.text.normalization import normalize


def fold_chars(text: str) -> str:
    """Fold character by character, without normalising first: len(result) == len(text).

    Use on text that is already normalised (or `aligned`), so that a span found in the
    folded text is the same span of the text it came from.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters (İ) lower-case into two; fold those one by one to keep length.
        return "".join(fold_char(c) for c in text)
    return lowered.translate(FOLD_TABLE)


def fold(text: str) -> str:
    """Normalise, then fold. Has the length of `normalize(text)`, offset for offset."""
    return fold_chars(normalize(text))
