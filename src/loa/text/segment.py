"""Word segmentation behind an adapter: underthesea when words matter, syllables otherwise.

Vietnamese words span several syllables ("công tác", "thông tin"). Segmenting costs a
model call per sentence, so Loa segments only where word boundaries change the result
(training features, keyword extraction); matching and search work on syllables.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol

from loa.text.tokens import syllables


class Segmenter(Protocol):
    def words(self, text: str) -> list[str]: ...


class SyllableSegmenter:
    """Every syllable a word: fast, and what search and matching need."""

    def words(self, text: str) -> list[str]:
        return [span.text for span in syllables(text)]


class UndertheseaSegmenter:
    """underthesea's CRF word segmenter (its model ships inside the package)."""

    def __init__(self) -> None:
        # The model is bundled; never let the library reach for a hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from underthesea import word_tokenize

        self._tokenize = word_tokenize

    def words(self, text: str) -> list[str]:
        if not text.strip():
            return []
        return [word for word in self._tokenize(text) if any(c.isalnum() for c in word)]


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """underthesea when installed, else syllables (the import alone takes half a second)."""
    try:
        return UndertheseaSegmenter()
    except ImportError:
        return SyllableSegmenter()
