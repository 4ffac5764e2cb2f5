"""An annual evaluation in Chromium: the bloc opens a round with the default 100-point criteria,
a unit assesses itself against the evidence Loa fills in, the bloc appraises, the leadership
changes a grade with a reason, previews the decision (the cap, ranks, commendations) and
confirms it, and the ranking shows the grades, the change and the commendation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.evaluation.models import Evaluation, Round
from loa.evaluation.services import appraise, self_assess
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_points(page: Any, points: list[str]) -> None:
    inputs = page.get_by_test_id("scores").locator("input[name^=points_]")
    assert inputs.count() == len(points)
    for index, value in enumerate(points):
        inputs.nth(index).fill(value)


def test_an_evaluation_runs_from_self_assessment_to_the_ranking(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    bloc = as_user(chromium, base, "btg")
    bloc.get_by_role("link", name="Đánh giá, xếp loại").click()
    bloc.get_by_role("link", name="Đợt đánh giá mới").click()
    bloc.get_by_label("Cấp ủy đánh giá").select_option(label=tree.bloc.name)
    bloc.get_by_label("Tiêu đề").fill("Đánh giá, xếp loại công tác tuyên truyền năm 2026")
    bloc.get_by_label("Khen thưởng").fill("Giấy khen của Ban Thường vụ Đảng ủy Khối")
    titles = bloc.get_by_test_id("criteria-form").locator("input[name$=-title]")
    assert titles.nth(5).input_value().startswith("Xử lý kịp thời khủng hoảng truyền thông")
    bloc.get_by_role("button", name="Mở đợt đánh giá").click()
    assert "chờ tự đánh giá" in bloc.get_by_test_id("ranking").inner_text()
    round_ = Round.objects.get()

    # EVN assesses itself; the evidence column comes from Loa's records (no task yet: all on time).
    evn = as_user(chromium, base, "evn.staff")
    evn.goto(f"{base}/evaluation/")
    evn.get_by_test_id("evaluations").get_by_role("link", name=tree.evn.short_name).click()
    assert "0/0 nhiệm vụ xong đúng hạn" in evn.get_by_test_id("scores").inner_text()
    fill_points(evn, ["19", "25", "14", "9", "9", "10", "9"])
    evn.get_by_label("Tự đánh giá").fill("Hoàn thành các nhiệm vụ được giao.")
    evn.get_by_role("button", name="Gửi bản tự đánh giá").click()
    assert evn.get_by_test_id("self-points").inner_text() == "95"

    pvn = Evaluation.objects.get(unit=tree.pvn)
    points = {score.pk: score.criterion.max_points * Decimal("0.8") for score in pvn.scores.select_related("criterion")}
    self_assess(user=SYSTEM, evaluation=pvn, points=points, tasks_exceeded=0, comment="")
    appraise(
        user=SYSTEM,
        evaluation=pvn,
        points=points,
        tasks_exceeded=0,
        disciplined_subordinate=False,
        shortcomings_fixed=True,
        disqualified=False,
        comment="",
    )

    # The bloc appraises EVN: one criterion marked down, still excellent.
    bloc.goto(f"{base}/evaluation/rounds/{round_.pk}/")
    bloc.get_by_test_id("ranking").get_by_role("link", name=tree.evn.short_name).click()
    fill_points(bloc, ["18", "25", "14", "9", "9", "10", "9"])
    bloc.get_by_label("Thẩm định").fill("Đồng ý với bản tự đánh giá, trừ 1 điểm tiêu chí 1.")
    bloc.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert bloc.get_by_test_id("points").inner_text() == "94"
    assert bloc.get_by_test_id("proposed").inner_text() == "Hoàn thành xuất sắc nhiệm vụ"
    assert bloc.get_by_test_id("decide").count() == 0  # staff appraise, leaders decide

    # The leadership raises PVN's grade by judgment, with a reason; the ranking shows it.
    leader = as_user(chromium, base, "quantri")
    leader.goto(f"{base}/evaluation/{pvn.pk}/")
    assert leader.get_by_test_id("proposed").inner_text() == "Hoàn thành tốt nhiệm vụ"
    leader.get_by_label("Mức xếp loại điều chỉnh").select_option(label="Hoàn thành xuất sắc nhiệm vụ")
    leader.get_by_label("Lý do điều chỉnh").fill("Đạt giải Nhất giải báo chí về xây dựng Đảng")
    leader.get_by_role("button", name="Điều chỉnh mức xếp loại").click()
    assert "Đạt giải Nhất giải báo chí" in leader.get_by_test_id("changed-grade").inner_text()
    assert "Đạt giải Nhất giải báo chí" in leader.get_by_test_id("grade-changes").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    leader.screenshot(path=str(ARTIFACTS / "evaluation-grade-change.png"), full_page=True)
    leader.goto(f"{base}/evaluation/rounds/{round_.pk}/")
    assert "Đạt giải Nhất giải báo chí" in leader.get_by_test_id(f"change-{tree.pvn.short_name}").inner_text()

    # Deciding shows the preview first: the cap leaves one "excellent" of two, kept by EVN's points.
    leader.get_by_test_id("decide").click()
    assert "không thể hoàn tác" in leader.get_by_test_id("irreversible").inner_text()
    assert leader.get_by_test_id("capped").inner_text() == f"{tree.pvn.short_name} (80)"
    assert tree.evn.short_name in leader.get_by_test_id("commended").inner_text()
    preview = leader.get_by_test_id(f"preview-{tree.pvn.short_name}").inner_text()
    assert preview.startswith("2\t")
    assert "Đạt giải Nhất giải báo chí" in preview
    leader.screenshot(path=str(ARTIFACTS / "evaluation-decision-preview.png"), full_page=True)
    leader.set_viewport_size({"width": 390, "height": 844})
    leader.screenshot(path=str(ARTIFACTS / "evaluation-decision-preview-390.png"), full_page=True)
    assert leader.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls in its box
    leader.set_viewport_size({"width": 1280, "height": 900})
    assert Round.objects.get().decided_at is None  # the preview writes nothing
    leader.get_by_role("button", name="Xác nhận và quyết định xếp loại").click()
    assert leader.get_by_test_id("decided").inner_text() != "—"
    first = leader.get_by_test_id(f"rank-{tree.evn.short_name}").inner_text()
    assert first.startswith("1\t")
    assert "Hoàn thành xuất sắc nhiệm vụ" in first
    assert "Giấy khen của Ban Thường vụ Đảng ủy Khối" in first
    second = leader.get_by_test_id(f"rank-{tree.pvn.short_name}").inner_text()
    assert second.startswith("2\t")
    assert "Hoàn thành tốt nhiệm vụ" in second
    assert "Đạt giải Nhất giải báo chí" in second
    leader.screenshot(path=str(ARTIFACTS / "evaluation-ranking.png"), full_page=True)

    # The unit sees its own grade and commendation, not the other unit's.
    evn.goto(f"{base}/evaluation/rounds/{round_.pk}/")
    assert tree.pvn.short_name not in evn.get_by_test_id("ranking").inner_text()
    evn.get_by_test_id("ranking").get_by_role("link", name=tree.evn.short_name).click()
    assert evn.get_by_test_id("grade").inner_text().startswith("Hoàn thành xuất sắc nhiệm vụ")
    assert "Giấy khen" in evn.get_by_test_id("commendation").inner_text()
