"""The opinion report cycle: units write and submit aggregate reports, the bloc reads the
synthesis with its chart; names are refused, a period is reported once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.opinion import selectors, services
from loa.opinion.services import Stream
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db


def test_names_are_refused_and_a_period_is_reported_once(tree: Tree, users: dict[str, User]) -> None:
    with pytest.raises(ValidationError, match="không nêu tên người"):
        services.report_save(
            user=users["evn_staff"],
            unit=tree.evn,
            kind="monthly",
            period="2026-10",
            streams=[Stream("Giá điện", "oppose", "nhieu", summary="Anh Nguyễn Văn Hùng ở tổ 3 phản đối gay gắt")],
        )
    with pytest.raises(PermissionDenied):
        services.report_save(
            user=users["evn_staff"],
            unit=tree.pvn,
            kind="monthly",
            period="2026-10",
            streams=[Stream("x", "agree", "da_so")],
        )
    with pytest.raises(ValidationError):
        services.report_save(
            user=SYSTEM, unit=tree.evn, kind="monthly", period="10/2026", streams=[Stream("x", "agree", "da_so")]
        )
    report = services.report_save(
        user=users["evn_staff"],
        unit=tree.evn,
        kind="monthly",
        period="2026-10",
        streams=[Stream("Giá điện", "oppose", "nhieu", summary="Người lao động lo ngại chi phí sinh hoạt tăng")],
    )
    with pytest.raises(ValidationError, match="2026-10"):
        services.report_save(
            user=users["evn_staff"],
            unit=tree.evn,
            kind="monthly",
            period="2026-10",
            streams=[Stream("x", "agree", "da_so")],
        )
    services.report_submit(user=users["evn_staff"], report=report)
    with pytest.raises(ValidationError):
        services.report_save(
            user=users["evn_staff"],
            unit=tree.evn,
            kind="monthly",
            period="2026-10",
            streams=[Stream("x", "agree", "da_so")],
            report=report,
        )


def test_the_cycle_from_units_to_a_synthesis_with_a_chart(tree: Tree, users: dict[str, User]) -> None:
    for month, units in (
        ("2026-08", [tree.evn]),
        ("2026-09", [tree.evn, tree.pvn]),
        ("2026-10", [tree.evn, tree.pvn, tree.evn_a]),
    ):
        for unit in units:
            report = services.report_save(
                user=SYSTEM,
                unit=unit,
                kind="monthly",
                period=month,
                streams=[
                    Stream("Giá điện", "oppose", "nhieu", 2),
                    Stream("Sắp xếp bộ máy", "agree", "da_so", 2),
                ],
            )
            services.report_submit(user=SYSTEM, report=report)
    draft = services.report_save(
        user=SYSTEM, unit=tree.pvn, kind="ad_hoc", period="2026-10", streams=[Stream("Chưa gửi", "agree", "mot_so")]
    )
    result = selectors.synthesis(user=users["bloc_staff"])
    assert result.periods == ["2026-08", "2026-09", "2026-10"]
    assert "Chưa gửi" not in result.topics  # drafts are not counted
    assert len(result.topics["Giá điện"]["2026-10"].units) == 3
    # Both topics grow with the units reporting; the one held more widely grows faster.
    assert result.rising == ["Sắp xếp bộ máy", "Giá điện"]
    # The EVN staff see their subtree only.
    evn = selectors.synthesis(user=users["evn_staff"])
    assert len(evn.topics["Giá điện"]["2026-10"].units) == 2
    client = login(users["bloc_staff"])
    page = client.get(reverse("opinion:synthesis")).content.decode()
    assert 'data-testid="opinion-chart"' in page
    assert "Giá điện" in page
    chart = client.get(reverse("opinion:chart"))
    assert chart.content.startswith(b"\x89PNG")
    assert draft.submitted_at is None


def test_writing_a_report_through_the_form(tree: Tree, users: dict[str, User]) -> None:
    wages = services.topic_create(user=users["bloc_staff"], name="Tiền lương")
    client = login(users["evn_staff"])
    form = client.get(reverse("opinion:create")).content.decode()
    assert f'<option value="{wages.pk}">Tiền lương</option>' in form
    data = {
        "unit": str(tree.evn.pk),
        "kind": "monthly",
        "period": "2026-11",
        "streams-TOTAL_FORMS": "4",
        "streams-INITIAL_FORMS": "0",
        "streams-MIN_NUM_FORMS": "0",
        "streams-MAX_NUM_FORMS": "30",
        "streams-0-topic": str(wages.pk),
        "streams-0-tendency": "hesitant",
        "streams-0-intensity": "2",
        "streams-0-breadth": "nhieu",
        "streams-0-summary": "Băn khoăn về lộ trình cải cách tiền lương",
        "streams-0-proposals": "Công khai lộ trình",
    }
    for index in range(1, 4):
        data.update(
            {
                f"streams-{index}-tendency": "agree",
                f"streams-{index}-intensity": "2",
                f"streams-{index}-breadth": "da_so",
            }
        )
    # A stream proposes a topic the list lacks; a wording of a listed topic is matched to it.
    data.update({"streams-1-new_topic": "Nhà ở xã hội", "streams-2-new_topic": "tiền  lương."})
    response = client.post(reverse("opinion:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report = selectors.report_list(user=users["evn_staff"]).get()
    assert [item.topic.name for item in report.items.all()] == ["Tiền lương", "Nhà ở xã hội", "Tiền lương"]
    proposed = report.items.all()[1].topic
    assert proposed.status == "proposed"
    assert proposed.proposed_by == tree.evn
    # Picking from the list and proposing in the same stream is refused.
    data.update({"period": "2026-12", "streams-1-topic": str(wages.pk)})
    assert client.post(reverse("opinion:create"), data).status_code == 200
    client.post(reverse("opinion:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.submitted_at is not None


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Anh Nguyễn Văn Hùng ở tổ 3 phản đối", True),
        ("ý kiến của đồng chí Lê Minh", True),
        ("chị Ánh cho rằng", True),
        ("chị em công nhân băn khoăn", False),
        ("anh ấy và các cô chú lớn tuổi đồng tình", False),
        ("Đa số đồng tình với chủ trương", False),
    ],
)
def test_what_counts_as_naming_someone(text: str, named: bool) -> None:
    if named:
        with pytest.raises(ValidationError):
            services._no_names(text)
    else:
        services._no_names(text)


def test_the_periodic_report_gets_an_opinion_section(tree: Tree) -> None:
    import datetime as dt

    from loa.reports.documents import document_bytes, report_document
    from loa.reports.services import letterhead_ensure, report_prepare

    for month in ("2026-10", "2026-11"):
        report = services.report_save(
            user=SYSTEM, unit=tree.evn, kind="monthly", period=month, streams=[Stream("Giá điện", "oppose", "nhieu")]
        )
        services.report_submit(user=SYSTEM, report=report)
    prepared = report_prepare(
        user=SYSTEM,
        unit=tree.bloc,
        letterhead=letterhead_ensure(unit=tree.board),
        period="2026-Q4",
        now=dt.datetime(2026, 12, 31, tzinfo=dt.UTC),
    )
    section = next(s for s in prepared.figures["sections"] if s["key"] == "opinion")
    assert section["tables"][0]["rows"][0][:4] == ["Giá điện", "1", "0,40", "phản đối"]
    assert section["charts"][0]["kind"] == "lines"
    assert document_bytes(report_document(prepared), "docx").startswith(b"PK")


def test_the_synthesis_is_exported_within_the_readers_scope(tree: Tree, users: dict[str, User]) -> None:
    from loa.docformat.read import text_of_docx
    from loa.reports.models import Letterhead

    for unit, topic, periods in ((tree.evn, "Giá điện", ("2026-09", "2026-10")), (tree.pvn, "Giá xăng", ("2026-10",))):
        for period in periods:
            report = services.report_save(
                user=SYSTEM, unit=unit, kind="monthly", period=period, streams=[Stream(topic, "oppose", "nhieu")]
            )
            services.report_submit(user=SYSTEM, report=report)
    response = login(users["evn_viewer"]).get(reverse("opinion:export_csv"))
    text = response.content.decode("utf-8")
    # For Excel in Vietnamese: semicolons between fields, the decimal comma in numbers.
    assert text.startswith("\ufeffKỳ;Tình trạng kỳ;Chủ đề")
    lines = text.splitlines()[1:]
    assert [line.split(";")[:5] for line in lines] == [
        ["2026-09", "chưa đủ báo cáo (0/2)", "Giá điện", "1", "0,40"],
        ["2026-10", "chưa đủ báo cáo (0/2)", "Giá điện", "1", "0,40"],
    ]
    assert "phản đối" in lines[0]
    assert "Giá xăng" not in text
    bloc_csv = login(users["bloc_staff"]).get(reverse("opinion:export_csv") + "?from=2026-10").content.decode()
    assert "Giá xăng" in bloc_csv and "2026-09" not in bloc_csv  # noqa: PT018
    # On the page the months are chosen (year, month), not typed.
    chosen = {"first_kind": "month", "first_year": "2026", "first_number": "10", "last_year": "", "last_number": ""}
    page = login(users["bloc_staff"]).get(reverse("opinion:synthesis"), chosen).content.decode()
    assert "09/2026" not in page and "10/2026" in page  # noqa: PT018
    assert "first=2026-10&amp;last=" in page  # the exports follow the months chosen
    docx = login(users["evn_viewer"]).get(reverse("opinion:export_docx"))
    assert docx["Content-Disposition"].endswith('.docx"')
    body = text_of_docx(docx.content)
    assert "tổng hợp tình hình dư luận xã hội từ tháng 9/2026 đến tháng 10/2026" in body
    assert "Giá điện" in body and "Giá xăng" not in body  # noqa: PT018
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body
    assert "ĐẢNG ỦY KHỐI THỬ NGHIỆM" in body  # the draft letterhead: the unit's parent above it
    assert not Letterhead.objects.exists()  # a viewer's export writes nothing
