"""Text out of the files staff upload: DOCX (python-docx, tables included, in reading order),
PDF (poppler's pdftotext) and plain text in any encoding (`loa.text.encoding`). Plain Python.

Every failure is an `UnreadableDocument` saying why, with a `code` and `params` a caller can put
in the user's language, so an import can tell the user instead of storing an empty text.

An upload is hostile until read: `text_of_isolated` reads it in a child process with a memory
cap (RLIMIT_AS) and a wall-clock deadline, killing its process group (pdftotext included) when
the deadline passes. Before python-docx sees a DOCX, its zip directory and every XML part are
checked: entry count, unpacked size, compression ratio, DTDs, nesting depth and text node size.
Run as `python -m loa.docformat.read` it is that child: the file on stdin, JSON on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import posixpath
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from loa.text.encoding import decode

MAX_BYTES = 20 * 1024 * 1024
# A directive runs to 2–20 pages (5,000–60,000 characters); the longest party documents with
# appendices stay under 150,000. Past this a text is a mistake or an attack, not a directive.
MAX_CHARS = 300_000

# Limits of a DOCX before python-docx reads it. A DOCX has 10–60 parts, a few hundred with many
# pictures; it unpacks to its own size plus the XML (pictures are compressed already).
MAX_ENTRIES = 1000
MAX_UNPACKED = 100 * 1024 * 1024
# 300,000 characters of Word XML, heavily formatted, is about 15 MB.
MAX_XML_PART = 20 * 1024 * 1024
# Apache POI's ZipSecureFile defaults: an entry larger than the grace size may be compressed at
# most 100 times (Word's XML compresses 5–20 times; a zip bomb 1,000 times).
MAX_RATIO = 100
RATIO_GRACE = 100 * 1024
# Word nests some 20 elements deep, about 5 more per table inside a table; libxml2 stops at 256.
MAX_DEPTH = 200
# One text node is one run of text in Word; no run of a real document is this long.
MAX_TEXT_NODE = 1_000_000

DEFAULT_TIMEOUT = 20.0
DEFAULT_MEMORY_MB = 512
# The reader `text_of_isolated` starts: this module, run by the same interpreter.
CHILD = (sys.executable, "-m", "loa.docformat.read")


class Problem(StrEnum):
    TOO_LARGE = "too_large"
    NOT_DOCX = "not_docx"
    TOO_MANY_ENTRIES = "too_many_entries"
    UNPACKED_TOO_LARGE = "unpacked_too_large"
    PART_TOO_LARGE = "part_too_large"
    RATIO = "ratio"
    BAD_ENTRY = "bad_entry"
    INVALID_XML = "invalid_xml"
    DTD = "dtd"
    TOO_DEEP = "too_deep"
    TEXT_NODE = "text_node"
    TOO_LONG = "too_long"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    OLD_DOC = "old_doc"
    NOT_TEXT = "not_text"
    PDF_TOOL = "pdf_tool"
    PDF_UNREADABLE = "pdf_unreadable"
    PDF_NO_TEXT = "pdf_no_text"
    FAILED = "failed"


class UnreadableDocument(ValueError):
    """Why a file cannot be read: `str()` is the English reason, `code` and `params` let the
    caller say it in the user's language."""

    def __init__(self, reason: str, *, code: Problem = Problem.FAILED, **params: str | int) -> None:
        super().__init__(reason)
        self.code = code
        self.params: dict[str, str | int] = params


@dataclass(frozen=True)
class Limits:
    max_chars: int = MAX_CHARS
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    entries: int = MAX_ENTRIES
    unpacked: int = MAX_UNPACKED
    xml_part: int = MAX_XML_PART
    ratio: int = MAX_RATIO
    depth: int = MAX_DEPTH
    text_node: int = MAX_TEXT_NODE


def text_of(data: bytes, filename: str, *, limits: Limits | None = None) -> str:
    """The text of the file, read in this process (trusted files; uploads go through
    `text_of_isolated`)."""
    limits = limits or Limits()
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", code=Problem.TOO_LARGE, mb=MAX_BYTES // 2**20
        )
    name = filename.lower()
    if name.endswith(".docx") or data.startswith(b"PK\x03\x04"):
        return text_of_docx(data, limits=limits)
    if name.endswith(".pdf") or data.startswith(b"%PDF"):
        return text_of_pdf(data, limits=limits)
    if name.endswith(".doc"):
        raise UnreadableDocument(
            "old Word files (.doc) are not read; save the file as .docx or PDF", code=Problem.OLD_DOC
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument("this is not a text, DOCX or PDF file", code=Problem.NOT_TEXT)
    return _bounded(decode(data).text, limits)


def _bounded(text: str, limits: Limits) -> str:
    if len(text) > limits.max_chars:
        raise _too_long(limits)
    return text


def _too_long(limits: Limits) -> UnreadableDocument:
    return UnreadableDocument(
        f"the text is longer than {limits.max_chars} characters", code=Problem.TOO_LONG, limit=limits.max_chars
    )


# --- DOCX ---------------------------------------------------------------------------------------


def check_docx(data: bytes, limits: Limits | None = None) -> None:
    """Refuses a DOCX whose zip directory or XML parts could exhaust memory or time, before any
    of it is parsed by python-docx."""
    limits = limits or Limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableDocument(f"the DOCX file cannot be opened ({exc})", code=Problem.NOT_DOCX) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.entries:
            raise UnreadableDocument(
                f"the DOCX holds {len(entries)} parts, more than {limits.entries}",
                code=Problem.TOO_MANY_ENTRIES,
                count=len(entries),
                limit=limits.entries,
            )
        names = set()
        for entry in entries:
            _check_entry(entry, limits)
            if entry.filename in names:
                raise UnreadableDocument(
                    f"the DOCX holds “{entry.filename}” twice", code=Problem.BAD_ENTRY, part=entry.filename[:80]
                )
            names.add(entry.filename)
        total = sum(entry.file_size for entry in entries)
        if total > limits.unpacked:
            raise UnreadableDocument(
                f"unpacked, the DOCX would take more than {limits.unpacked // 2**20} MB",
                code=Problem.UNPACKED_TOO_LARGE,
                mb=limits.unpacked // 2**20,
            )
        if "[Content_Types].xml" not in names:
            raise UnreadableDocument("the DOCX file has no [Content_Types].xml", code=Problem.NOT_DOCX)
        for entry in entries:
            if entry.is_dir():
                continue
            if not _looks_like_xml(_read(archive, entry, 64)):
                continue
            if entry.file_size > limits.xml_part:
                raise UnreadableDocument(
                    f"“{entry.filename}” unpacks to more than {limits.xml_part // 2**20} MB",
                    code=Problem.PART_TOO_LARGE,
                    part=entry.filename[:80],
                    mb=limits.xml_part // 2**20,
                )
            part = _read(archive, entry)
            check_xml(part, entry.filename, limits)


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, size: int = -1) -> bytes:
    # zipfile stops at the size the directory declares (a lying entry fails its CRC).
    try:
        with archive.open(entry) as stream:
            return stream.read(size)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableDocument(f"the DOCX file cannot be opened ({exc})", code=Problem.NOT_DOCX) from None


def _check_entry(entry: zipfile.ZipInfo, limits: Limits) -> None:
    name = entry.filename
    odd = (
        name.startswith("/")
        or "\\" in name
        or ".." in name.split("/")
        or posixpath.normpath(name) != name.rstrip("/")
        or "\x00" in name
    )
    if odd or entry.flag_bits & 0x1 or entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnreadableDocument(
            f"the DOCX holds an entry that is encrypted, compressed in an unknown way or misnamed ({name[:80]})",
            code=Problem.BAD_ENTRY,
            part=name[:80],
        )
    if entry.file_size > RATIO_GRACE and entry.file_size > limits.ratio * max(entry.compress_size, 1):
        ratio = entry.file_size // max(entry.compress_size, 1)
        raise UnreadableDocument(
            f"“{name}” is compressed {ratio} times, more than {limits.ratio} (a zip bomb?)",
            code=Problem.RATIO,
            part=name[:80],
            ratio=ratio,
            limit=limits.ratio,
        )


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")


def _looks_like_xml(part: bytes) -> bool:
    """Anything python-docx might parse as XML: whatever is not a picture or other binary."""
    head = part[:64]
    return head.startswith(_BOMS) or b"<" in head.lstrip()[:4]


# A DOCX's XML has no DTD (ECMA-376 Part 2, §8.1.4: "shall not contain a DTD declaration");
# one is how entity amplification ("billion laughs") gets in.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def check_xml(part: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuses XML with a DTD, nesting deeper than the limit or an overlong text node; reads it
    as a stream that keeps no more than the open elements."""
    limits = limits or Limits()
    label = name[:80]
    if any(marker in part for marker in _DTD_MARKERS):
        raise UnreadableDocument(
            f"“{name}” declares a DTD or entities, which Word documents never do", code=Problem.DTD, part=label
        )
    depth = 0
    events = etree.iterparse(
        io.BytesIO(part),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth > limits.depth:
                    raise UnreadableDocument(
                        f"“{name}” nests elements more than {limits.depth} levels deep",
                        code=Problem.TOO_DEEP,
                        part=label,
                        limit=limits.depth,
                    )
                continue
            depth -= 1
            # A text node is whole once its element ends (text) or the next one begins (tail).
            _check_text(element.text, name, limits)
            for child in element:
                _check_text(child.tail, name, limits)
            element.clear(keep_tail=True)
            # Done siblings are dropped, so a million paragraphs cost no more than one.
            while (previous := element.getprevious()) is not None:
                _check_text(previous.tail, name, limits)
                del element.getparent()[0]
        root = events.root
    except etree.XMLSyntaxError as exc:
        raise _xml_problem(exc, name, limits) from None
    if root is not None and root.getroottree().docinfo.doctype:
        raise UnreadableDocument(
            f"“{name}” declares a DTD or entities, which Word documents never do", code=Problem.DTD, part=label
        )


def _check_text(text: str | None, name: str, limits: Limits) -> None:
    if text is not None and len(text) > limits.text_node:
        raise UnreadableDocument(
            f"“{name}” holds a text node longer than {limits.text_node} characters",
            code=Problem.TEXT_NODE,
            part=name[:80],
            limit=limits.text_node,
        )


def _xml_problem(exc: etree.XMLSyntaxError, name: str, limits: Limits) -> UnreadableDocument:
    message = str(exc)
    label = name[:80]
    # libxml2's own limits, should ours ever be looser than them.
    if "depth" in message:
        return UnreadableDocument(
            f"“{name}” nests elements too deep", code=Problem.TOO_DEEP, part=label, limit=limits.depth
        )
    if "Text node too long" in message or "huge text" in message:
        return UnreadableDocument(
            f"“{name}” holds an overlong text node", code=Problem.TEXT_NODE, part=label, limit=limits.text_node
        )
    if "ntit" in message:  # entity, Entity: amplification, undeclared entities
        return UnreadableDocument(
            f"“{name}” uses entities, which Word documents never do", code=Problem.DTD, part=label
        )
    return UnreadableDocument(
        f"“{name}” is not well-formed XML ({message[:200]})", code=Problem.INVALID_XML, part=label, detail=message[:200]
    )


def text_of_docx(data: bytes, *, limits: Limits | None = None) -> str:
    limits = limits or Limits()
    check_docx(data, limits)
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"the DOCX file cannot be opened ({exc})", code=Problem.NOT_DOCX) from None
    except etree.XMLSyntaxError:
        # `check_docx` parsed every part already: the same bytes failing now is libxml2 out of
        # memory under the child's cap ("unknown error"), not the XML.
        raise UnreadableDocument(
            f"reading the file needs more than {limits.memory_mb} MB of memory",
            code=Problem.MEMORY,
            mb=limits.memory_mb,
        ) from None
    lines: list[str] = []
    size = 0

    def add(line: str) -> None:
        nonlocal size
        size += len(line) + 1
        # Stopped while reading: a million empty paragraphs should not be read to the end.
        if size > limits.max_chars + 1:
            raise _too_long(limits)
        lines.append(line)

    body = document.element.body
    # Paragraphs and tables in the order they appear: the party header is a table.
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            add(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        add(paragraph.text)
    return "\n".join(lines)


# --- PDF ----------------------------------------------------------------------------------------


def text_of_pdf(data: bytes, *, limits: Limits | None = None) -> str:
    limits = limits or Limits()
    seconds = limits.timeout
    binary = shutil.which("pdftotext")
    if binary is None:
        raise UnreadableDocument("pdftotext is not installed (Debian package poppler-utils)", code=Problem.PDF_TOOL)
    # UTF-8 takes at most 4 bytes a character; the output is read no further than that.
    cap = limits.max_chars * 4
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as errors:
        source.write(data)
        source.seek(0)
        process = subprocess.Popen(  # noqa: S603 - fixed argv; the document goes in on stdin
            [binary, "-enc", "UTF-8", "-", "-"], stdin=source, stdout=subprocess.PIPE, stderr=errors
        )
        try:
            output, timed_out = _read_until(process, cap, seconds)
            if len(output) > cap or timed_out:
                process.kill()
            try:
                # Output closed; a process that lingers after that gets the same time again at most.
                returncode = process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
                returncode = -1
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if timed_out:
            raise UnreadableDocument(
                f"reading the PDF took longer than {seconds:g} s", code=Problem.TIMEOUT, seconds=f"{seconds:g}"
            )
        if len(output) > cap:
            raise _too_long(limits)
        if returncode != 0:
            errors.seek(0)
            detail = errors.read(4096).decode("utf-8", "replace").strip()[-300:]
            raise UnreadableDocument(f"the PDF cannot be read ({detail})", code=Problem.PDF_UNREADABLE, detail=detail)
    text = _bounded(output.decode("utf-8", "replace"), limits)
    if not text.strip():
        raise UnreadableDocument("the PDF has no text layer (a scan?); type or OCR it first", code=Problem.PDF_NO_TEXT)
    return text


def _read_until(process: subprocess.Popen[bytes], cap: int, seconds: float) -> tuple[bytes, bool]:
    """What `process` writes, up to `cap` + 1 bytes, until it closes its output or `seconds` pass
    (then the flag is true). The deadline is kept by `select` in this thread, not by a timer
    thread: a thread's timed wait is the one wait the shifted-clock test pass cannot shorten."""
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    pieces: list[bytes] = []
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while size <= cap:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"".join(pieces), True
            if not selector.select(left):
                continue
            piece = os.read(process.stdout.fileno(), min(65536, cap + 1 - size))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    return b"".join(pieces), False


# --- in a child process -------------------------------------------------------------------------


def text_of_isolated(data: bytes, filename: str, *, limits: Limits | None = None) -> str:
    """`text_of` in a child process with `limits.memory_mb` of address space, stopped with all
    it started after `limits.timeout` seconds; whatever goes wrong there is an
    `UnreadableDocument`, never a crash of the caller."""
    limits = limits or Limits()
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(
            f"the file is larger than {MAX_BYTES // 2**20} MB", code=Problem.TOO_LARGE, mb=MAX_BYTES // 2**20
        )
    argv = [
        *CHILD,
        f"--max-chars={limits.max_chars}",
        f"--memory-mb={limits.memory_mb}",
        f"--timeout={limits.timeout}",
        f"--name={os.path.basename(filename)[-120:]}",
    ]
    # A session of its own, so the whole group (pdftotext with it) can be killed at once.
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed argv
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        output, errors = process.communicate(data, timeout=limits.timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise UnreadableDocument(
            f"reading the file took longer than {limits.timeout:g} s",
            code=Problem.TIMEOUT,
            seconds=f"{limits.timeout:g}",
        ) from None
    finally:
        if process.poll() is None:
            _kill_group(process)
    return _answer(process.returncode, output, errors, limits)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _answer(returncode: int, output: bytes, errors: bytes, limits: Limits) -> str:
    try:
        answer = json.loads(output)
    except ValueError:
        answer = None
    if isinstance(answer, dict) and isinstance(answer.get("text"), str):
        return _bounded(answer["text"], limits)
    if isinstance(answer, dict) and answer.get("code") in Problem._value2member_map_:
        params = answer["params"] if isinstance(answer.get("params"), dict) else {}
        raise UnreadableDocument(str(answer.get("reason", "")), code=Problem(answer["code"]), **params)
    if returncode in (-signal.SIGKILL, -signal.SIGXCPU, -signal.SIGSEGV, -signal.SIGABRT) or b"MemoryError" in errors:
        raise UnreadableDocument(
            f"reading the file needs more than {limits.memory_mb} MB of memory or time",
            code=Problem.MEMORY,
            mb=limits.memory_mb,
        )
    detail = errors.decode("utf-8", "replace").strip()[-300:]
    raise UnreadableDocument(f"reading the file failed ({detail})", code=Problem.FAILED, detail=detail[-120:])


def _child(stdin: IO[bytes], stdout: IO[bytes], arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m loa.docformat.read", description=__doc__)
    parser.add_argument("--max-chars", type=int, default=MAX_CHARS)
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--name", default="")
    options = parser.parse_args(arguments)
    started = time.monotonic()
    # The caps hold for pdftotext too: limits pass to the processes this one starts.
    memory = options.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(options.timeout) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    data = stdin.read(MAX_BYTES + 1)
    answer: dict[str, object]
    # pdftotext gets what is left of the time, to say why it stopped before the parent kills it.
    remaining = max(options.timeout - (time.monotonic() - started) - 0.5, 0.1)
    limits = Limits(max_chars=options.max_chars, timeout=remaining, memory_mb=options.memory_mb)
    try:
        answer = {"text": text_of(data, options.name, limits=limits)}
    except UnreadableDocument as exc:
        if exc.code == Problem.TIMEOUT:
            # The user set no inner deadline: say the one of the whole reading.
            exc.params["seconds"] = f"{options.timeout:g}"
        answer = {"code": str(exc.code), "reason": str(exc), "params": exc.params}
    except MemoryError:
        answer = {
            "code": str(Problem.MEMORY),
            "reason": f"reading the file needs more than {options.memory_mb} MB of memory",
            "params": {"mb": options.memory_mb},
        }
    stdout.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.stdin.buffer, sys.stdout.buffer, sys.argv[1:]))
