"""The coverage page: series compared over time, the tables under the charts and their CSV and
XLSX exports, what a unit's staff may compare, and questions it cannot answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from loa.accounts.models import User
from loa.accounts.services import api_token_create
from loa.analysis.models import Organisation, SavedQuery
from loa.analysis.services import articles_analyse
from loa.articles.models import Article
from tests.conftest import login
from tests.factories import Tree, make_article
from tests.factories.analysis import entity_set, make_evn, make_pvn

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RANGE = {"start": "01/03/2025", "end": "07/03/2025"}


def at(day: str, hour: int = 9) -> dt.datetime:
    """A moment of a fixed Vietnamese day: the page does not depend on when the suite runs."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=VN)


def analysed(title: str, when: dt.datetime, *, tone: str) -> Article:
    article = make_article(title=title, published_at=when, body=f"{title}. Thông tin do phóng viên ghi nhận.")
    articles_analyse(articles=[article])
    entity_set(article, salience=None, tone=tone)
    return article


@pytest.fixture
def organisations(tree: Tree) -> dict[str, Organisation]:
    return {"evn": make_evn(tree.evn), "pvn": make_pvn(tree.pvn)}


@pytest.fixture
def coverage(organisations: dict[str, Organisation]) -> list[Article]:
    return [
        analysed("EVN tăng giá điện", at("2025-03-03"), tone="negative"),
        analysed("EVN khánh thành nhà máy điện mặt trời", at("2025-03-05"), tone="positive"),
        analysed("PVN ký hợp đồng khí", at("2025-03-05"), tone="neutral"),
        make_article("Thời tiết miền Bắc chuyển lạnh", body="Trời rét đậm kéo dài.", published_at=at("2025-03-04")),
    ]


def page(client: Client, **params: Any) -> Any:
    response = client.get("/analytics/", {**RANGE, **params})
    assert response.status_code == 200, response.content[:500]
    return response


def table(response: Any, key: str) -> list[list[str]]:
    figure = {f.key: f for f in response.context["figures"].values()}[key]
    return [[title for title, _n in figure.header], *[[text for text, _n in row] for row in figure.rows]]


def test_two_organisations_side_by_side_every_day_listed(
    users: dict[str, User], organisations: dict[str, Organisation], coverage: list[Article]
) -> None:
    evn, pvn = organisations["evn"], organisations["pvn"]
    response = page(login(users["admin"]), s1=f"org:{evn.pk}", s2=f"org:{pvn.pk}")
    rows = table(response, "volume")
    assert rows[0] == ["Ngày", "EVN", "PVN"]
    assert rows[1:] == [
        ["01/03/2025", "0", "0"],
        ["02/03/2025", "0", "0"],
        ["03/03/2025", "1", "0"],
        ["04/03/2025", "0", "0"],
        ["05/03/2025", "1", "1"],
        ["06/03/2025", "0", "0"],
        ["07/03/2025", "0", "0"],
    ]
    chart = response.context["figures"]["volume"].chart
    assert [d["label"] for d in chart["datasets"]] == ["EVN", "PVN"]
    assert chart["labels"][0] == "01/03"
    voice = table(response, "voice")
    assert voice[1:] == [["EVN", "2", "66,7 %"], ["PVN", "1", "33,3 %"]]
    tone = table(response, "tone")
    assert tone[3][:4] == ["03/03/2025", "1", "0", "0"]
    assert b'data-chart="chart-volume"' in response.content


def test_the_csv_export_holds_the_table_s_rows(
    users: dict[str, User], organisations: dict[str, Organisation], coverage: list[Article]
) -> None:
    evn, pvn = organisations["evn"], organisations["pvn"]
    client = login(users["admin"])
    shown = table(page(client, s1=f"org:{evn.pk}", s2=f"org:{pvn.pk}"), "volume")
    response = client.get("/analytics/", {**RANGE, "s1": f"org:{evn.pk}", "s2": f"org:{pvn.pk}", "export": "volume"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == shown


def test_the_xlsx_export_has_numbers_and_dates(
    users: dict[str, User], organisations: dict[str, Organisation], coverage: list[Article]
) -> None:
    evn = organisations["evn"]
    client = login(users["admin"])
    params = {**RANGE, "s1": f"org:{evn.pk}", "measure": "share", "export": "all", "format": "xlsx"}
    response = client.get("/analytics/", params)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Số bài theo thời gian"
    assert len(book.sheetnames) == 6
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["Ngày", "EVN", "EVN, tỉ lệ trong toàn bộ"]
    third = [c.value for c in sheet[4]]
    assert third[0] == dt.datetime(2025, 3, 3)  # noqa: DTZ001 (a spreadsheet's date has no zone)
    assert third[1] == 1
    # One of the two articles of 3 March names EVN: the share is a number, shown as a percentage.
    assert third[2] == pytest.approx(1.0)
    assert sheet.cell(row=4, column=3).number_format.endswith("%")


def test_a_query_and_a_saved_query_are_series_too(
    users: dict[str, User], organisations: dict[str, Organisation], coverage: list[Article]
) -> None:
    response = page(login(users["admin"]), q1="giá điện", q2="thời tiết")
    rows = table(response, "volume")
    assert rows[0] == ["Ngày", "giá điện", "thời tiết"]
    assert [r[1:] for r in rows[1:]] == [
        ["0", "0"],
        ["0", "0"],
        ["1", "0"],
        ["0", "1"],
        ["0", "0"],
        ["0", "0"],
        ["0", "0"],
    ]


def test_a_unit_s_staff_compare_only_what_they_may_see(
    users: dict[str, User], tree: Tree, organisations: dict[str, Organisation], coverage: list[Article]
) -> None:
    """Monitored organisations are read bloc-wide (published coverage); a saved query is its unit's."""
    ours = SavedQuery.objects.create(name="Giá điện", query="giá điện", unit=tree.evn)
    theirs = SavedQuery.objects.create(name="Hợp đồng khí", query="hợp đồng khí", unit=tree.pvn)
    client = login(users["evn_staff"])
    assert table(page(client, s1=f"query:{ours.pk}"), "volume")[0] == ["Ngày", "Giá điện"]
    refused = page(client, s1=f"query:{ours.pk}", s2=f"query:{theirs.pk}")
    assert refused.context["form"].errors["s2"]
    assert not refused.context["figures"]
    assert "Hợp đồng khí" not in refused.content.decode()  # not offered, not drawn
    assert table(page(login(users["pvn_staff"]), s1=f"query:{theirs.pk}"), "volume")[0] == ["Ngày", "Hợp đồng khí"]


def test_a_bad_query_is_explained(users: dict[str, User], coverage: list[Article]) -> None:
    response = page(login(users["admin"]), q1="(giá điện")
    assert response.context["error"]
    assert not response.context["figures"]
    assert b"coverage-error" in response.content


def test_coverage_weighed_by_engagement(
    users: dict[str, User], organisations: dict[str, Organisation], coverage: list[Article]
) -> None:
    """Each post counts the interactions it drew as last observed; the press, with none, counts 0."""
    from loa.articles.models import Engagement

    evn_post = coverage[1]
    Engagement.objects.create(article=evn_post, observed_at=at("2025-03-05", 10), reactions=10, comments=2, shares=1)
    Engagement.objects.create(article=evn_post, observed_at=at("2025-03-06", 10), reactions=90, comments=7, shares=3)
    evn = organisations["evn"]
    response = page(login(users["admin"]), s1=f"org:{evn.pk}", measure="interactions")
    rows = table(response, "volume")
    assert rows[0] == ["Ngày", "EVN", "EVN, lượt tương tác"]
    assert rows[3][1:] == ["1", "0"]
    assert rows[5][1:] == ["1", "100"]
    assert response.context["figures"]["volume"].chart["datasets"][0]["data"][4] == 100
    key = api_token_create(user=users["admin"], name="thử").key
    body = (
        Client()
        .get(
            "/api/v1/analytics/volume",
            {"org": "EVN", "from": "2025-03-01", "to": "2025-03-07", "engagement": "true"},
            headers={"Authorization": f"Bearer {key}"},
        )
        .json()
    )
    assert [p["interactions"] for p in body["series"]] == [0, 0, 0, 0, 100, 0, 0]
