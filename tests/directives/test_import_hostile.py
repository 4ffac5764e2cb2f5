"""Hostile uploads through the directive import form, as a unit's staff can send them: each is
refused on the form (200, the reason next to the file), never a 500, and nothing is stored."""

from __future__ import annotations

import html
import resource
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from loa.accounts.models import User
from loa.directives.models import Directive
from tests.conftest import login
from tests.docformat import hostile
from tests.factories import Tree

pytestmark = pytest.mark.django_db


def post(client: Client, tree: Tree, data: bytes, name: str) -> Any:
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("directives:import"), {"file": upload, "unit": tree.evn.pk})


def refused(response: Any, *reasons: str) -> str:
    assert response.status_code == 200
    errors = html.unescape(response.content.decode()).split('data-testid="import-errors"', 1)
    assert len(errors) == 2, "no error on the import form"
    said = errors[1].split("</div>", 1)[0]
    assert "Không đọc được tệp" in said or "Văn bản" in said
    for reason in reasons:
        assert reason in said, said
    assert not Directive.objects.exists()
    return said


@pytest.fixture
def staff(users: dict[str, User]) -> Client:
    return login(users["evn_staff"])


def docx(chunks: Iterable[bytes], **options: Any) -> bytes:
    return hostile.docx_with(chunks, **options)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(staff: Client, tree: Tree) -> None:
    bomb = docx(hostile.zip_bomb(300))
    assert len(bomb) < 2 * 1024 * 1024  # 300 MB of XML
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    said = refused(post(staff, tree, bomb, "bom.docx"), "word/document.xml", "bom nén")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"the web process grew by {grown_mb:.0f} MB"
    assert "nén" in said


def test_two_million_paragraphs_end_within_seconds(staff: Client, tree: Tree) -> None:
    many = docx(hostile.paragraphs(2_000_000))
    started = time.monotonic()
    refused(post(staff, tree, many, "nhieu-doan.docx"), "word/document.xml")
    assert time.monotonic() - started < 15


def test_a_long_text_that_packs_honestly_stops_at_the_bound(staff: Client, tree: Tree, settings: Any) -> None:
    # Stored, not compressed: no ratio to catch, so the bound on the text does.
    settings.LOA_DIRECTIVE_MAX_CHARS = 50_000
    many = docx(hostile.paragraphs(60_000, b""), compression=0)
    refused(post(staff, tree, many, "dai.docx"), "dài hơn 50000 ký tự")


def test_text_beyond_the_bound_is_refused(staff: Client, tree: Tree, settings: Any) -> None:
    settings.LOA_DIRECTIVE_MAX_CHARS = 1000
    refused(post(staff, tree, ("Chỉ thị số 1 " * 200).encode(), "dai.txt"), "dài hơn 1000 ký tự")


def test_too_many_task_items_are_refused(staff: Client, tree: Tree, settings: Any) -> None:
    settings.LOA_DIRECTIVE_MAX_ITEMS = 5
    text = "Số 12-CT/ĐUK\nChỉ thị\nvề việc thử\nBan Thường vụ yêu cầu các cấp ủy thực hiện tốt các nhiệm vụ sau:\n"
    text += "\n".join(f"{number}. Các cấp ủy đảng thực hiện việc {number}." for number in range(1, 8))
    refused(post(staff, tree, text.encode(), "chi-thi.txt"), "7 nhiệm vụ", "5 nhiệm vụ")


def test_invalid_xml_says_so(staff: Client, tree: Tree) -> None:
    refused(post(staff, tree, docx(hostile.invalid()), "hong.docx"), "không phải XML hợp lệ")


def test_entity_amplification_is_refused(staff: Client, tree: Tree) -> None:
    refused(post(staff, tree, docx(hostile.billion_laughs()), "cuoi.docx"), "khai báo DTD")


def test_deep_nesting_is_refused(staff: Client, tree: Tree) -> None:
    # Stored: compressed, 100,000 levels would be caught by the ratio first.
    refused(post(staff, tree, docx(hostile.deep(100_000), compression=0), "sau.docx"), "sâu hơn 200 cấp")
    refused(post(staff, tree, docx(hostile.deep(100_000)), "sau.docx"), "bom nén")


def test_a_50_mb_text_node_is_refused(staff: Client, tree: Tree) -> None:
    upload = docx(hostile.text_node(50))
    assert len(upload) < 20 * 1024 * 1024
    refused(post(staff, tree, upload, "dai.docx"), "word/document.xml", "20 MB")


def test_a_pdf_reader_that_hangs_is_stopped(
    staff: Client, tree: Tree, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pdftotext stuck on a crafted PDF, as it would be: nothing comes out until it is killed.
    fake = tmp_path / "pdftotext"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    settings.LOA_IMPORT_TIMEOUT_SECONDS = 2
    started = time.monotonic()
    refused(post(staff, tree, b"%PDF-1.7\n" + b"0" * 1000, "treo.pdf"), "mất hơn 2 giây")
    assert time.monotonic() - started < 10


def test_something_that_is_not_a_document_says_so(staff: Client, tree: Tree) -> None:
    refused(post(staff, tree, b"\x7fELF\x00\x00\x00\x01" * 100, "a.bin"), "không phải tệp văn bản, DOCX hay PDF")
    refused(post(staff, tree, b"PK\x03\x04 broken", "a.docx"), "DOCX")


def test_a_real_docx_still_imports(staff: Client, tree: Tree) -> None:
    from tests.text.test_directives import issued

    response = post(staff, tree, issued(), "ket-luan.docx")
    assert response.status_code == 302
    directive = Directive.objects.get()
    assert directive.symbol == "60-KL/ĐUK"
    assert directive.items.count() == 3


def test_the_bounds_hold_in_the_service_and_the_model(tree: Tree, settings: Any) -> None:
    from django.core.exceptions import ValidationError

    from loa.accounts.scoping import SYSTEM
    from loa.directives import services

    text = "Số 12-CT/ĐUK\nChỉ thị\nvề việc thử\nCác cấp ủy thực hiện tốt các nhiệm vụ sau:\n1. Một việc.\n2. Hai việc."
    directive = services.directive_import(user=SYSTEM, data=text.encode(), filename="a.txt", unit=tree.board)
    settings.LOA_DIRECTIVE_MAX_ITEMS = 3
    changes = [services.ItemChange(number=str(n), text=f"Việc {n}", bodies="") for n in range(3, 5)]
    with pytest.raises(ValidationError, match="4 nhiệm vụ"):
        services.items_correct(user=SYSTEM, directive=directive, changes=changes)
    assert directive.items.count() == 2
    settings.LOA_DIRECTIVE_MAX_CHARS = 100
    directive.text = "x" * 101
    with pytest.raises(ValidationError, match="dài hơn 100 ký tự"):
        directive.full_clean()
