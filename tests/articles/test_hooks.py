"""The after-store pipeline: steps registered by the modules above articles, run in order,
each isolated from the others' failures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from loa.articles import hooks
from loa.sources.models import Outlet

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_STEPS", {})


def test_the_modules_register_analysis_then_alerts_then_incident_timelines_then_claims() -> None:
    assert hooks.registered() == ["analyse", "evaluate alerts", "attach coverage to open incidents", "match claims"]


@pytest.mark.usefixtures("empty_registry")
def test_steps_run_by_their_order_not_by_registration() -> None:
    ran: list[tuple[str, list[int]]] = []
    hooks.register("late", order=30, step=lambda ids: ran.append(("late", list(ids))))
    hooks.register("early", order=10, step=lambda ids: ran.append(("early", list(ids))))
    hooks.register("middle", order=20, step=lambda ids: ran.append(("middle", list(ids))))
    outcome = hooks.articles_stored(article_ids=(3, 1))
    assert ran == [("early", [3, 1]), ("middle", [3, 1]), ("late", [3, 1])]
    assert (outcome.ok, outcome.failed) == (3, 0)
    assert [s.name for s in outcome.steps] == ["early", "middle", "late"]


@pytest.mark.usefixtures("empty_registry")
def test_a_failing_step_is_counted_rolled_back_alone_and_the_next_still_runs(caplog: Any) -> None:
    def first(ids: Sequence[int]) -> None:
        Outlet.objects.create(name="Kept", domain="kept.vn")

    def broken(ids: Sequence[int]) -> None:
        Outlet.objects.create(name="Undone", domain="undone.vn")
        raise RuntimeError("hỏng")

    def after(ids: Sequence[int]) -> None:
        Outlet.objects.create(name="After", domain="after.vn")

    hooks.register("first", order=1, step=first)
    hooks.register("broken", order=2, step=broken)
    hooks.register("after", order=3, step=after)
    outcome = hooks.articles_stored(article_ids=[7])
    assert (outcome.ok, outcome.failed) == (2, 1)
    assert not outcome.succeeded("broken")
    assert outcome.succeeded("first")
    assert outcome.succeeded("after")
    assert set(Outlet.objects.values_list("domain", flat=True)) == {"kept.vn", "after.vn"}
    assert "after-store step broken failed for articles [7]" in caplog.text


@pytest.mark.usefixtures("empty_registry")
def test_a_skipped_step_is_a_warning_and_counts_as_failed(caplog: Any) -> None:
    def skipping(ids: Sequence[int]) -> None:
        raise hooks.StepSkipped("no models installed")

    hooks.register("skipping", order=1, step=skipping)
    outcome = hooks.articles_stored(article_ids=[1])
    assert outcome.failed == 1
    (record,) = caplog.records
    assert record.levelname == "WARNING"
    assert "no models installed" in record.getMessage()
    assert record.exc_info is None


@pytest.mark.usefixtures("empty_registry")
def test_registering_a_name_again_replaces_the_step() -> None:
    ran: list[str] = []
    hooks.register("step", order=1, step=lambda ids: ran.append("old"))
    hooks.register("step", order=1, step=lambda ids: ran.append("new"))
    hooks.articles_stored(article_ids=[1])
    assert ran == ["new"]
    hooks.unregister("step")
    assert hooks.registered() == []
