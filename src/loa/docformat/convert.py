"""DOCX → PDF with LibreOffice headless, the converter the issue and our users' offices use.

Each conversion gets its own LibreOffice profile directory: two conversions sharing a profile
make the second `soffice` hand its job to the first instance and exit without a file, and a
profile left behind by a killed conversion must not break the next. A timeout kills the whole
process group, since soffice forks a child that would otherwise linger.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

DEFAULT_TIMEOUT = 120.0


class ConversionError(RuntimeError):
    """The document could not be turned into PDF; the message says why in plain words."""


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _check_docx(docx: bytes) -> None:
    """LibreOffice sniffs content and would happily print any bytes as a text document; a PDF of
    garbage is worse than a clear refusal."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ConversionError(f"the input is not a DOCX file ({exc})") from None
    if "word/document.xml" not in names:
        raise ConversionError("the input is a ZIP archive but not a DOCX file (no word/document.xml)")
    if broken is not None:
        raise ConversionError(f"the DOCX file is damaged ({broken} is corrupt)")


def docx_to_pdf(docx: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    _check_docx(docx)
    binary = soffice_path()
    if binary is None:
        raise ConversionError(
            "LibreOffice (soffice) is not installed; install the Debian package libreoffice-writer-nogui "
            "(scripts/system-deps.sh does)"
        )
    with tempfile.TemporaryDirectory(prefix="loa-pdf-") as work:
        root = Path(work)
        source = root / "document.docx"
        source.write_bytes(docx)
        profile = (root / "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(root),
            str(source),
        ]
        env = {**os.environ, "HOME": work, "LC_ALL": "C.UTF-8"}
        process = subprocess.Popen(  # noqa: S603 - argv built here, the document goes in as a file
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(f"LibreOffice did not finish the conversion within {timeout:.0f} s") from None
        target = root / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
            raise ConversionError(f"LibreOffice could not convert the document (exit {process.returncode}): {detail}")
        pdf = target.read_bytes()
        if not pdf.startswith(b"%PDF"):
            raise ConversionError("LibreOffice wrote a file that is not a PDF")
        return pdf
