"""The pipeline's counters are shown with human names of stages, outcomes and reasons, in
Vietnamese and English, never their codes ("discover kept new", "not_modified")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import loa
from loa.accounts.models import User
from loa.pipeline.outcomes import Outcome, Stage
from loa.sources.labels import REASONS, outcome_label, reason_label, stage_label
from loa.sources.models import Outlet, Source
from loa.sources.services import counts_add
from tests.conftest import login

PACKAGE = Path(loa.__file__).resolve().parent


def test_every_stage_outcome_and_reason_has_a_name_in_both_languages() -> None:
    for language in ("vi", "en"):
        with translation.override(language):
            for stage in Stage:
                assert stage_label(stage) != stage.value
            for outcome in Outcome:
                assert outcome_label(outcome) != outcome.value
            for reason in REASONS:
                assert "_" not in reason_label(reason)
    with translation.override("vi"):
        assert reason_label("http_404") == "Lỗi HTTP 404"
        assert reason_label("") == "—"


def test_every_reason_the_code_counts_has_a_name() -> None:
    """A reason added to the pipeline without a name fails here rather than showing its code."""
    pattern = re.compile(r'(?:discard|quarantine|retry)\(\s*"([a-z_]+)"|reason="([a-z_]+)"')
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    assert found, "the pattern no longer finds the pipeline's reasons"
    assert found - set(REASONS) == set()


@pytest.mark.django_db
def test_the_source_page_names_its_counters(users: dict[str, User]) -> None:
    outlet = Outlet.objects.create(name="Báo", domain="bao.vn")
    source = Source.objects.create(outlet=outlet, name="Tin mới", url="https://bao.vn/rss")
    counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.KEPT, reason="new", n=5)
    counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.NOT_MODIFIED)
    counts_add(source=source, stage=Stage.FETCH, outcome=Outcome.DISCARDED, reason="http_404")
    page = login(users["admin"]).get(reverse("sources:detail", args=[source.pk])).content.decode()
    table = page.split('data-testid="counter-table"')[1].split("</table>")[0]
    for code in ("discover", "kept", "not_modified", "http_404", ">new<", "fetch", "discarded"):
        assert code not in table
    assert "Phát hiện liên kết" in table
    assert "Liên kết mới" in table
    assert "Lỗi HTTP 404" in table
