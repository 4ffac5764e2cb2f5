"""An alert run to its closing review in Chromium: the unit's staff open an incident on a
playbook, work its steps and draft a statement; a colleague reviews it, the leader
approves it, staff publish it and close the incident with the review's figures."""

from __future__ import annotations

from typing import Any

import pytest

from loa.accounts.models import User
from loa.alerts.models import Alert
from loa.alerts.services import alerts_evaluate_articles, rule_save
from loa.analysis.models import Organisation
from loa.incidents.models import Incident
from tests.browser.test_scope import ARTIFACTS, log_in
from tests.factories import coverage, make_playbook, make_spokesperson, unit_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(chromium: Any, base: str, username: str) -> Any:
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, base, username)
    return page


def test_an_alert_is_run_to_its_closing_review(
    chromium: Any, live_server: Any, evn: Organisation, users: dict[str, User]
) -> None:
    base = live_server.url
    rule_save(name="EVN tiêu cực", unit=unit_of(evn), kind="negative_prominent", organisation=evn, max_tier=2)
    playbook = make_playbook("Thông tin sai sự thật về doanh nghiệp", first_response_hours=4)
    make_spokesperson(unit_of(evn), "Trần Văn Hùng", channels=("release", "website"))
    article = coverage(title="EVN bị phản ánh tăng tiền điện bất thường")
    (alert,) = alerts_evaluate_articles(article_ids=[article.pk])

    staff = as_user(chromium, base, "evn.staff")
    staff.get_by_role("link", name="Cảnh báo", exact=True).click()
    staff.get_by_role("link", name=alert.title).click()
    staff.get_by_label("Kịch bản").select_option(label=playbook.name)
    staff.get_by_test_id("open-incident").get_by_role("button").click()
    staff.wait_for_url(f"{base}/incidents/*/")
    incident = Incident.objects.get()
    assert staff.get_by_test_id("incident-status").inner_text() == "Đang mở"
    assert staff.get_by_test_id("step-table").locator("tbody tr").count() == 3
    assert article.title in staff.get_by_test_id("timeline").inner_text()
    assert Alert.objects.get(pk=alert.pk).status == "acknowledged"

    # First step done; a statement drafted.
    staff.get_by_test_id("step-table").get_by_role("button", name="Đánh dấu xong").first.click()
    assert "Hoàn thành: " in staff.get_by_test_id("timeline").inner_text()
    staff.get_by_role("link", name="Soạn thông cáo").click()
    staff.get_by_label("Tiêu đề").fill("EVN thông tin về hóa đơn tiền điện tháng 11")
    staff.get_by_label("Nội dung").fill("Tập đoàn Điện lực Việt Nam khẳng định giá điện không thay đổi.")
    staff.get_by_label("Kênh", exact=True).select_option(label="Thông cáo, trả lời bằng văn bản")
    staff.get_by_label("Người phát ngôn").select_option(index=0)
    staff.get_by_role("button", name="Lưu dự thảo").click()
    statement = incident.statements.get()
    card = staff.get_by_test_id(f"statement-{statement.pk}")
    assert card.get_by_test_id("statement-status").inner_text() == "Dự thảo"
    # The author may not review their own text: the card says who must act, and offers no button.
    assert (
        card.get_by_test_id("statement-next").inner_text()
        == "Bước tiếp theo: Chờ người khác rà soát — tác giả không được tự rà soát."
    )
    assert card.get_by_role("button", name="Xác nhận đã rà soát").count() == 0

    reviewer = as_user(chromium, base, "btg")
    reviewer.goto(f"{base}/incidents/{incident.pk}/")
    reviewer.get_by_test_id(f"statement-{statement.pk}").get_by_role("button", name="Xác nhận đã rà soát").click()
    assert (
        reviewer.get_by_test_id(f"statement-{statement.pk}").get_by_test_id("statement-status").inner_text()
        == "Đã rà soát"
    )
    next_step = reviewer.get_by_test_id(f"statement-{statement.pk}").get_by_test_id("statement-next").inner_text()
    assert next_step.startswith("Bước tiếp theo: Chờ lãnh đạo Đảng ủy Tập đoàn Điện lực duyệt")

    leader = as_user(chromium, base, "evn.leader")
    leader.goto(f"{base}/incidents/{incident.pk}/")
    leader.get_by_test_id(f"statement-{statement.pk}").get_by_role("button", name="Duyệt").click()
    assert (
        leader.get_by_test_id(f"statement-{statement.pk}").get_by_test_id("statement-status").inner_text() == "Đã duyệt"
    )

    staff.reload()
    card = staff.get_by_test_id(f"statement-{statement.pk}")
    card.get_by_label("Nơi đăng tải").fill("https://evn.example.vn/thong-cao/11")
    card.get_by_role("button", name="Xác nhận đã đăng").click()
    assert staff.get_by_test_id("incident-status").inner_text() == "Đang xử lý"

    staff.get_by_role("link", name="Đóng và đánh giá").click()
    assert staff.get_by_test_id("first-response").inner_text().endswith("đúng hạn")
    staff.get_by_label("Bài học kinh nghiệm").fill("Phản hồi trong hạn; cần chuẩn bị sẵn số liệu hóa đơn.")
    staff.get_by_role("button", name="Đóng sự cố").click()
    staff.wait_for_url(f"{base}/incidents/{incident.pk}/")
    assert staff.get_by_test_id("incident-status").inner_text() == "Đã đóng"
    assert "Đánh giá khi đóng" in staff.content()
    assert "đúng hạn" in staff.get_by_test_id("first-response").inner_text()
    rows = staff.get_by_test_id("coverage-review").locator("tbody tr").all_inner_texts()
    assert rows[0].startswith("7 ngày trước khi mở sự cố")
    assert rows[0].split("\t")[2] == "1"  # the article that raised the alert
    assert "Phản hồi trong hạn" in staff.get_by_test_id("lessons").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff.screenshot(path=str(ARTIFACTS / "incident-closed.png"), full_page=True)

    incident.refresh_from_db()
    assert incident.review["first_response_on_time"] is True
    assert incident.alert is not None
    assert incident.alert.status == "closed"
    # Nothing left to do on a closed incident.
    assert staff.get_by_role("link", name="Soạn thông cáo").count() == 0
