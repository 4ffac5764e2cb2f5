"""Reading hostile files: the zip directory and XML checks refuse before python-docx parses, the
child process is bounded in memory and time (its whole process group is killed), and pdftotext's
output and time are bounded."""

from __future__ import annotations

import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

import pytest

from loa.docformat import read
from loa.docformat.read import Limits, Problem, UnreadableDocument, check_docx, check_xml, text_of, text_of_isolated
from tests.docformat import hostile


def problem(call: object) -> UnreadableDocument:
    assert callable(call)
    with pytest.raises(UnreadableDocument) as caught:
        call()
    return caught.value


def zip_of(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = ("[Content_Types].xml", b"<Types/>")


def test_the_zip_directory_is_checked_before_anything_is_unpacked() -> None:
    many = hostile.docx_with(hostile.paragraphs(1), extra=1001)
    assert problem(lambda: check_docx(many)).code == Problem.TOO_MANY_ENTRIES
    pictures = zip_of([CONTENT_TYPES, ("word/media/a.bin", os.urandom(2 * 1024 * 1024))])
    assert problem(lambda: check_docx(pictures, Limits(unpacked=1024 * 1024))).code == Problem.UNPACKED_TOO_LARGE
    bomb = hostile.docx_with(hostile.zip_bomb(50))
    found = problem(lambda: check_docx(bomb))
    assert (found.code, found.params["part"]) == (Problem.RATIO, "word/document.xml")
    assert int(found.params["ratio"]) > 100


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/x.xml", "word\\x.xml", "word/./x.xml"])
def test_misnamed_entries_are_refused(name: str) -> None:
    assert problem(lambda: check_docx(zip_of([CONTENT_TYPES, (name, b"<a/>")]))).code == Problem.BAD_ENTRY


def test_encrypted_repeated_and_foreign_zips_are_refused() -> None:
    # zipfile writes no encrypted entry: the flag is set in the central directory afterwards.
    plain = bytearray(zip_of([CONTENT_TYPES, ("word/document.xml", b"<a/>")]))
    record = plain.rindex(b"PK\x01\x02")
    plain[record + 8] |= 0x1
    assert problem(lambda: check_docx(bytes(plain))).code == Problem.BAD_ENTRY
    with pytest.warns(UserWarning, match="Duplicate name"):
        twice = zip_of([CONTENT_TYPES, ("word/document.xml", b"<a/>"), ("word/document.xml", b"<b/>")])
    assert problem(lambda: check_docx(twice)).code == Problem.BAD_ENTRY
    assert problem(lambda: check_docx(zip_of([("a.txt", b"x")]))).code == Problem.NOT_DOCX
    assert problem(lambda: check_docx(b"PK\x03\x04 broken")).code == Problem.NOT_DOCX


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_any_dtd_is_refused_however_small(encoding: str) -> None:
    xml = '<?xml version="1.0"?><!DOCTYPE a []><a>x</a>'.encode(encoding)
    assert problem(lambda: check_xml(xml, "word/document.xml")).code == Problem.DTD
    laughs = b"".join(hostile.billion_laughs())
    assert problem(lambda: check_xml(laughs, "word/document.xml")).code == Problem.DTD


def test_depth_and_text_nodes_are_bounded() -> None:
    deep = b"".join(hostile.deep(300))
    assert problem(lambda: check_xml(deep, "d.xml")).params["limit"] == 200
    check_xml(b"".join(hostile.deep(150)), "d.xml")
    long_text = b"<a><b>" + b"x" * 5000 + b"</b></a>"
    assert problem(lambda: check_xml(long_text, "t.xml", Limits(text_node=4000))).code == Problem.TEXT_NODE
    long_tail = b"<a><b/>" + b"x" * 5000 + b"<c/></a>"
    assert problem(lambda: check_xml(long_tail, "t.xml", Limits(text_node=4000))).code == Problem.TEXT_NODE
    # libxml2's own 10 MB limit says the same.
    huge = b"".join(hostile.text_node(11))
    assert problem(lambda: check_xml(huge, "t.xml", Limits(text_node=20_000_000))).code == Problem.TEXT_NODE
    broken = b"".join(hostile.invalid())
    assert problem(lambda: check_xml(broken, "t.xml")).code == Problem.INVALID_XML


def test_reading_a_docx_stops_at_the_text_bound() -> None:
    many = hostile.docx_with(hostile.paragraphs(20_000, b""), compression=zipfile.ZIP_STORED)
    assert problem(lambda: text_of(many, "a.docx", limits=Limits(max_chars=5000))).code == Problem.TOO_LONG


def test_the_child_reads_a_docx_as_this_process_does() -> None:
    from tests.text.test_directives import issued

    document = issued()
    assert text_of_isolated(document, "ket-luan.docx") == text_of(document, "ket-luan.docx")


def test_the_child_has_a_memory_cap() -> None:
    # 300,000 paragraphs, stored: within every size limit, but python-docx's tree of them needs
    # far more than 150 MB.
    many = hostile.docx_with(hostile.paragraphs(300_000), compression=zipfile.ZIP_STORED)
    found = problem(lambda: text_of_isolated(many, "a.docx", limits=Limits(memory_mb=150, max_chars=10**7)))
    assert found.code == Problem.MEMORY


def test_the_bomb_costs_little(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The child run as usual, writing its own peak resident memory (VmHWM) when it exits.
    report = tmp_path / "status"
    code = (
        "import atexit, runpy; "
        f"atexit.register(lambda: open({str(report)!r}, 'w').write(open('/proc/self/status').read())); "
        "runpy.run_module('loa.docformat.read', run_name='__main__')"
    )
    monkeypatch.setattr(read, "CHILD", (sys.executable, "-c", code))
    bomb = hostile.docx_with(hostile.zip_bomb(300))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert problem(lambda: text_of_isolated(bomb, "bom.docx")).code == Problem.RATIO
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    child = int(report.read_text().split("VmHWM:")[1].split()[0]) / 1024
    print(f"300 MB bomb in {len(bomb) // 1024} KB: this process +{grown:.0f} MB, the child's peak {child:.0f} MB")
    assert grown < 100
    assert child < 100


def test_a_child_that_hangs_is_killed_with_all_it_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"
    monkeypatch.setattr(read, "CHILD", ("/bin/sh", "-c", script, "sh"))
    started = time.monotonic()
    found = problem(lambda: text_of_isolated(b"hello", "a.txt", limits=Limits(timeout=1)))
    assert found.code == Problem.TIMEOUT
    assert time.monotonic() - started < 5
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(grandchild):
        time.sleep(0.05)
    assert not _alive(grandchild)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "zombie" not in status


def _fake_pdftotext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    fake = tmp_path / "pdftotext"
    fake.write_text(f"#!/bin/sh\n{body}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")


def test_pdftotext_is_stopped_in_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_pdftotext(tmp_path, monkeypatch, "exec sleep 60")
    started = time.monotonic()
    found = problem(lambda: text_of(b"%PDF-1.7\n", "a.pdf", limits=Limits(timeout=1)))
    assert found.code == Problem.TIMEOUT
    assert time.monotonic() - started < 5
    found = problem(lambda: text_of_isolated(b"%PDF-1.7\n", "a.pdf", limits=Limits(timeout=2)))
    assert (found.code, found.params["seconds"]) == (Problem.TIMEOUT, "2")


def test_pdftotext_output_is_read_no_further_than_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_pdftotext(tmp_path, monkeypatch, "exec yes 'Chỉ thị số 1'")
    found = problem(lambda: text_of(b"%PDF-1.7\n", "a.pdf", limits=Limits(max_chars=1000)))
    assert found.code == Problem.TOO_LONG
