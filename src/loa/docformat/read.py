"""Text out of the files staff upload: DOCX (python-docx, tables included, in reading order),
PDF (poppler's pdftotext) and plain text in any encoding (`loa.text.encoding`). Plain Python.

Every failure is an `UnreadableDocument` saying why, so an import can tell the user instead of
storing an empty text.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from loa.text.encoding import decode

MAX_BYTES = 20 * 1024 * 1024
PDF_TIMEOUT = 60


class UnreadableDocument(ValueError):
    pass


def text_of(data: bytes, filename: str) -> str:
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    name = filename.lower()
    if name.endswith(".docx") or data.startswith(b"PK\x03\x04"):
        return text_of_docx(data)
    if name.endswith(".pdf") or data.startswith(b"%PDF"):
        return text_of_pdf(data)
    if name.endswith(".doc"):
        raise UnreadableDocument("old Word files (.doc) are not read; save the file as .docx or PDF")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument("this is not a text, DOCX or PDF file")
    return decode(data).text


def text_of_docx(data: bytes) -> str:
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"the DOCX file cannot be opened ({exc})") from None
    lines: list[str] = []
    body = document.element.body
    # Paragraphs and tables in the order they appear: the party header is a table.
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    lines.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(lines)


def text_of_pdf(data: bytes) -> str:
    binary = shutil.which("pdftotext")
    if binary is None:
        raise UnreadableDocument("pdftotext is not installed (Debian package poppler-utils)")
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv; the document goes in on stdin
            [binary, "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=PDF_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(f"reading the PDF took longer than {PDF_TIMEOUT} s") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
        raise UnreadableDocument(f"the PDF cannot be read ({detail})")
    text = result.stdout.decode("utf-8", "replace")
    if not text.strip():
        raise UnreadableDocument("the PDF has no text layer (a scan?); type or OCR it first")
    return text
