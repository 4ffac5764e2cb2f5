"""What the synthesis says when some units have not reported yet: the short period is marked
on the page, the chart, the table, the CSV and the documents, and left out of trends; the page
and the issued documents say the same thing in the same numbers (decimal comma)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.docformat import charts
from loa.opinion import selectors, services
from loa.opinion.services import Stream
from tests.conftest import login
from tests.factories import Tree, make_unit

pytestmark = pytest.mark.django_db

JULY, AUGUST, SEPTEMBER = "2026-07", "2026-08", "2026-09"  # historical months: the synthesis has no clock


def _report(unit: Any, period: str, *topics: str) -> None:
    report = services.report_save(
        user=SYSTEM,
        unit=unit,
        kind="monthly",
        period=period,
        streams=[Stream(topic, "oppose" if topic == "Giá điện" else "hesitant", "nhieu") for topic in topics],
    )
    services.report_submit(user=SYSTEM, report=report)


@pytest.fixture
def three_units(tree: Tree) -> Tree:
    """Three committees report to the bloc; in September only one of them has reported yet."""
    vnpt = make_unit("Đảng ủy Tập đoàn Bưu chính Viễn thông", parent=tree.bloc)
    _report(tree.evn, JULY, "Giá điện", "Tiền lương", "Chuyển đổi số")
    _report(tree.pvn, JULY, "Giá điện", "Tiền lương")
    _report(vnpt, JULY, "Giá điện")
    _report(tree.evn, AUGUST, "Giá điện", "Chuyển đổi số")
    _report(tree.pvn_a, AUGUST, "Giá điện", "Chuyển đổi số")  # counts for PVN, the committee above it
    _report(vnpt, AUGUST, "Giá điện")
    _report(tree.evn, SEPTEMBER, "Giá điện")
    return tree


def _cells(html: str, testid: str) -> list[list[str]]:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def _text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def test_a_period_short_of_reports_is_marked_and_left_out_of_trends(three_units: Tree, users: dict[str, User]) -> None:
    result = selectors.synthesis(user=users["bloc_staff"])
    assert result.periods == [JULY, AUGUST, SEPTEMBER]
    assert result.complete == [JULY, AUGUST]
    assert (result.coverage[SEPTEMBER].reported, result.coverage[SEPTEMBER].expected) == (1, 3)
    # Two units raised digital transformation in August, one in July: rising. Wages, reported in
    # July, had no weight in August: not rising, whatever September's missing reports suggest.
    assert result.rising == ["Chuyển đổi số"]
    # Electricity prices are not falling: September is missing two reports, not two opinions.
    assert result.forecast["Giá điện"] == pytest.approx(1.2, abs=0.01)

    page = login(users["bloc_staff"]).get(reverse("opinion:synthesis")).content.decode()
    assert "09/2026 (1/3 đơn vị)" in _text(page, "incomplete")
    assert _text(page, "rising") == "Đang tăng, dự báo tiếp tục tăng kỳ tới: Chuyển đổi số"
    assert "08/2026" in _text(page, "table-period")
    periods = _cells(page, "period-table")
    assert periods == [
        ["07/2026", "3/3", "đủ báo cáo"],
        ["08/2026", "3/3", "đủ báo cáo"],
        ["09/2026", "1/3", "chưa đủ báo cáo"],
    ]
    header = page.split('data-testid="synthesis-table"', 1)[1].split("</thead>", 1)[0]
    assert "09/2026" in header and "chưa đủ báo cáo" in header  # noqa: PT018
    rows = {row[0].rstrip(" ↑"): row for row in _cells(page, "synthesis-table")}
    # August's figures with the decimal comma, September's beside them, marked.
    assert rows["Giá điện"][1:3] == ["3", "1,20"]
    assert rows["Giá điện"][5] == "0,40"
    assert rows["Chuyển đổi số"][0].endswith("↑")
    # The chart gets the same flags.
    assert selectors.chart_data(result).incomplete == [False, False, True]


def test_the_page_and_the_issued_documents_say_the_same(three_units: Tree, users: dict[str, User]) -> None:
    import datetime as dt

    from docx import Document

    from loa.reports.services import letterhead_ensure, report_prepare

    client = login(users["bloc_staff"])
    page = client.get(reverse("opinion:synthesis")).content.decode()
    document = Document(io.BytesIO(client.get(reverse("opinion:export_docx")).content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    table = document.tables[-1]
    doc_rows = [[cell.text for cell in row.cells] for row in table.rows]
    # The banners of the page are sentences of the document.
    assert _text(page, "rising") + "." in text
    for period in re.findall(r"(\d\d/\d{4}) \((\d+/\d+) đơn vị\)", _text(page, "incomplete")):
        month, year = period[0].split("/")
        assert f"tháng {int(month)}/{year} ({period[1]} đơn vị)" in text
    # The table: the same topics in the same order, the same figures written the same way.
    page_rows = _cells(page, "synthesis-table")
    assert len(doc_rows) == len(page_rows) + 1
    for page_row, doc_row in zip(page_rows, doc_rows[1:], strict=True):
        rising = page_row[0].endswith("↑")
        assert doc_row[0] == page_row[0].rstrip(" ↑") + (" (tăng)" if rising else "")
        assert doc_row[1:] == page_row[1:]
    assert "chưa đủ báo cáo" in doc_rows[0][-1]

    # The periodic report's section is worded by the same builder on the same data.
    prepared = report_prepare(
        user=SYSTEM,
        unit=three_units.bloc,
        letterhead=letterhead_ensure(unit=three_units.board),
        period="2026-Q3",
        now=dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
    )
    section = next(s for s in prepared.figures["sections"] if s["key"] == "opinion")
    assert section["tables"][0]["rows"] == doc_rows[1:]
    assert section["tables"][0]["header"] == doc_rows[0]
    assert all(paragraph in text for paragraph in section["paragraphs"][1:])
    assert section["charts"][0]["incomplete"] == [False, False, True]


def test_the_csv_follows_the_readers_language(three_units: Tree, users: dict[str, User]) -> None:
    client = login(users["bloc_staff"])
    vietnamese = client.get(reverse("opinion:export_csv")).content.decode()
    assert "2026-08;đủ báo cáo (3/3);Giá điện;3;1,20;phản đối;1,20;" in vietnamese
    assert "2026-09;chưa đủ báo cáo (1/3);Giá điện;1;0,40;phản đối;;" in vietnamese
    assert "2026-08;đủ báo cáo (3/3);Chuyển đổi số;2;0,80;băn khoăn;" in vietnamese
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        english = client.get(reverse("opinion:export_csv"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026-08,đủ báo cáo (3/3),Giá điện,3,1.20,phản đối,1.20," in english


def test_the_minimums_are_data(three_units: Tree, users: dict[str, User]) -> None:
    services.rule_save(user=users["bloc_staff"], complete_share=30, rising_min_units=3)
    result = selectors.synthesis(user=users["bloc_staff"])
    assert result.complete == [JULY, AUGUST, SEPTEMBER]
    assert result.rising == []  # two units is now too few
    with pytest.raises(PermissionDenied):
        services.rule_save(user=users["evn_staff"], complete_share=50, rising_min_units=1)


def test_charts_write_the_decimal_comma(monkeypatch: pytest.MonkeyPatch) -> None:
    figures: list[Any] = []

    def keep(figure: Any) -> bytes:
        figures.append(figure)
        return b""

    monkeypatch.setattr(charts, "_png", keep)

    def labels(figure: Any, axis: str) -> list[str]:
        figure.canvas.draw()
        axes = figure.axes[0]
        ticks = axes.get_yticklabels() if axis == "y" else axes.get_xticklabels()
        return [tick.get_text() for tick in ticks if tick.get_text()]

    charts.lines(["07/2026", "08/2026"], {"Giá điện": [0.4, 1.5]}, title="t", incomplete=[False, True])
    assert any("," in label for label in labels(figures[-1], "y"))
    assert not any("." in label for label in labels(figures[-1], "y"))
    texts = [text.get_text() for text in figures[-1].axes[0].texts]
    assert "chưa đủ báo cáo" in texts
    charts.lines(["07/2026"], {"x": [0.4]}, title="t", decimal=".")
    assert any("." in label for label in labels(figures[-1], "y"))
    charts.horizontal_bars(["EVN", "PVN"], [2.5, 1.25], title="t")
    bar_labels = [text.get_text() for container in figures[-1].axes[0].texts for text in [container]]
    assert "2,5" in bar_labels and "1,2" in bar_labels  # noqa: PT018
    assert charts.number(1234.5, places=2) == "1234,50"


def test_the_synthesis_reads_a_fixed_number_of_queries(three_units: Tree, users: dict[str, User]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.summarise(selectors.synthesis(user=users["bloc_staff"]))
        return len(captured)

    before = queries()
    for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
        _report(three_units.evn, month, "Giá điện", "Tiền lương")
    assert queries() == before  # four more months, no more queries
