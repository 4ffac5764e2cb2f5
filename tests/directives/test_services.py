"""Directives: importing seed 000, correcting, assigning its tasks, units reporting progress with
evidence, roll-ups, reminders and the citation graph."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.devtools.inbox import Inbox
from loa.directives import selectors, services
from loa.directives.models import Assignment, AssignmentStatus, Directive
from loa.outbox.models import Message, MessageStatus
from loa.outbox.services import messages_send
from tests.factories import Tree
from tests.shared import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_000() -> bytes:
    return shared_path("seeds", "000_ffb0d65ba92b0dfc.txt").read_bytes()


@pytest.fixture
def conclusion(tree: Tree, seed_000: bytes) -> Directive:
    return services.directive_import(user=SYSTEM, data=seed_000, filename="60-KL-DUK.txt", unit=tree.board)


def test_importing_seed_000(conclusion: Directive, tree: Tree) -> None:
    assert conclusion.symbol == "60-KL/ĐUK"
    assert conclusion.doc_type == "Kết luận"
    assert conclusion.date == dt.date(2021, 8, 31)
    assert conclusion.signer == "Nguyễn Long Hải"
    assert {c.symbol for c in conclusion.citations.all()} >= {"04-CT/ĐUK", "07-CT/TW", "01-KL/TW"}
    items = list(conclusion.items.all())
    assert [item.number for item in items] == ["1", "2", "3", "4", "5"]
    assert items[4].body_list[-1] == "Ban Tuyên giáo Đảng ủy Khối"
    # The bodies mean units of the tree: the member committees, and the board by its name.
    committees = {tree.evn.pk, tree.pvn.pk}
    assert {unit.pk for unit in services.units_for_bodies(items[0].body_list)} == committees
    assert {unit.pk for unit in services.units_for_bodies(items[4].body_list)} == committees | {tree.board.pk}


def test_a_second_import_is_refused_and_bad_files_say_why(conclusion: Directive, tree: Tree, seed_000: bytes) -> None:
    with pytest.raises(ValidationError, match="60-KL/ĐUK"):
        services.directive_import(user=SYSTEM, data=seed_000, filename="again.txt", unit=tree.board)
    with pytest.raises(ValidationError, match=r"\.doc"):
        services.directive_import(user=SYSTEM, data=b"\xd0\xcf\x11\xe0", filename="cu.doc", unit=tree.board)
    with pytest.raises(ValidationError, match="không có nội dung chữ"):
        services.directive_import(user=SYSTEM, data=b"   \n  ", filename="rong.txt", unit=tree.board)
    assert Directive.objects.count() == 1


def test_citations_link_once_the_cited_document_is_registered(conclusion: Directive, tree: Tree) -> None:
    text = (
        "Chỉ thị của Ban Thường vụ Đảng ủy Khối về đẩy mạnh công tác thông tin, tuyên truyền\n"
        "Số 04-CT/ĐUK\nHà Nội, ngày 22 tháng 9 năm 2016\nCHỈ THỊ\nvề đẩy mạnh công tác thông tin\n"
        "1. Các cấp ủy đảng quán triệt Chỉ thị số 07-CT/TW.\n"
    )
    directive = services.directive_import(user=SYSTEM, data=text.encode(), filename="04.txt", unit=tree.board)
    assert directive.symbol == "04-CT/ĐUK"
    assert directive.date == dt.date(2016, 9, 22)
    citation = conclusion.citations.get(symbol="04-CT/ĐUK")
    assert citation.target == directive
    nodes, edges, _size = selectors.citation_graph(user=SYSTEM)
    labels = {node.label for node in nodes}
    assert {"60-KL/ĐUK", "04-CT/ĐUK", "07-CT/TW", "01-KL/TW"} <= labels
    assert any(edge.source.label == "60-KL/ĐUK" and edge.target.label == "04-CT/ĐUK" for edge in edges)
    central = next(node for node in nodes if node.label == "07-CT/TW")
    bloc = next(node for node in nodes if node.label == "60-KL/ĐUK")
    assert central.y < bloc.y


def test_correction_form_service(conclusion: Directive, users: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        services.directive_correct(user=users["evn_staff"], directive=conclusion, fields={"signer": "X"})
    services.directive_correct(
        user=users["bloc_staff"], directive=conclusion, fields={"symbol": "60 - KL/ĐUK", "signer": " Nguyễn Long Hải "}
    )
    conclusion.refresh_from_db()
    assert conclusion.symbol == "60-KL/ĐUK"
    with pytest.raises(ValidationError, match="không phải là số, ký hiệu"):
        services.directive_correct(user=SYSTEM, directive=conclusion, fields={"symbol": "abc"})
    first = conclusion.items.first()
    assert first is not None
    services.items_correct(
        user=SYSTEM,
        directive=conclusion,
        changes=[
            services.ItemChange(number="1", text="Quán triệt Kết luận.", bodies="các cấp ủy đảng", item=first),
            services.ItemChange(number="6", text="Nhiệm vụ bổ sung.", bodies="Ban Tuyên giáo Đảng ủy Khối"),
        ],
    )
    assert conclusion.items.get(number="6").text == "Nhiệm vụ bổ sung."


def test_units_report_progress_and_the_bloc_sees_the_roll_up(
    conclusion: Directive, tree: Tree, users: dict[str, User]
) -> None:
    item = conclusion.items.get(number="5")
    today = dt.date(2026, 11, 24)
    with pytest.raises(PermissionDenied):
        services.task_assign(user=users["evn_staff"], task=item, units=[tree.evn], deadline=today)
    services.task_assign(
        user=users["bloc_staff"], task=item, units=[tree.evn, tree.pvn, tree.board], deadline=dt.date(2026, 12, 31)
    )
    late = services.task_assign(
        user=users["bloc_staff"], task=conclusion.items.get(number="1"), units=[tree.pvn], deadline=dt.date(2026, 11, 1)
    )
    evn = Assignment.objects.get(task=item, unit=tree.evn)
    with pytest.raises(PermissionDenied):
        services.progress_report(user=users["pvn_staff"], assignment=evn, progress=50, text="x")
    with pytest.raises(ValidationError):
        services.progress_report(user=users["evn_staff"], assignment=evn, progress=120, text="x")
    with pytest.raises(ValidationError, match="minh chứng phải là tài liệu"):
        services.progress_report(
            user=users["evn_staff"],
            assignment=evn,
            progress=50,
            text="Đã quán triệt.",
            files=[SimpleUploadedFile("virus.exe", b"MZ")],
        )
    services.progress_report(
        user=users["evn_staff"],
        assignment=evn,
        progress=100,
        text="Đã xây dựng kế hoạch tuyên truyền và tổ chức quán triệt tới 100% chi bộ.",
        files=[SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")],
        today=dt.date(2026, 11, 20),
    )
    evn.refresh_from_db()
    assert evn.status == AssignmentStatus.DONE
    assert evn.reports.get().evidence.get().name == "ke-hoach.pdf"
    # The EVN staff see their own unit's task; the bloc sees everyone's.
    assert [a.unit for a in selectors.assignment_list(user=users["evn_staff"])] == [tree.evn]
    by_unit = {row.unit_name: row.rollup for row in selectors.rollup_by_unit(user=users["bloc_staff"], today=today)}
    assert by_unit[tree.evn.name].done == 1
    assert by_unit[tree.pvn.name].total == 2
    assert by_unit[tree.pvn.name].overdue == 1
    view = selectors.directive_view(user=users["bloc_staff"], directive=conclusion, today=today)
    assert view.rollup.total == 4
    assert view.rollup.done == 1
    assert view.rollup.overdue == 1
    assert late[0].deadline == dt.date(2026, 11, 1)


def test_reminders_go_once_per_deadline_to_the_unit_writers(
    conclusion: Directive, tree: Tree, users: dict[str, User], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LOA_TASK_REMIND_DAYS = 7
    User.objects.filter(pk=users["evn_staff"].pk).update(email="tuyengiao@evn.example.vn")
    User.objects.filter(pk=users["evn_viewer"].pk).update(email="xem@evn.example.vn")
    item = conclusion.items.get(number="2")
    (assignment,) = services.task_assign(user=SYSTEM, task=item, units=[tree.evn], deadline=dt.date(2026, 11, 28))
    assert services.assignments_remind(today=dt.date(2026, 11, 10)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assignments_remind(today=dt.date(2026, 11, 24)) == 1
    assert mail.outbox[0].to == ["tuyengiao@evn.example.vn"]
    assert "Sắp đến hạn" in mail.outbox[0].subject
    assert services.assignments_remind(today=dt.date(2026, 11, 25)) == 0
    # A new deadline, a new reminder.
    services.task_assign(user=SYSTEM, task=item, units=[tree.evn], deadline=dt.date(2026, 11, 26))
    assert services.assignments_remind(today=dt.date(2026, 11, 25)) == 1
    assignment.refresh_from_db()
    assert assignment.reminded_for == dt.date(2026, 11, 26)


def test_a_refusing_mail_server_loses_no_reminder_and_none_goes_twice(
    conclusion: Directive,
    tree: Tree,
    users: dict[str, User],
    settings: Any,
    smtp: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LOA_TASK_REMIND_DAYS = 7
    User.objects.filter(pk=users["evn_staff"].pk).update(email="tuyengiao@evn.example.vn")
    item = conclusion.items.get(number="2")
    (assignment,) = services.task_assign(user=SYSTEM, task=item, units=[tree.evn], deadline=dt.date(2026, 11, 28))
    smtp.mail_refusal = "451 4.3.0 Try again later"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assignments_remind(today=dt.date(2026, 11, 24)) == 1
    (message,) = Message.objects.filter(kind="task_reminder")
    assert (message.status, message.attempts, message.unit_id) == (MessageStatus.QUEUED, 1, tree.evn.pk)
    assert "451" in message.last_error
    # The reminder run again finds the assignment reminded: the queued message is the reminder.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assignments_remind(today=dt.date(2026, 11, 24)) == 0
    assert smtp.mails == []
    smtp.mail_refusal = ""
    later = timezone.now() + dt.timedelta(minutes=1)
    assert messages_send(now=later) == 1
    assert messages_send(now=later + dt.timedelta(hours=3)) == 0
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    assert smtp.mails[0]["to"] == ["tuyengiao@evn.example.vn"]
    assert f"/directives/assignments/{assignment.pk}/" in smtp.mails[0]["body"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_registry_is_searched_without_diacritics(conclusion: Directive, users: dict[str, User]) -> None:
    for query in ("60-KL/ĐUK", "60-kl/duk", "ket luan", "ĐẨY MẠNH đổi mới", "chi thi 04"):
        assert list(selectors.directive_list(user=users["evn_viewer"], query=query)) == [conclusion], query
    assert list(selectors.directive_list(user=users["evn_viewer"], query="nghị quyết")) == []
