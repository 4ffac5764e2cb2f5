"""Bytes of unknown encoding become text: UTF-8, Windows-1258, and legacy bytes repaired later."""

from __future__ import annotations

import unicodedata

from loa.text import normalize
from loa.text.encoding import decode, sniff_html_charset

TEXT = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Đảng ủy Khối."
TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed base letter, then a combining tone mark."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def test_utf8_and_boms() -> None:
    assert decode(TEXT.encode("utf-8")).text == TEXT
    assert decode(TEXT.encode("utf-8-sig")).text == TEXT
    assert decode(TEXT.encode("utf-16")).text == TEXT


def test_windows_1258_is_recognised_without_a_declaration() -> None:
    decoded = decode(windows_1258(TEXT))
    assert decoded.encoding == "cp1258"
    assert normalize(decoded.text) == TEXT


def test_tcvn3_bytes_arrive_as_latin_text_that_normalize_repairs() -> None:
    tcvn3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. §¶ng ñy Khèi."
    decoded = decode(tcvn3.encode("cp1252"), declared="x-viet-tcvn")
    assert normalize(decoded.text) == TEXT


def test_a_wrong_declaration_loses_to_the_bytes() -> None:
    decoded = decode(windows_1258(TEXT), declared="iso-8859-1")
    assert normalize(decoded.text) == TEXT


def test_mostly_utf8_with_a_broken_byte_stays_utf8() -> None:
    data = (TEXT * 20).encode("utf-8") + b"\xff"
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.replaced


def test_sniff_html_charset() -> None:
    assert sniff_html_charset(b'<html><head><meta charset="windows-1258">') == "windows-1258"
    assert sniff_html_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">') == "utf-8"
    assert sniff_html_charset(b"<html>") is None
