"""What cannot be undone is asked first, in Chromium and without script: sending a press review
lists its recipients, issuing a report shows the number it will take, erasing a person says what
goes. Cancelling writes nothing; only the confirming button acts. Each confirmation page is
also looked at on a phone (390 px): nothing may scroll sideways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.digests.models import Digest, DigestProfile
from loa.people.models import Person
from loa.reports.models import Report
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.digests.fixtures import DAY
from tests.factories import Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def on_a_phone(page: Any, name: str) -> None:
    """The page as it is now, at 390 px: saved for a look, and no sideways scrolling."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_sending_a_press_review_lists_the_recipients_first(
    chromium: Any, live_server: Any, smtp: Any, profile: DigestProfile, day_coverage: dict[str, Any], users: Any
) -> None:
    from loa.digests.services import digest_build

    digest = digest_build(profile=profile, day=DAY)
    editor = as_user(chromium, live_server.url, "btg")
    editor.goto(f"{live_server.url}/digests/{digest.pk}/")
    editor.get_by_test_id("send-form").get_by_role("button", name="Gửi").click()

    assert editor.get_by_role("heading", name="Gửi điểm báo?").is_visible()
    assert editor.get_by_test_id("send-recipients").locator("li").all_inner_texts() == [
        "lanh-dao@duk.example.vn",
        "ban-tuyen-giao@duk.example.vn",
    ]
    assert editor.get_by_test_id("send-subject").inner_text() == f"Điểm báo ngày 20/11/2026 – {profile.name}"
    assert editor.get_by_test_id("send-items").inner_text().startswith("2 tin, bài")
    on_a_phone(editor, "confirm-send")

    editor.get_by_role("link", name="Huỷ").click()  # changing one's mind sends nothing
    digest.refresh_from_db()
    assert digest.status == "draft"
    assert smtp.mails == []

    editor.get_by_test_id("send-form").get_by_role("button", name="Gửi").click()
    editor.get_by_test_id("send-confirm").get_by_role("button", name="Gửi ngay").click()
    assert "Điểm báo đang được gửi tới 2 nơi nhận" in editor.content()
    assert editor.get_by_test_id("digest-status").inner_text().startswith("Đã gửi")
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    assert Digest.objects.get().status == "sent"


def test_issuing_a_report_shows_its_number_first(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    from loa.reports.services import letterhead_ensure, letterhead_save, report_issue, report_prepare

    board = letterhead_save(
        user=SYSTEM, letterhead=letterhead_ensure(unit=tree.board), issuer="BAN TUYÊN GIÁO VÀ DÂN VẬN", symbol="BTGDV"
    )
    # The board has issued one report this term already: the next one takes number 2.
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    earlier = report_prepare(user=SYSTEM, unit=tree.bloc, letterhead=board, period=f"{last_month:%Y-%m}")
    report_issue(user=SYSTEM, report=earlier)

    base = live_server.url
    staff = as_user(chromium, base, "btg")
    staff.goto(f"{base}/reports/new/")
    # The period is chosen: kind, year, number; it starts at the month that has just ended.
    assert staff.get_by_label("Loại kỳ").input_value() == "month"
    assert staff.get_by_label("Năm", exact=True).input_value() == str(last_month.year)
    assert staff.get_by_label("Số thứ tự").input_value() == str(last_month.month)
    staff.get_by_label("Loại kỳ").select_option(label="Quý")
    staff.get_by_label("Số thứ tự").select_option("5")
    staff.get_by_role("button", name="Lưu").click()
    assert "Quý được đánh số từ 1 đến 4." in staff.content()
    assert staff.get_by_label("Loại kỳ").input_value() == "quarter"  # the choice is kept to correct
    on_a_phone(staff, "report-period")
    quarter = (last_month.month - 1) // 3 + 1
    staff.get_by_label("Số thứ tự").select_option(str(quarter))
    staff.get_by_role("button", name="Lưu").click()
    staff.wait_for_url(f"{base}/reports/*/")
    report = Report.objects.exclude(pk=earlier.pk).get()
    assert report.kind == "quarter"
    assert report.label.startswith("quý ")

    leader = as_user(chromium, base, "quantri")
    leader.goto(f"{base}/reports/{report.pk}/")
    leader.get_by_role("button", name="Ban hành, cấp số").click()
    assert leader.get_by_test_id("issue-number").inner_text() == "Số 2-BC/BTGDV"
    on_a_phone(leader, "confirm-issue")
    leader.get_by_role("link", name="Huỷ").click()
    report.refresh_from_db()
    assert report.status == "draft"

    leader.get_by_role("button", name="Ban hành, cấp số").click()
    leader.get_by_test_id("issue-confirm").get_by_role("button", name="Ban hành, số 2-BC/BTGDV").click()
    assert leader.get_by_test_id("report-symbol").inner_text() == "2-BC/BTGDV"
    report.refresh_from_db()
    assert (report.status, report.number) == ("issued", 2)


def test_erasing_a_person_says_what_goes_first(chromium: Any, live_server: Any, tree: Tree, users: Any) -> None:
    from loa.people.services import PersonData, person_save

    today = timezone.localdate()
    person = person_save(
        user=SYSTEM,
        person=None,
        data=PersonData(
            unit=tree.evn,
            kind="speaker",
            full_name="Lê Văn Tâm",
            position="Phó Trưởng ban",
            email="tam@example.vn",
            consent_on=today - dt.timedelta(days=30),
            consent_note="Phiếu đồng ý",
        ),
    )
    base = live_server.url
    staff = as_user(chromium, base, "evn.staff")
    staff.goto(f"{base}/people/{person.pk}/")
    staff.get_by_test_id("erase").click()
    erased = staff.get_by_test_id("erase-fields").inner_text()
    assert "Lê Văn Tâm" in erased
    assert "tam@example.vn" in erased
    assert "Phó Trưởng ban" in erased
    on_a_phone(staff, "confirm-erase")
    staff.get_by_role("link", name="Huỷ").click()
    person.refresh_from_db()
    assert person.erased_at is None

    staff.get_by_test_id("erase").click()
    staff.get_by_test_id("erase-confirm").get_by_role("button", name="Xoá vĩnh viễn").click()
    assert "Lê Văn Tâm" not in staff.get_by_test_id("people-table").inner_text()
    person = Person.objects.get(pk=person.pk)
    assert person.erased_at is not None
    assert (person.full_name, person.email) == ("(đã xoá)", "")
