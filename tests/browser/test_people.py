"""The roster and training in Chromium: a unit's staff put a speaker on the roster with consent,
run a course, record attendance and issue certificates; another unit cannot see the person; the
person's data is handed over and then erased on request, the training still counted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from loa.accounts.models import User
from loa.people.models import Person
from loa.people.selectors import training_figures
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_speaker_is_trained_certified_and_erased_on_request(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    today = timezone.localdate()
    evn = as_user(chromium, base, "evn.staff")
    evn.get_by_role("link", name="Báo cáo viên, cộng tác viên").click()
    evn.get_by_role("link", name="Thêm người").click()
    evn.get_by_label("Đơn vị").select_option(label=tree.evn_a.name)
    evn.get_by_label("Vai trò").select_option(label="báo cáo viên")
    evn.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    evn.get_by_label("Chức vụ").fill("Phó Bí thư Đảng ủy")
    evn.get_by_label("Lĩnh vực").fill("năng lượng, chuyển đổi số")
    consent = today - dt.timedelta(days=3)
    evn.get_by_label("Ngày đồng ý").fill(consent.strftime("%d/%m/%Y"))
    evn.get_by_label("Sự đồng ý").fill("Phiếu đồng ý ký ngày nhận nhiệm vụ")
    evn.get_by_role("button", name="Lưu").click()
    # Five years after the consent, in the consent's year (it differs from today's in the first
    # days of January); a consent of 29 February is kept until 28 February.
    retain = consent.replace(year=consent.year + 5, day=min(consent.day, 28) if consent.month == 2 else consent.day)
    assert evn.get_by_test_id("retain-until").inner_text() == retain.strftime("%d/%m/%Y")

    evn.goto(f"{base}/people/courses/new/")
    evn.get_by_label("Tiêu đề").fill("Bồi dưỡng báo cáo viên năm 2026")
    evn.get_by_label("Đơn vị tổ chức").select_option(label=tree.evn.name)
    evn.get_by_label("Từ").fill((today - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
    evn.get_by_label("Đến").fill((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    evn.get_by_label("Địa điểm").fill("Hội trường tầng 5")
    evn.get_by_role("button", name="Lưu").click()
    evn.get_by_label("Nguyễn Thị Hoa").check()
    evn.get_by_role("button", name="Ghi danh").click()
    evn.get_by_test_id("enrolment-table").get_by_label("Tham dự").check()
    evn.get_by_role("button", name="Ghi nhận tham dự").click()
    evn.get_by_role("button", name="Cấp giấy chứng nhận").click()
    certificate = f"1/{(today - dt.timedelta(days=1)).year}/GCN-ĐU"
    assert certificate in evn.get_by_test_id("enrolment-table").inner_text()
    evn.get_by_test_id("enrolment-table").get_by_role("link", name="Nguyễn Thị Hoa").click()
    assert certificate in evn.get_by_test_id("person-courses").inner_text()
    person = Person.objects.get(full_name="Nguyễn Thị Hoa")

    # Another unit does not see the person, and the look was not logged as theirs.
    pvn = as_user(chromium, base, "pvn.staff")
    assert pvn.goto(f"{base}/people/{person.pk}/").status == 404
    looks = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.ACCESS)
    assert {entry.actor.username for entry in looks if entry.actor} == {"evn.staff"}

    # The person asks for their data, then for erasure.
    with evn.expect_download() as download:
        evn.get_by_role("link", name="Dữ liệu đang lưu (cung cấp cho chủ thể)").click()
    sheet = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert sheet["full_name"] == "Nguyễn Thị Hoa"
    assert sheet["courses"][0]["certificate"] == certificate
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    evn.screenshot(path=str(ARTIFACTS / "people-person.png"), full_page=True)
    evn.get_by_test_id("erase").click()
    assert "Nguyễn Thị Hoa" in evn.get_by_test_id("erase-fields").inner_text()  # asked first
    evn.get_by_test_id("erase-confirm").get_by_role("button", name="Xoá vĩnh viễn").click()
    assert "Nguyễn Thị Hoa" not in evn.get_by_test_id("people-table").inner_text()
    person.refresh_from_db()
    assert (person.full_name, person.position, person.expertise) == ("(đã xoá)", "", "")
    figures = training_figures(unit=tree.evn, first=today - dt.timedelta(days=30), last=today)
    assert (figures.trained, figures.certificates) == (1, 1)
