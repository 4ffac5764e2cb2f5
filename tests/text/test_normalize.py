"""normalize: one canonical form for every way Vietnamese arrives from the web."""

from __future__ import annotations

import unicodedata

import pytest

from loa.text import normalize
from loa.text.syllables import canonical, is_valid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà bình", "hòa bình"),
        ("Uỷ ban", "Ủy ban"),
        ("thuý", "thúy"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("quý", "quý"),
        ("giữa", "giữa"),
        ("người", "người"),
        ("ngoài", "ngoài"),
        ("khuỷu", "khuỷu"),
        ("hoàn thành", "hoàn thành"),
        ("thuở", "thuở"),
        ("tuýt", "tuýt"),
    ],
)
def test_tone_placement_is_canonical(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_decomposed_text_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Đảng ủy Khối Doanh nghiệp Trung ương")
    assert normalize(decomposed) == "Đảng ủy Khối Doanh nghiệp Trung ương"


def test_windows_1258_mark_order_is_repaired() -> None:
    # e + acute + circumflex: NFC alone cannot compose it, the modifier must come first.
    assert normalize("Vi\u0065\u0323\u0302t Nam") == "Việt Nam"
    assert normalize("ti\u0065\u0301\u0302ng") == "tiếng"


def test_invisible_characters_and_odd_spaces() -> None:
    raw = "\ufeffĐảng\u200b ủy\u00a0\u00a0Khối\u2009Doanh\u202fnghiệp\u00ad \t"
    assert normalize(raw) == "Đảng ủy Khối Doanh nghiệp"


def test_entities_are_decoded_even_when_escaped_twice() -> None:
    assert normalize("Ch&#7881; th&#7883; &amp;amp; K&#7871;t lu&#7853;n &quot;60&quot;") == ('Chỉ thị & Kết luận "60"')


def test_paragraphs_survive_and_blank_runs_shrink() -> None:
    assert normalize("  Một  \r\n\r\n\r\n\r\n  Hai \n Ba ") == "Một\n\nHai\nBa"


def test_mojibake_is_repaired_whole_and_word_by_word() -> None:
    text = "Đảng ủy Khối Doanh nghiệp Trung ương “đổi mới” – 100%"
    broken = text.encode("utf-8").decode("sloppy-windows-1252")
    assert normalize(broken) == text
    mixed = "Tin mới: " + "Hà Nội".encode().decode("sloppy-windows-1252")
    assert normalize(mixed) == "Tin mới: Hà Nội"


def test_icelandic_eth_becomes_vietnamese_d() -> None:
    assert normalize("Ðảng ðoàn") == "Đảng đoàn"


def test_plain_ascii_and_english_are_untouched() -> None:
    text = "EVN, PVN and TKV reported Q3 results: revenue +5.2% (see https://evn.com.vn/a?b=1)."
    assert normalize(text) == text


def test_empty() -> None:
    assert normalize("") == ""
    assert normalize(" \u200b\n ") == ""


@pytest.mark.parametrize("word", ["Café", "EVN", "iPhone", "Pháp", "ĐUK", "xoong"])
def test_canonical_leaves_non_syllables_alone(word: str) -> None:
    assert canonical(word) == word or is_valid(word)


def test_seed_documents_are_already_canonical(seed_000: str, seed_003: str) -> None:
    for text in (seed_000, seed_003):
        normalized = normalize(text)
        # Only whitespace may change in text that is already clean Unicode.
        assert normalized.split() == text.split()
