"""Hostile DOCX files, made by the tests: a real python-docx document whose main part is
replaced by whatever the attack needs (streamed, so a bomb never sits whole in the test's memory)."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable, Iterator

from docx import Document

NAMESPACE = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
OPEN = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + NAMESPACE + b"><w:body>"
CLOSE = b"</w:body></w:document>"
MB = 1024 * 1024


def _base() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def docx_with(
    chunks: Iterable[bytes], *, compression: int = zipfile.ZIP_DEFLATED, level: int = 1, extra: int = 0
) -> bytes:
    """A DOCX whose word/document.xml is the chunks, the other parts as python-docx writes them
    (plus `extra` tiny parts)."""
    base = zipfile.ZipFile(io.BytesIO(_base()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression, compresslevel=level) as archive:
        for entry in base.infolist():
            if entry.filename == "word/document.xml":
                with archive.open(entry.filename, "w", force_zip64=True) as part:
                    for chunk in chunks:
                        part.write(chunk)
            else:
                archive.writestr(entry.filename, base.read(entry))
        for index in range(extra):
            archive.writestr(f"loa-extra/item{index}.xml", b"<a/>")
    return out.getvalue()


def paragraphs(count: int, text: bytes = b"x") -> Iterator[bytes]:
    yield OPEN
    block = b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"
    for _ in range(count // 1000):
        yield block * 1000
    yield block * (count % 1000)
    yield CLOSE


def zip_bomb(megabytes: int) -> Iterator[bytes]:
    """One paragraph of `megabytes` MB of the same letter: deflate packs it about 1,000 times."""
    yield OPEN + b"<w:p><w:r><w:t>"
    chunk = b"a" * MB
    for _ in range(megabytes):
        yield chunk
    yield b"</w:t></w:r></w:p>" + CLOSE


def text_node(megabytes: int) -> Iterator[bytes]:
    """One text node of random a/b letters: a bit of entropy a byte, so it packs only about
    seven times and passes any ratio check."""
    table = bytes(ord("a") + (value & 1) for value in range(256))
    yield OPEN + b"<w:p><w:r><w:t>"
    for _ in range(megabytes):
        yield os.urandom(MB).translate(table)
    yield b"</w:t></w:r></w:p>" + CLOSE


def deep(levels: int) -> Iterator[bytes]:
    yield OPEN + b"<w:p>" * levels + b"</w:p>" * levels + CLOSE


def billion_laughs() -> Iterator[bytes]:
    entities = [b'<!ENTITY l0 "ha">'] + [
        b'<!ENTITY l%d "%s">' % (level, b"&l%d;" % (level - 1) * 10) for level in range(1, 10)
    ]
    yield (
        b'<?xml version="1.0"?><!DOCTYPE w:document ['
        + b"".join(entities)
        + b"]><w:document "
        + NAMESPACE
        + b"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>"
        + CLOSE
    )


def invalid() -> Iterator[bytes]:
    yield OPEN + b"<w:p><w:r><w:t>unclosed</w:r></w:p>" + CLOSE
