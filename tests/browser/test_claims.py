"""A false claim followed in Chromium from its registration to the verified removal of an item
that repeats it: the unit's staff register the claim with its rule and examples; an article of a
replay outlet that says it in other words is matched; staff confirm it, record the removal
request sent to the outlet; the outlet takes the article down, and Loa's scheduled checks mark
it removed, then close the request once a second check agrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from loa.accounts.models import User
from loa.articles.hooks import articles_stored
from loa.claims.models import Claim, ClaimMatch, ContentRequest, MatchStatus, MatchVia, Outcome
from loa.claims.services_requests import requests_check_due
from loa.devtools.replay import VIETNAM, ReplayServer, build_corpus
from tests.browser.test_incident import as_user
from tests.claims.test_requests import ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Invented for the test: a post that repeats the claim in words of its own.
ARTICLE = {
    "id": 9301,
    "title": "Tiền điện tăng vì lãi khủng mà vẫn đòi tăng giá?",
    "text": "\n".join(
        [
            "Một trang mạng cho rằng Tập đoàn Điện lực Việt Nam vừa công bố lợi nhuận kỷ lục nhưng vẫn tiếp tục "
            "nâng giá bán lẻ điện, để người tiêu dùng gánh chịu toàn bộ chi phí.",
            "Bài viết không dẫn nguồn số liệu và không nhắc tới khoản lỗ lũy kế của những năm trước.",
            "Theo biểu giá hiện hành, giá bán lẻ điện bình quân do Bộ Công Thương quyết định theo quy định.",
        ]
    ),
}
EXAMPLES = (
    "EVN lãi lớn nhưng vẫn tăng giá điện, người dân phải gánh thêm tiền điện.\n\n"
    "Tập đoàn Điện lực báo lãi hàng nghìn tỷ đồng mà giá điện vẫn tăng, mọi chi phí đổ lên đầu người tiêu dùng."
)


@pytest.fixture
def outlet() -> Iterator[ReplayServer]:
    corpus = build_corpus([ARTICLE], outlets=1, now=dt.datetime.now(VIETNAM), syndicate_share=0)
    with ReplayServer(corpus) as server:
        yield server


def test_a_claim_is_followed_from_registration_to_a_verified_removal(
    chromium: Any, live_server: Any, users: dict[str, User], outlet: ReplayServer, tmp_path: Path, settings: Any
) -> None:
    settings.LOA_ARCHIVE_DIR = tmp_path / "archive"
    base = live_server.url
    staff = as_user(chromium, base, "evn.staff")

    # Registration: what it says, why it is false, its rule and two examples.
    staff.goto(f"{base}/claims/")
    staff.get_by_role("link", name="Đăng ký luận điệu").click()
    staff.fill("#id_title", "EVN lãi lớn vẫn tăng giá điện")
    staff.fill("#id_statement", "Tập đoàn Điện lực Việt Nam lãi lớn nhưng vẫn tăng giá điện, đẩy gánh nặng lên dân.")
    staff.fill("#id_why_false", "Giá bán lẻ điện do Nhà nước quyết định; EVN còn lỗ lũy kế của các năm trước.")
    staff.fill("#id_query", '"giá điện" AND (lãi OR "lợi nhuận")')
    staff.fill("#id_examples", EXAMPLES)
    staff.get_by_role("button", name="Lưu").click()
    staff.wait_for_url(f"{base}/claims/*/")
    claim = Claim.objects.get()
    assert staff.get_by_test_id("claim-status").inner_text() == "Đang theo dõi"
    assert claim.examples.count() == 2

    # New coverage arrives from the outlet and goes through the after-store steps.
    url = f"{outlet.base(0)}/bai-viet/{outlet.corpus.articles[0].slug}.html"
    article = ingest(url, Path(settings.LOA_ARCHIVE_DIR))
    articles_stored(article_ids=[article.pk])
    match = ClaimMatch.objects.get(claim=claim, article=article)
    # Found by its likeness to the examples: the rule's phrase "giá điện" is not in the article.
    assert match.via == MatchVia.SIMILARITY
    staff.reload()
    row = staff.get_by_test_id("match-table").locator("tr", has_text=article.title)
    row.get_by_role("button", name="Xác nhận").click()
    staff.wait_for_url(f"{base}/claims/{claim.pk}/")
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED

    # The removal request sent to the outlet, recorded from the claim's page.
    staff.get_by_test_id("claim-requests").get_by_role("link", name="Thêm đề nghị").click()
    sent = timezone.localtime() - dt.timedelta(minutes=10)
    staff.fill("#id_article", str(article.pk))
    staff.select_option("#id_kind", "removal")
    staff.select_option("#id_addressee_kind", "outlet")
    staff.fill("#id_addressee", "Tòa soạn trang tin")
    staff.fill("#id_text_sent", "Đề nghị gỡ bỏ bài viết có nội dung sai sự thật về giá điện.")
    staff.fill("#id_sent_on", sent.strftime("%d/%m/%Y"))
    staff.fill("#id_sent_time", sent.strftime("%H:%M"))
    staff.fill("#id_deadline", (sent.date() + dt.timedelta(days=7)).strftime("%d/%m/%Y"))
    staff.get_by_role("button", name="Lưu").click()
    staff.wait_for_url(f"{base}/claims/requests/*/")
    request = ContentRequest.objects.get()
    assert request.claim == claim
    assert staff.get_by_test_id("outcome").inner_text() == "Chưa kiểm tra"
    assert request.original_sha256 in staff.get_by_test_id("capture").inner_text()

    # The outlet takes the article down; the check due an hour after sending finds it gone.
    outlet.gone(url)
    assert requests_check_due(now=request.sent_at + dt.timedelta(hours=1, minutes=1)) == {"removed": 1}
    staff.reload()
    assert staff.get_by_test_id("outcome").inner_text() == "Đã gỡ"
    assert "410" in staff.get_by_test_id("checks").inner_text()

    # A second check a day later agrees: the removal is verified and the request closes itself.
    request.refresh_from_db()
    assert request.next_check_at is not None
    assert requests_check_due(now=request.next_check_at) == {"removed": 1}
    request.refresh_from_db()
    assert request.outcome == Outcome.REMOVED
    assert request.closed_at is not None
    staff.goto(f"{base}/claims/{claim.pk}/")
    panel = staff.get_by_test_id("claim-requests")
    assert "Đã gỡ" in panel.inner_text()

    # The evidence copy downloads as a PDF.
    evidence = staff.request.get(f"{base}/claims/requests/{request.pk}/evidence.pdf")
    assert evidence.ok
    assert evidence.headers["content-type"] == "application/pdf"
    assert evidence.body().startswith(b"%PDF")
