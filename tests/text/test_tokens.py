"""Sentences and syllables as spans; word segmentation through the adapter."""

from __future__ import annotations

from loa.text import sentences, syllables
from loa.text.segment import SyllableSegmenter, UndertheseaSegmenter


def test_sentences_keep_abbreviations_initials_and_quotes() -> None:
    text = (
        'TP. Hồ Chí Minh có mưa. Ông Nguyễn V. A nói: "Tôi đồng ý." Sau đó về! '
        "PGS.TS. Lê B phát biểu… Giá 1.000,5 đồng? ăn tiếp.\nDòng mới"
    )
    assert [s.text for s in sentences(text)] == [
        "TP. Hồ Chí Minh có mưa.",
        'Ông Nguyễn V. A nói: "Tôi đồng ý."',
        "Sau đó về!",
        "PGS.TS. Lê B phát biểu…",
        "Giá 1.000,5 đồng? ăn tiếp.",
        "Dòng mới",
    ]
    for span in sentences(text):
        assert text[span.start : span.end] == span.text


def test_syllables_with_numbers() -> None:
    spans = syllables("Giá tăng 1.000,5 đồng (EVN), năm 2021.")
    assert [s.text for s in spans] == ["Giá", "tăng", "1.000,5", "đồng", "EVN", "năm", "2021"]


def test_seed_sentences(seed_003: str) -> None:
    found = sentences(seed_003)
    assert found[0].text == (
        "Ngày 6/1, tại Hà Nội, Đảng ủy Khối các cơ quan Trung ương tổ chức Hội nghị tổng kết "
        "công tác tuyên giáo năm 2020, triển khai nhiệm vụ năm 2021."
    )
    assert len(found) > 20


def test_word_segmentation_adapters() -> None:
    text = "Ban Thường vụ Đảng ủy Khối kết luận về công tác thông tin"
    words = UndertheseaSegmenter().words(text)
    assert "công tác" in words
    assert "thông tin" in words
    assert SyllableSegmenter().words(text)[:2] == ["Ban", "Thường"]
    assert UndertheseaSegmenter().words("   ") == []
