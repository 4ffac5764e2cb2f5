"""Coverage analytics in Chromium: two organisations compared draw two series, under the strict
CSP, and the CSV the page exports holds the rows of the table under the chart."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loa.accounts.models import User
from loa.analysis.services import articles_analyse
from tests.browser.test_incident import as_user
from tests.browser.test_scope import ARTIFACTS
from tests.factories import Tree, make_article
from tests.factories.analysis import entity_set, make_evn, make_pvn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _covered(title: str, day: str, tone: str) -> None:
    when = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=VN)
    article = make_article(title=title, published_at=when, body=f"{title}. Phóng viên ghi nhận.")
    articles_analyse(articles=[article])
    entity_set(article, salience=None, tone=tone)


def test_two_organisations_compared_and_exported(
    chromium: Any, live_server: Any, tree: Tree, users: dict[str, User]
) -> None:
    base = live_server.url
    make_evn(tree.evn)
    make_pvn(tree.pvn)
    _covered("EVN tăng giá điện", "2025-03-03", "negative")
    _covered("EVN khánh thành nhà máy điện", "2025-03-05", "positive")
    _covered("PVN ký hợp đồng khí", "2025-03-05", "neutral")
    _covered("PVN khởi công đường ống", "2025-03-06", "positive")

    page = as_user(chromium, base, "btg")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(f"{base}/analytics/")
    form = page.get_by_test_id("coverage-form")
    form.locator("select[name=s1]").select_option(label="EVN")
    form.locator("select[name=s2]").select_option(label="PVN")
    form.locator("input[name=start]").fill("01/03/2025")
    form.locator("input[name=end]").fill("10/03/2025")
    form.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()

    figure = page.get_by_test_id("figure-volume")
    labels = page.wait_for_function(
        "() => { const c = Chart.getChart(document.querySelector('canvas[data-chart=chart-volume]'));"
        " return c && c.data.datasets.map(d => d.label); }"
    ).json_value()
    assert labels == ["EVN", "PVN"]
    assert problems == []  # no script refused by the Content-Security-Policy

    table = figure.get_by_test_id("table-volume")
    shown = [[cell.inner_text().strip() for cell in row.locator("th, td").all()] for row in table.locator("tr").all()]
    assert shown[0] == ["Ngày", "EVN", "PVN"]
    assert len(shown) == 11  # ten days, the empty ones included
    assert shown[3] == ["03/03/2025", "1", "0"]

    with page.expect_download() as download:
        figure.get_by_test_id("export-volume-csv").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == shown

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analytics-compare.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    page.screenshot(path=str(ARTIFACTS / "analytics-compare-phone.png"), full_page=True)
