"""Reading generated documents back as a person would: the PDF rendered to PNG by pdftoppm and
read by Tesseract (Vietnamese), and the PDF's own text with positions from pdftotext."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import service_missing


def need(*programs: str) -> None:
    for program in programs:
        if shutil.which(program) is None:
            service_missing(f"{program} (scripts/system-deps.sh installs it)")


def pdf_to_png(pdf: Path, *, page: int = 1, dpi: int = 200) -> Path:
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    png = stem.with_suffix(".png")
    assert png.stat().st_size > 0
    return png


def ocr(png: Path, *, crop: tuple[float, float, float, float] | None = None) -> str:
    """Text Tesseract reads on the page, or in the part `crop` gives as fractions (left, top, right, bottom)."""
    from PIL import Image

    source = png
    if crop is not None:
        with Image.open(png) as image:
            width, height = image.size
            left, top, right, bottom = crop
            part = image.crop((int(left * width), int(top * height), int(right * width), int(bottom * height)))
            source = png.with_name(f"{png.stem}-crop.png")
            part.save(source)
    result = subprocess.run(
        ["tesseract", str(source), "-", "-l", "vie", "--psm", "6"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return unicodedata.normalize("NFC", result.stdout)


def read_as(text: str, expected: str, *, ratio: float = 0.9) -> bool:
    """Whether `expected` appears in OCR output `text`, allowing for a misread letter or two."""
    haystack, needle = _squeeze(text), _squeeze(expected)
    if needle in haystack:
        return True
    best = 0.0
    for start in range(0, max(1, len(haystack) - len(needle) + 1)):
        window = haystack[start : start + len(needle)]
        best = max(best, difflib.SequenceMatcher(None, window, needle).ratio())
    return best >= ratio


def _squeeze(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


@dataclass(frozen=True)
class Word:
    text: str
    x: float  # fraction of the page width
    y: float  # fraction of the page height


def pdf_words(pdf: Path, *, page: int = 1) -> list[Word]:
    """The words of a page with their positions, from the PDF's text layer (pdftotext -bbox)."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', result.stdout)
    assert size is not None
    width, height = float(size.group(1)), float(size.group(2))
    words = []
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', result.stdout
    ):
        words.append(
            Word(text=_unescape(match.group(3)), x=float(match.group(1)) / width, y=float(match.group(2)) / height)
        )
    return words


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return unicodedata.normalize("NFC", result.stdout)


def _unescape(value: str) -> str:
    return unicodedata.normalize(
        "NFC", value.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    )
