"""Is this text Vietnamese? A cheap test on syllables, enough to keep foreign pages out.

Vietnamese is written in syllables that follow a strict shape, so the share of words
that are valid Vietnamese syllables separates it well from English and other languages
written in Latin letters, without a language model.
"""

from __future__ import annotations

import re

from loa.text.legacy import syllable_score

_VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưàảãạằẳẵặầẩẫậèẻẽẹềểễệìỉĩịòỏõọồổỗộờởỡợùủũụừửữựỳỷỹỵ]", re.IGNORECASE)


def detect_language(text: str, *, sample: int = 4000) -> str:
    """ "vi", "other", or "und" when there are too few words to tell."""
    head = text[:sample]
    valid, total = syllable_score(head)
    if total < 5:
        return "und"
    letters = len(_VIETNAMESE_LETTERS.findall(head))
    if valid / total >= 0.6 and letters / total >= 0.15:
        return "vi"
    return "other"
