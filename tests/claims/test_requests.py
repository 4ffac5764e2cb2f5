"""Correction and removal requests: the archived original, the schedule of checks, what the
checks find on a replay outlet that removes one item and edits another, the pages and the
evidence PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from loa.accounts.models import User
from loa.articles.models import Article
from loa.articles.runtime import fetch_policy
from loa.articles.services import article_store
from loa.claims.models import Addressee, ContentRequest, Outcome, RequestKind
from loa.claims.services_requests import (
    LEGAL_BASES,
    RequestData,
    next_check_at,
    request_close,
    request_create,
    requests_check_due,
)
from loa.devtools.replay import VIETNAM, ReplayServer, build_corpus
from loa.docformat.convert import soffice_path
from loa.incidents import panels
from loa.incidents.models import Incident, TimelineKind
from loa.pipeline.extract import extract_article
from loa.pipeline.fetch import Fetcher
from loa.pipeline.warc import ArchivedRecord, WarcArchive
from loa.sources.services import outlet_for_url
from tests.conftest import login
from tests.factories import Tree, make_article
from tests.factories.claims import make_claim

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

REMOVED_TEXT = [
    "Một trang tin đăng bài cho rằng Tổng công ty Điện lực miền Bắc đã tăng giá điện sinh hoạt lên gấp đôi "
    "trong tháng Hai mà không thông báo cho khách hàng, khiến nhiều hộ gia đình phải trả tiền điện rất cao.",
    "Bài viết dẫn các hóa đơn không rõ nguồn gốc và khẳng định việc tăng giá là chủ trương của tập đoàn, "
    "trong khi biểu giá bán lẻ điện vẫn giữ nguyên theo quyết định của Bộ Công Thương từ năm trước.",
    "Hóa đơn tiền điện tháng Hai tăng chủ yếu do thời tiết lạnh kéo dài và số ngày tính tiền nhiều hơn, "
    "điều mà đơn vị đã giải thích công khai trên cổng thông tin chăm sóc khách hàng.",
]
EDITED_TEXT = [
    "Bài viết nêu rằng dự án nhiệt điện Sông Hậu chậm tiến độ ba năm và gây thất thoát hàng nghìn tỷ đồng "
    "vốn nhà nước, dẫn lời một số chuyên gia giấu tên trong ngành năng lượng.",
    "Theo bài viết, chủ đầu tư đã không báo cáo đầy đủ với cơ quan quản lý về các khoản phát sinh, "
    "đồng thời các nhà thầu phụ chưa được thanh toán trong nhiều tháng liền.",
    "Dự án hiện đã hoàn thành các hạng mục chính và đang vận hành thử nghiệm tổ máy số một, "
    "theo thông tin từ ban quản lý dự án công bố vào cuối tuần trước.",
]


@pytest.fixture
def outlet() -> Iterator[ReplayServer]:
    records = [
        {"id": 9101, "title": "Giá điện sinh hoạt tăng gấp đôi trong tháng Hai?", "text": "\n".join(REMOVED_TEXT)},
        {"id": 9102, "title": "Dự án nhiệt điện Sông Hậu chậm tiến độ", "text": "\n".join(EDITED_TEXT)},
    ]
    corpus = build_corpus(records, outlets=1, now=dt.datetime.now(VIETNAM), syndicate_share=0)
    with ReplayServer(corpus) as server:
        yield server


@pytest.fixture
def archive_dir(tmp_path: Path, settings: Any) -> Path:
    settings.LOA_ARCHIVE_DIR = tmp_path / "archive"
    return Path(settings.LOA_ARCHIVE_DIR)


def ingest(url: str, archive_dir: Path) -> Article:
    """The article at `url` fetched, archived and stored as the monitoring pipeline does."""
    with Fetcher(fetch_policy()) as fetch:
        response = fetch.get(url)
    record = WarcArchive(archive_dir).write(response)
    # Tests read the same pages many times in one process: no cross-page deduplication.
    extracted = extract_article(response.text(), response.final_url, now=response.fetched_at, deduplicate=False)
    with transaction.atomic():
        return article_store(
            outlet=outlet_for_url(url),
            source=None,
            url=url,
            title=extracted.title,
            lead=extracted.lead,
            body=extracted.body,
            published_at=extracted.published_at,
            fetched_at=response.fetched_at,
            warc=(record.path, record.offset, record.length),
        )


def data(tree: Tree, article: Article, **extra: Any) -> RequestData:
    values: dict[str, Any] = {
        "unit": tree.evn,
        "article": article,
        "kind": RequestKind.REMOVAL,
        "addressee_kind": Addressee.OUTLET,
        "addressee": "Tòa soạn Báo Tin Nhanh",
        "legal_basis": LEGAL_BASES["press_law_42"],
        "text_sent": "Đề nghị quý báo gỡ bỏ bài viết có nội dung sai sự thật.",
        "sent_at": SENT,
        "deadline": dt.date(2026, 3, 9),
    }
    values.update(extra)
    return RequestData(**values)


def path_of(article: Article) -> str:
    return "/" + article.url.split("/", 3)[3]


def test_checks_follow_the_schedule() -> None:
    hours = [1, 6, 24, 72, 96, 120]
    at, seen = SENT, []
    for _ in hours:
        at = next_check_at(sent_at=SENT, after=at)
        seen.append(at)
    assert seen == [SENT + dt.timedelta(hours=h) for h in hours]
    assert next_check_at(sent_at=SENT, after=SENT + dt.timedelta(hours=100)) == SENT + dt.timedelta(hours=120)


def test_a_request_keeps_the_archived_original(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[0].slug}.html", archive_dir)
    request = request_create(user=users["evn_staff"], data=data(tree, article), now=SENT)
    assert request.original_text == f"{article.title}\n{article.body}"
    _url, _headers, payload = WarcArchive(archive_dir).read(
        ArchivedRecord(article.warc_path, article.warc_offset or 0, article.warc_length or 0)
    )
    assert request.original_sha256 == hashlib.sha256(payload).hexdigest()
    assert request.original_captured_at is not None
    assert abs(request.original_captured_at - article.fetched_at) < dt.timedelta(seconds=1)  # type: ignore[operator]
    assert request.next_check_at == SENT + dt.timedelta(hours=1)
    assert request.outcome == Outcome.PENDING


def test_an_article_without_archive_is_fetched_and_archived_now(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    url = f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[1].slug}.html"
    article = make_article("Dự án nhiệt điện Sông Hậu chậm tiến độ", url=url)
    assert not article.warc_path
    request = request_create(user=users["evn_staff"], data=data(tree, article), now=SENT)
    assert "Dự án hiện đã hoàn thành các hạng mục chính" in request.original_text
    assert len(request.original_sha256) == 64
    assert list(archive_dir.rglob("*.warc.gz"))


def test_the_outlet_removes_one_item_and_edits_another(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    first, second = outlet.corpus.articles
    removed = ingest(f"{outlet.base(0)}/bai-viet/{first.slug}.html", archive_dir)
    edited = ingest(f"{outlet.base(0)}/bai-viet/{second.slug}.html", archive_dir)
    incident = Incident.objects.create(title="Tin sai về giá điện", unit=tree.evn, opened_at=SENT)
    claim = make_claim(tree.evn, "giá điện")
    staff = users["evn_staff"]
    gone = request_create(user=staff, data=data(tree, removed, claim=claim, incident=incident), now=SENT)
    changed = request_create(user=staff, data=data(tree, edited, kind=RequestKind.CORRECTION), now=SENT)

    assert requests_check_due(now=SENT + dt.timedelta(minutes=30)) == {}
    first_check = SENT + dt.timedelta(hours=1, minutes=2)
    assert requests_check_due(now=first_check) == {"unchanged": 2}

    outlet.gone(path_of(removed))
    outlet.edit(
        path_of(edited),
        [
            EDITED_TEXT[0].replace("chậm tiến độ ba năm và gây thất thoát hàng nghìn tỷ đồng", "chậm tiến độ"),
            EDITED_TEXT[1],
            EDITED_TEXT[2],
        ],
    )
    second_check = SENT + dt.timedelta(hours=6, minutes=1)
    assert requests_check_due(now=second_check) == {"removed": 1, "edited": 1}
    gone.refresh_from_db()
    changed.refresh_from_db()
    assert gone.outcome == Outcome.REMOVED
    assert gone.checks.last().http_status == 410  # type: ignore[union-attr]
    # A removal is confirmed by one more check a day later.
    assert gone.next_check_at == second_check + dt.timedelta(days=1)
    assert gone.closed_at is None
    assert changed.outcome == Outcome.EDITED
    diff = changed.checks.last().diff  # type: ignore[union-attr]
    assert [run for run in diff if run[0] != "="] == [["-", "ba năm và gây thất thoát hàng nghìn tỷ đồng"]]
    assert changed.next_check_at == SENT + dt.timedelta(hours=24)

    confirm = second_check + dt.timedelta(days=1)
    assert requests_check_due(now=confirm) == {"removed": 1, "edited": 1}
    closed = ContentRequest.objects.get(pk=gone.pk)
    assert closed.closed_at == confirm
    assert closed.next_check_at is None

    # The incident's timeline tells the story: sent, then each check.
    entries = list(incident.timeline.filter(kind=TimelineKind.REQUEST).order_by("at", "id"))
    assert len(entries) == 4
    assert all(entry.article_id == removed.pk for entry in entries)
    assert "410" not in entries[-1].text
    assert claim.requests.get() == gone


def test_a_page_back_after_removal_is_not_closed(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    first = outlet.corpus.articles[0]
    article = ingest(f"{outlet.base(0)}/bai-viet/{first.slug}.html", archive_dir)
    request = request_create(user=users["evn_staff"], data=data(tree, article), now=SENT)
    outlet.gone(path_of(article))
    at = SENT + dt.timedelta(hours=1)
    requests_check_due(now=at)
    outlet.restore(path_of(article))
    requests_check_due(now=at + dt.timedelta(days=1))
    request.refresh_from_db()
    assert request.outcome == Outcome.UNCHANGED
    assert request.closed_at is None
    assert request.next_check_at == SENT + dt.timedelta(hours=72)


def test_staff_close_a_request_and_checks_stop(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[0].slug}.html", archive_dir)
    request = request_create(user=users["evn_staff"], data=data(tree, article), now=SENT)
    with pytest.raises(PermissionDenied):
        request_close(user=users["pvn_staff"], request=request)
    request_close(user=users["evn_staff"], request=request, now=SENT + dt.timedelta(hours=2))
    assert requests_check_due(now=SENT + dt.timedelta(days=3)) == {}
    assert ContentRequest.objects.get().closed_at == SENT + dt.timedelta(hours=2)


def test_staff_record_a_request_from_the_form_and_see_its_checks(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    first = outlet.corpus.articles[1]
    article = ingest(f"{outlet.base(0)}/bai-viet/{first.slug}.html", archive_dir)
    claim = make_claim(tree.evn, "nhiệt điện")
    client = login(users["evn_staff"])
    page = client.get(reverse("claims:request_new"), {"claim": claim.pk, "article": article.pk})
    assert page.status_code == 200
    assert LEGAL_BASES["press_law_42"][:20] not in page.content.decode()  # the preset fills an empty box
    response = client.post(
        reverse("claims:request_new"),
        {
            "article": article.url,
            "unit": tree.evn.pk,
            "claim": claim.pk,
            "incident": "",
            "kind": RequestKind.CORRECTION,
            "addressee_kind": Addressee.OUTLET,
            "addressee": "Tòa soạn Báo Tin Nhanh",
            "legal_basis_preset": "press_law_42",
            "legal_basis": "",
            "text_sent": "Đề nghị quý báo cải chính thông tin sai về tiến độ dự án.",
            "sent_on": "02/03/2026",
            "sent_time": "15:00",
            "deadline": "09/03/2026",
        },
    )
    request = ContentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:request_detail", args=[request.pk])
    assert request.legal_basis == LEGAL_BASES["press_law_42"]
    assert request.sent_at == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # 15:00 in Hà Nội
    outlet.edit(
        path_of(article), [EDITED_TEXT[0], EDITED_TEXT[1].replace("nhiều tháng liền", "hai tháng"), EDITED_TEXT[2]]
    )
    assert requests_check_due(now=request.sent_at + dt.timedelta(hours=1)) == {"edited": 1}, list(
        request.checks.values()
    )
    detail = client.get(reverse("claims:request_detail", args=[request.pk])).content.decode()
    assert "nhiều tháng liền.</del>" in detail
    assert "hai tháng.</ins>" in detail
    assert request.original_sha256 in detail
    # The claim's page panel lists it, with a link to record another.
    panel = Template('{% include "claims/_requests.html" %}').render(
        Context({"claim": claim, "request": page.wsgi_request})
    )
    assert reverse("claims:request_detail", args=[request.pk]) in panel
    assert f"{reverse('claims:request_new')}?claim={claim.pk}" in panel
    # A reader sees the list and the request but may not record one.
    viewer = login(users["evn_viewer"])
    assert viewer.get(reverse("claims:requests")).status_code == 200
    assert viewer.get(reverse("claims:request_new")).status_code == 403
    assert login(users["pvn_staff"]).get(reverse("claims:request_detail", args=[request.pk])).status_code == 404


def test_a_request_dated_in_the_future_is_refused(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[0].slug}.html", archive_dir)
    with pytest.raises(ValidationError, match=r"tương lai|future"):
        request_create(user=users["evn_staff"], data=data(tree, article), now=SENT - dt.timedelta(hours=1))
    assert not ContentRequest.objects.exists()
    # A clock a few minutes behind the sender's is not a typo.
    request_create(user=users["evn_staff"], data=data(tree, article), now=SENT - dt.timedelta(minutes=3))


def test_an_unknown_item_is_refused_with_a_clear_error(tree: Tree, users: dict[str, User]) -> None:
    response = login(users["evn_staff"]).post(
        reverse("claims:request_new"),
        {
            "article": "https://khongco.vn/bai-viet/1.html",
            "unit": tree.evn.pk,
            "kind": RequestKind.REMOVAL,
            "addressee_kind": Addressee.PLATFORM,
            "addressee": "Nền tảng mạng xã hội",
            "legal_basis_preset": "decree_147",
            "text_sent": "Đề nghị gỡ bỏ.",
            "sent_on": "02/03/2026",
            "sent_time": "08:00",
            "deadline": "03/03/2026",
        },
    )
    assert response.status_code == 200
    assert not ContentRequest.objects.exists()
    assert "Đề nghị gỡ bỏ." in response.content.decode()  # nothing typed is lost


def test_the_incident_page_shows_the_requests_timeline(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[0].slug}.html", archive_dir)
    incident = Incident.objects.create(title="Tin sai về giá điện", unit=tree.evn, opened_at=SENT)
    request_create(user=users["evn_staff"], data=data(tree, article, incident=incident), now=SENT)
    outlet.gone(path_of(article))
    requests_check_due(now=SENT + dt.timedelta(hours=1))
    with translation.override("vi"):
        page = login(users["evn_staff"]).get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Tòa soạn Báo Tin Nhanh" in page
    assert page.count('class="request"') == 2
    # The requests panel: the request with its outcome, and a link to record another for it.
    panel = page.split('data-testid="incident-requests"')[1].split("</section>")[0]
    assert "Đã gỡ" in panel
    new_url = f"{reverse('claims:request_new')}?incident={incident.pk}"
    assert new_url in panel
    form = login(users["evn_staff"]).get(new_url).content.decode()
    assert f'<option value="{incident.pk}" selected>' in form
    # Another unit's staff see neither the incident nor, through it, its requests.
    assert login(users["pvn_staff"]).get(reverse("incidents:detail", args=[incident.pk])).status_code == 404


def test_a_failing_incident_panel_leaves_the_page_whole(tree: Tree, users: dict[str, User]) -> None:
    def broken(user: object, incident: Incident) -> panels.Panel:
        raise RuntimeError("panel broke")

    incident = Incident.objects.create(title="Sự cố thử", unit=tree.evn, opened_at=SENT)
    panels.register("broken", order=1, provider=broken)
    try:
        page = login(users["evn_staff"]).get(reverse("incidents:detail", args=[incident.pk]))
    finally:
        panels.unregister("broken")
    assert page.status_code == 200
    assert 'data-testid="incident-requests"' in page.content.decode()


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")
def test_the_evidence_pdf_holds_the_original_its_address_time_and_hash(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path, tmp_path: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[1].slug}.html", archive_dir)
    request = request_create(user=users["evn_staff"], data=data(tree, article), now=SENT)
    outlet.gone(path_of(article))
    requests_check_due(now=SENT + dt.timedelta(hours=1))
    response = login(users["evn_viewer"]).get(reverse("claims:request_evidence", args=[request.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "ban-luu.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    flat = "".join(text.split())
    assert "".join(request.url.split()) in flat
    assert request.original_sha256 in flat
    assert request.original_captured_at is not None
    captured = request.original_captured_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")
    assert captured in text
    for line in request.original_text.splitlines():
        assert "".join(line.split()) in flat
    assert "Đã gỡ bỏ" in text or "410" in text


def test_the_checks_run_as_a_periodic_job() -> None:
    from loa.scheduling.registry import specs

    spec = next(s for s in specs() if s.name == "claims_request_checks")
    assert spec.task_path == "loa.claims.tasks_requests.requests_check_task"
    assert spec.interval <= dt.timedelta(minutes=10)


def test_a_correction_notice_closes_the_request_once_confirmed(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[1].slug}.html", archive_dir)
    request = request_create(user=users["evn_staff"], data=data(tree, article, kind=RequestKind.CORRECTION), now=SENT)
    notice = "Đính chính: tòa soạn xin lỗi bạn đọc và đơn vị liên quan vì thông tin chưa chính xác về tiến độ dự án."
    outlet.edit(path_of(article), [*EDITED_TEXT, notice])
    seen = SENT + dt.timedelta(hours=1)
    assert requests_check_due(now=seen) == {"corrected": 1}
    assert requests_check_due(now=seen + dt.timedelta(days=1)) == {"corrected": 1}
    request.refresh_from_db()
    assert request.outcome == Outcome.CORRECTED
    assert request.closed_at == seen + dt.timedelta(days=1)
    assert "đính chính" in request.checks.first().detail  # type: ignore[union-attr]


def test_an_unreachable_outlet_is_checked_again_and_changes_nothing(
    tree: Tree, users: dict[str, User], outlet: ReplayServer, archive_dir: Path
) -> None:
    article = ingest(f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[0].slug}.html", archive_dir)
    request = request_create(user=users["evn_staff"], data=data(tree, article), now=SENT)
    assert requests_check_due(now=SENT + dt.timedelta(hours=1)) == {"unchanged": 1}
    outlet.stop()
    assert requests_check_due(now=SENT + dt.timedelta(hours=6)) == {"unreachable": 1}
    request.refresh_from_db()
    assert request.outcome == Outcome.UNCHANGED  # the last thing known
    assert request.next_check_at == SENT + dt.timedelta(hours=24)
    assert request.checks.last().http_status is None  # type: ignore[union-attr]


def test_the_request_form_names_the_item_it_was_opened_on(tree: Tree, users: dict[str, User]) -> None:
    article = make_article("Bài về khoản lỗ được nêu sai")
    html = login(users["evn_staff"]).get(reverse("claims:request_new") + f"?article={article.pk}").content.decode()
    assert f"Tin, bài này là: {article.title} · {article.outlet.name}" in html
