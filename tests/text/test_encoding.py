"""Bytes of unknown encoding become text: UTF-8, Windows-1258, and legacy bytes repaired later."""

from __future__ import annotations

import unicodedata

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

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


TCVN3_TEXT = "Céng hßa x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. S¶n l\xadîng ®iÖn t¨ng."
UNICODE_TEXT = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Sản lượng điện tăng."


def test_legacy_text_is_repaired_as_it_is_decoded() -> None:
    # Before anything downstream (HTML extraction drops soft hyphens) sees "\xad".
    assert decode(TCVN3_TEXT.encode("cp1252")).text == UNICODE_TEXT


def test_a_legacy_page_is_judged_on_its_text_and_converted_in_text_and_attributes() -> None:
    script = "<script>var s = '\u00b7\u00a9 aù';</script><style>p:after{content:'\u00bb'}</style>"
    html = (
        f'<html><head><meta name="description" content="{TCVN3_TEXT}">{script}</head>'
        f"<body><h1>S¶n l\xadîng</h1><p>{TCVN3_TEXT}</p></body></html>"
    )
    text = decode(html.encode("cp1252")).text
    assert f'content="{UNICODE_TEXT}"' in text
    assert f"<h1>Sản lượng</h1><p>{UNICODE_TEXT}</p>" in text
    assert script in text  # code is not text


def test_a_unicode_page_quoting_a_tcvn3_passage_has_only_that_converted() -> None:
    html = f"<html><body><p>{TEXT} \u00a9 Báo · Hà Nội</p><blockquote>{TCVN3_TEXT}</blockquote></body></html>"
    text = decode(html.encode("utf-8")).text
    assert text == html.replace(TCVN3_TEXT, UNICODE_TEXT)


def test_viqr_marks_in_markup_are_left_alone() -> None:
    viqr = "Co^.ng ho`a xa~ ho^.i chu? nghi~a Vie^.t Nam, ddo^.c la^.p tu+. do"
    html = f"<html><body><p class='a' title='e'>{viqr}</p></body></html>"
    text = decode(html.encode("ascii")).text
    assert text.startswith("<html><body><p class='a' title='e'>Cộng hòa xã hội chủ nghĩa Việt Nam, độc lập tự do")


def test_mostly_utf8_with_broken_runs_stays_utf8_and_replaces_only_them() -> None:
    data = (TEXT * 5).encode("utf-8").replace(b" ", b" \x93\x94 ", 3)
    decoded = decode(data)
    assert (decoded.encoding, decoded.replaced) == ("utf-8", True)
    assert decoded.text == (TEXT * 5).replace(" ", " \ufffd\ufffd ", 3)


def test_double_encoded_text_is_repaired() -> None:
    double = TEXT.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
    assert decode(double).text == TEXT


def test_sniff_reads_the_xml_declaration() -> None:
    assert sniff_html_charset(b'<?xml version="1.0" encoding="windows-1258"?><html>') == "windows-1258"
