"""A study plan in Chromium: a unit declares its audiences, the bloc lays out the sessions for a
resolution (each group of each unit in exactly one session at its level), a grassroots committee
records its session and a make-up, and the completion per unit follows."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.study.models import SessionUnit, StudyPlan
from loa.study.services import audiences_save
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resolution_is_studied_by_every_group_once(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    today = timezone.localdate()
    audiences_save(user=SYSTEM, unit=tree.evn, headcounts={"key_cadres": 12})
    audiences_save(user=SYSTEM, unit=tree.pvn, headcounts={"key_cadres": 10})
    audiences_save(user=SYSTEM, unit=tree.pvn_a, headcounts={"members": 60})

    # The grassroots committee declares its audiences: headcounts, no names.
    evna = as_user(chromium, base, "evna.staff")
    evna.get_by_role("link", name="Học tập, quán triệt").click()
    evna.get_by_role("link", name="Đối tượng học tập theo đơn vị").click()
    evna.get_by_test_id("audiences").get_by_role("link", name="Sửa").click()
    evna.get_by_label("Cán bộ chủ chốt").fill("9")
    evna.get_by_label("đảng viên", exact=True).fill("40")
    evna.get_by_role("button", name="Lưu").click()
    assert "40" in evna.get_by_test_id("audiences").inner_text()

    bloc = as_user(chromium, base, "btg")
    bloc.goto(f"{base}/study/new/")
    bloc.get_by_label("Văn bản học tập").fill("Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng")
    bloc.get_by_label("Đơn vị tổ chức").select_option(label=tree.bloc.name)
    bloc.get_by_label("Hoàn thành trước").fill(today.strftime("%d/%m/%Y"))
    bloc.get_by_role("button", name="Lưu").click()
    bloc.get_by_test_id("generate").click()
    sessions = bloc.get_by_test_id("sessions").inner_text()
    assert "Đảng ủy Khối" in sessions and "cán bộ chủ chốt" in sessions  # noqa: PT018
    plan = StudyPlan.objects.get()
    rows = [(row.unit_id, row.session.group) for row in SessionUnit.objects.filter(session__plan=plan)]
    assert len(rows) == len(set(rows)) == 5  # every (unit, group) once
    key_cadres = plan.sessions.get(group="key_cadres")
    assert {row.unit_id for row in key_cadres.attendees.all()} == {tree.evn.pk, tree.evn_a.pk, tree.pvn.pk}

    # The grassroots committee holds its members' session: 30 of 40 came; a make-up for the others.
    evna.goto(f"{base}/study/{plan.pk}/")
    assert "Đảng ủy Tổng công ty Khí" not in evna.get_by_test_id("sessions").inner_text()
    evna.get_by_test_id("sessions").get_by_role("row", name="đảng viên").get_by_role("link").click()
    evna.get_by_label("Ngày tổ chức").fill(today.isoformat())
    evna.get_by_label(f"Tham dự {tree.evn_a.short_name}").fill("30")
    evna.get_by_label(f"Bài thu hoạch {tree.evn_a.short_name}").fill("28")
    evna.get_by_role("button", name="Ghi nhận tham dự").click()
    evna.get_by_test_id("makeup").click()
    assert "10" in evna.get_by_test_id("attendees").inner_text()
    evna.get_by_label("Ngày tổ chức").fill(today.isoformat())
    evna.get_by_label(f"Tham dự {tree.evn_a.short_name}").fill("8")
    evna.get_by_label(f"Bài thu hoạch {tree.evn_a.short_name}").fill("8")
    evna.get_by_role("button", name="Ghi nhận tham dự").click()
    evna.get_by_role("link", name="Về kế hoạch").click()
    completion = evna.get_by_test_id("completion").locator("tbody tr").first.inner_text().split("\t")
    assert completion[1:] == ["49", "38", "78%", "36"]  # 9 key cadres + 40 members expected
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    evna.screenshot(path=str(ARTIFACTS / "study-plan.png"), full_page=True)
