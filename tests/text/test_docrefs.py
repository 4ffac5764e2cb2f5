"""Document references: every reference in the seeds, both notations, and their parts."""

from __future__ import annotations

import datetime as dt

import pytest

from loa.text import find_references, parse_symbol


def symbols(text: str) -> list[str]:
    return [ref.symbol for ref in find_references(text)]


def test_every_reference_in_the_conclusion_is_found(seed_000: str) -> None:
    found = set(symbols(seed_000))
    assert found == {"60-KL/ĐUK", "04-CT/ĐUK", "07-CT/TW", "01-KL/TW", "05-CT/TW"}
    refs = find_references(seed_000)
    dated = {ref.symbol: ref for ref in refs if ref.date}
    assert dated["04-CT/ĐUK"].date == dt.date(2016, 9, 22)
    assert dated["04-CT/ĐUK"].issuer_name == "Ban Thường vụ Đảng ủy Khối"
    assert dated["07-CT/TW"].date == dt.date(2016, 9, 5)
    assert dated["07-CT/TW"].issuer_name == "Ban Bí thư"
    assert dated["01-KL/TW"].date == dt.date(2021, 5, 18)
    assert dated["01-KL/TW"].issuer_name == "Bộ Chính trị"
    conclusion = next(ref for ref in refs if ref.symbol == "60-KL/ĐUK")
    assert conclusion.type == "Kết luận"
    assert conclusion.number == "60"
    assert conclusion.issuer == "ĐUK"
    assert seed_000[conclusion.start : conclusion.end] == "Kết luận số 60-KL/ĐUK"


def test_every_reference_in_the_review_is_found(seed_003: str) -> None:
    refs = find_references(seed_003)
    found = {ref.symbol: ref for ref in refs}
    assert set(found) == {"05-CT/TW", "45-CT/TW", "101-QĐ/TW", "55-QĐ/TW", "08-QĐi/TW", "35-NQ/TW"}
    assert found["08-QĐi/TW"].type == "Quy định"
    assert found["101-QĐ/TW"].type == "Quy định"  # written "Quy định" although QĐ
    assert found["35-NQ/TW"].type == "Nghị quyết"
    assert found["45-CT/TW"].type == "Chỉ thị"
    assert found["35-NQ/TW"].issuer_name == "Bộ Chính trị"
    assert found["08-QĐi/TW"].issuer_name == "Ban Chấp hành Trung ương"
    for ref in refs:
        assert seed_003[ref.start : ref.end].endswith(ref.symbol)


@pytest.mark.parametrize(
    ("written", "symbol", "number", "type_code", "issuer", "notation", "year"),
    [
        ("60-KL/ĐUK", "60-KL/ĐUK", "60", "KL", "ĐUK", "party", None),
        ("08-QĐi/TW", "08-QĐi/TW", "08", "QĐi", "TW", "party", None),
        ("04 - CT/ĐUK", "04-CT/ĐUK", "04", "CT", "ĐUK", "party", None),
        ("04 – CT / ĐUK", "04-CT/ĐUK", "04", "CT", "ĐUK", "party", None),
        ("01-HD/BTCTW-UBKTTW", "01-HD/BTCTW-UBKTTW", "01", "HD", "BTCTW-UBKTTW", "party", None),
        ("12-BC/BTG", "12-BC/BTG", "12", "BC", "BTG", "party", None),
        ("30/2020/NĐ-CP", "30/2020/NĐ-CP", "30", "NĐ", "CP", "state", 2020),
        ("135/QĐ-TTg", "135/QĐ-TTg", "135", "QĐ", "TTg", "state", None),
        ("1273/BTTTT-TTCS", "1273/BTTTT-TTCS", "1273", None, "BTTTT-TTCS", "state", None),
        ("91/2025/QH15", "91/2025/QH15", "91", None, "QH15", "state", 2025),
    ],
)
def test_parse_symbol(
    written: str,
    symbol: str,
    number: str,
    type_code: str | None,
    issuer: str,
    notation: str,
    year: int | None,
) -> None:
    parsed = parse_symbol(written)
    assert parsed is not None
    assert parsed.text == symbol
    assert (parsed.number, parsed.type_code, parsed.issuer, parsed.notation, parsed.year) == (
        number,
        type_code,
        issuer,
        notation,
        year,
    )


@pytest.mark.parametrize("text", ["2-1", "1/2/2021", "30/40", "COVID-19", "A4/B5", "10-20%", "3-0/TW"])
def test_things_that_are_not_symbols(text: str) -> None:
    assert parse_symbol(text) is None
    assert find_references(f"Tỷ số {text} trong bài.") == []


def test_state_references_with_type_issuer_and_date() -> None:
    text = (
        "Thực hiện Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ và Quyết định "
        "135/QĐ-TTg của Thủ tướng Chính phủ; Công văn số 1273/BTTTT-TTCS ngày 5/4/2024 của "
        "Bộ Thông tin và Truyền thông về việc hướng dẫn."
    )
    refs = find_references(text)
    assert [(r.symbol, r.type, r.date, r.issuer_name) for r in refs] == [
        ("13/2023/NĐ-CP", "Nghị định", dt.date(2023, 4, 17), "Chính phủ"),
        ("135/QĐ-TTg", "Quyết định", None, "Thủ tướng Chính phủ"),
        ("1273/BTTTT-TTCS", "Công văn", dt.date(2024, 4, 5), "Bộ Thông tin và Truyền thông"),
    ]


def test_written_date_forms() -> None:
    refs = find_references("Quy định số 08-QĐi/TW ngày 25/10/2018; Chỉ thị 05-CT/TW ngày 15 tháng 5 năm 2016")
    assert [r.date for r in refs] == [dt.date(2018, 10, 25), dt.date(2016, 5, 15)]


def test_type_from_the_abbreviation_when_no_name_is_written() -> None:
    ref = find_references("theo 35-NQ/TW đã nêu")[0]
    assert ref.type == "Nghị quyết"
    assert ref.start == 5


def test_offsets_refer_to_the_text_as_given() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Theo\u00a0Chỉ thị\u200b số 04 - CT/ĐUK, ngày 22/9/2016")
    ref = find_references(text)[0]
    assert ref.symbol == "04-CT/ĐUK"
    assert ref.date == dt.date(2016, 9, 22)
    assert text[ref.start : ref.end].endswith("04 - CT/ĐUK")
    assert unicodedata.normalize("NFC", text[ref.start : ref.end]).startswith("Chỉ thị")
