"""Decode bytes of unknown or wrongly declared encoding into text, Vietnamese first.

The candidates are the encodings Vietnamese pages and files actually use: UTF-8,
Windows-1258, and Windows-1252/Latin-1 (under which TCVN3 and VNI text arrives and is
then repaired by `normalize`). A declared charset is trusted when it decodes cleanly
and reads as well as the alternatives.

The text comes out repaired of the damage that belongs to encodings: mojibake (UTF-8
read as Windows-1252, even twice) and the legacy font encodings. That must happen here,
on the characters as decoded, and not later: HTML extraction drops what it deems
unprintable, and that is TCVN3's "ư" (the soft hyphen U+00AD) and the C1 controls a
broken "Đ" or "ờ" is made of. Pages and `loa text` both read bytes through `decode`.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, replace

from loa.text import legacy, mojibake
from loa.text.legacy import syllable_score
from loa.text.normalization import normalize

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# Valid UTF-8 letters per broken sequence above which bytes are UTF-8 with damage (a cut
# download, a stray Windows-1252 quote): single-byte Vietnamese text decoded as UTF-8 has
# next to none, because its accented bytes are not followed by continuation bytes.
_UTF8_EVIDENCE = 10
# Names Vietnamese sites declare that Python does not know, or knows by another name.
_ALIASES = {
    "windows-1258": "cp1258",
    "x-viet-tcvn": "latin-1",
    "tcvn": "latin-1",
    "tcvn3": "latin-1",
    "vni": "latin-1",
    "x-viet-vni": "latin-1",
    "unicode": "utf-8",
    "utf8": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None
    replaced: bool  # True when undecodable bytes were replaced with U+FFFD


def sniff_html_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a <meta> tag within its first 4 KB, or
    in the XML declaration of an XHTML page."""
    match = _META.search(data[:4096]) or _XML_DECLARATION.match(data[:512])
    return match.group(1).decode("ascii").lower() if match else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _score(text: str) -> float:
    valid, total = syllable_score(normalize(text[:20000]))
    return valid / total if total else 0.0


def decode(data: bytes, declared: str | None = None) -> Decoded:
    decoded = _decode(data, declared)
    return replace(decoded, text=repair(decoded.text))


def repair(text: str) -> str:
    """Mojibake, then legacy encodings, in the order `normalize` applies them; an HTML page
    is judged on its text, not its markup."""
    text = mojibake.repair(text)
    return legacy.repair_markup(text) if legacy.looks_like_markup(text) else legacy.repair(text)


def _decode(data: bytes, declared: str | None) -> Decoded:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(name, errors="replace"), name, declared, b"\xef\xbf\xbd" in data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", declared, replaced=False)
    except UnicodeDecodeError:
        pass
    utf8_text = data.decode("utf-8", errors="replace")
    broken = utf8_text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    letters = len(utf8_text) - len(utf8_text.encode("ascii", errors="ignore")) - broken
    # The syllable score cannot tell: Windows-1252 text of UTF-8 bytes is mojibake that
    # `normalize` repairs into the same words, so a few broken letters lose to it.
    if letters >= _UTF8_EVIDENCE * broken:
        return Decoded(utf8_text, "utf-8", declared, replaced=True)
    candidates: dict[str, str] = {}
    codec = _codec(declared)
    if codec and codec != "utf-8":
        with contextlib.suppress(UnicodeDecodeError):
            candidates[codec] = data.decode(codec)
    # Windows-1252 before 1258 so that ties go to it: TCVN3 and VNI bytes need exactly
    # its characters for `normalize` to repair them; genuine 1258 text wins on score.
    for name in ("cp1252", "cp1258", "latin-1"):
        if name not in candidates:
            try:
                candidates[name] = data.decode(name)
            except UnicodeDecodeError:
                continue
    # The declared codec wins ties: it is listed first and max() keeps the first best.
    best = max(candidates, key=lambda name: _score(candidates[name]))
    # Mostly UTF-8 with a few broken bytes (a truncated page) reads better as UTF-8.
    if utf8_text.count("\ufffd") * 200 < len(utf8_text) and _score(utf8_text) >= _score(candidates[best]):
        return Decoded(utf8_text, "utf-8", declared, replaced=True)
    return Decoded(candidates[best], best, declared, replaced=False)
