"""Properties that must hold for any text (hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from loa.text import fold, legacy, normalize
from loa.text.folding import fold_chars
from loa.text.mojibake import SIGNATURE

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
LETTERS = VIETNAMESE + VIETNAMESE.upper() + "bcdghklmnpqrstvxfjwz0123456789"
SPACES = " \n\u00a0\u2009\u200b\ufeff\t"
PUNCTUATION = ',.;:!?"“”()-–/%'

# Anything at all, including legacy-looking bytes, entities and combining marks.
anything = st.text(max_size=300)
vietnamish = st.text(
    alphabet=st.sampled_from(
        LETTERS + SPACES + PUNCTUATION + "&;#<>'`^~+\u0300\u0301\u0302\u0303\u0309\u0323\u00ad¸µ©«"
    ),
    max_size=300,
)


def _needs_no_repair(text: str) -> bool:
    # Random capitals can spell mojibake ("Â–" is how a broken U+0096 reads) or VNI
    # ("AÈt AÈt AÈt"); such text is repaired by design. Real text is checked in
    # test_real_articles_lose_no_letters.
    composed = unicodedata.normalize("NFC", text)
    return not SIGNATURE.search(composed) and legacy.detect(composed) is None


# Text in which nothing needs decoding: no entities, legacy encodings or mojibake.
clean = st.text(alphabet=st.sampled_from(LETTERS + SPACES + PUNCTUATION), max_size=300).filter(_needs_no_repair)


@given(st.one_of(anything, vietnamish))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.one_of(anything, vietnamish))
def test_fold_is_stable_under_normalize(text: str) -> None:
    assert fold(normalize(text)) == fold(text)
    assert len(fold(text)) == len(normalize(text))


@given(st.one_of(clean, st.builds(lambda t: unicodedata.normalize("NFD", t), clean)))
@example("Â\u200b–")  # once read as mojibake of a C1 control once the space was gone
def test_no_text_is_lost(text: str) -> None:
    """Every letter and digit survives normalisation, in order (tones may move)."""
    before = [c for c in fold_chars(unicodedata.normalize("NFC", text)) if c.isalnum()]
    after = [c for c in fold(text) if c.isalnum()]
    assert after == before


@given(clean)
def test_normalized_text_has_no_invisible_characters_or_space_runs(text: str) -> None:
    result = normalize(text)
    assert "\u200b" not in result
    assert "\ufeff" not in result
    assert "\u00a0" not in result
    assert "  " not in result
    assert result == result.strip()
    assert unicodedata.is_normalized("NFC", result)


def test_real_articles_lose_no_letters() -> None:
    """On real Vietnamese news, normalisation moves tones and spaces, never letters."""
    import gzip
    import json

    from tests.shared import shared_path

    path = shared_path("data", "news", "baomoi-articles.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if count == 1500:
                break
            article = json.loads(line)
            text = f"{article['title']}\n{article['lead']}\n{article['text']}"
            before = [c for c in fold_chars(unicodedata.normalize("NFC", text)) if c.isalnum()]
            after = [c for c in fold(text) if c.isalnum()]
            assert after == before, article["id"]
