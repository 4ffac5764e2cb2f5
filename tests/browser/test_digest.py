"""The morning press review edited and sent in Chromium: bloc staff open the day's review,
move the negative story first, drop an item, comment, add an article the build missed, write
the introduction and send it; the leaders' mailbox gets the HTML review as edited."""

from __future__ import annotations

from typing import Any

import pytest

from loa.accounts.models import User
from loa.digests.models import Digest, DigestProfile
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_press_review_is_edited_and_sent(
    chromium: Any,
    live_server: Any,
    smtp: Any,
    profile: DigestProfile,
    day_coverage: dict[str, Any],
    users: dict[str, User],
) -> None:
    base = live_server.url
    editor = as_user(chromium, base, "btg")
    editor.get_by_role("link", name="Điểm báo hằng ngày").click()
    build = editor.get_by_test_id("build-form")
    build.get_by_label("Hồ sơ").select_option(label=profile.name)
    build.get_by_label("Ngày", exact=True).fill("20/11/2026")
    build.get_by_role("button", name="Lập hoặc mở").click()
    editor.wait_for_url(f"{base}/digests/*/")
    digest = Digest.objects.get()
    items = editor.get_by_test_id("digest-item")
    assert items.count() == 2
    assert "EVN tăng giá điện từ hôm nay" in items.nth(0).inner_text()
    assert "vnexpress.net, tuoitre.vn" in items.nth(0).inner_text()

    # Reorder, then drop the positive item, comment on the price story.
    items.nth(1).get_by_role("button", name="Chuyển lên").click()
    assert "EVN hoàn thành đường dây" in editor.get_by_test_id("digest-item").nth(0).inner_text()
    editor.get_by_test_id("digest-item").nth(0).get_by_role("button", name="Bỏ").click()
    assert "đã bỏ" in editor.get_by_test_id("digest-item").nth(0).inner_text()
    price = editor.get_by_test_id("digest-item").nth(1)
    price.get_by_label("Ghi chú").fill("Đề nghị EVN cung cấp thông tin chính thức trong ngày.")
    price.get_by_role("button", name="Lưu ghi chú").click()
    assert editor.get_by_label("Ghi chú").nth(1).input_value().startswith("Đề nghị EVN")

    # An article the build did not pick (published after the window), added by its address.
    add = editor.get_by_test_id("add-form")
    add.get_by_label("Bài").fill(day_coverage["after"].url)
    add.get_by_role("button", name="Thêm").click()
    assert "Đã thêm bài." in editor.content()
    assert "EVN ký hợp đồng mới" in editor.get_by_test_id("digest-section").last.inner_text()

    intro = editor.get_by_test_id("intro-form")
    intro.get_by_label("Lời dẫn của biên tập").fill("Nổi bật: giá điện tăng, dư luận quan tâm hóa đơn tháng 11.")
    intro.get_by_role("button", name="Lưu lời dẫn").click()
    assert "Đã lưu lời dẫn." in editor.content()

    with editor.expect_download() as download:
        editor.get_by_test_id("export-docx").click()
    assert download.value.suggested_filename == "diem-bao-2026-11-20.docx"

    editor.get_by_test_id("send-form").get_by_role("button", name="Gửi").click()
    # Sending is asked first (tests/browser/test_confirmations.py looks at that page closely).
    editor.get_by_test_id("send-confirm").get_by_role("button", name="Gửi ngay").click()
    assert "Điểm báo đang được gửi tới 2 nơi nhận" in editor.content()
    assert editor.get_by_test_id("digest-status").inner_text().startswith("Đã gửi")
    assert editor.get_by_test_id("send-form").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    editor.screenshot(path=str(ARTIFACTS / "digest-sent.png"), full_page=True)

    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    html = smtp.mails[0]["html"]
    assert html.index("EVN tăng giá điện từ hôm nay") < html.index("EVN ký hợp đồng mới")
    assert "EVN hoàn thành đường dây" not in html
    assert "Đề nghị EVN cung cấp thông tin chính thức trong ngày." in html
    assert "Nổi bật: giá điện tăng" in html
    digest.refresh_from_db()
    assert digest.sent_by == users["bloc_staff"]

    # The archive finds it without diacritics, and it reads the same.
    editor.goto(f"{base}/digests/?q=hoa+don+thang+11")
    assert editor.get_by_test_id("digest-table").locator("tbody tr").count() == 1
