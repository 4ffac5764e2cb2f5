"""fold: diacritic- and case-insensitive keys that line up with normalised text."""

from __future__ import annotations

import unicodedata

from loa.text import fold, normalize
from loa.text.folding import fold_chars


def test_folding_examples() -> None:
    assert fold("Đảng ủy") == "dang uy"
    assert fold("dang uy") == "dang uy"
    assert fold("ĐẢNG ỦY KHỐI") == "dang uy khoi"
    assert fold("Nguyễn Thị Ánh") == "nguyen thi anh"
    assert fold("hoà") == fold("hòa") == "hoa"


def test_fold_has_the_length_of_normalized_text() -> None:
    text = unicodedata.normalize("NFD", "  Việt  Nam\u200b đổi mới ")
    assert len(fold(text)) == len(normalize(text))


def test_fold_chars_is_one_to_one_even_for_odd_capitals() -> None:
    text = "İstanbul Đà Nẵng ß"
    assert len(fold_chars(text)) == len(text)
    assert fold_chars("Đà Nẵng") == "da nang"
