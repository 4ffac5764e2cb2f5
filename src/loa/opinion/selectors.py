"""Reads of opinion reports (scoped by unit) and their synthesis across units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone

from loa.accounts.scoping import scope_filter
from loa.docformat.layout import Block, Image, Paragraph, PartyDocument, Table
from loa.opinion.models import OpinionItem, OpinionReport
from loa.opinion.synthesis import Report, Synthesis, synthesise
from loa.units.models import Unit

if TYPE_CHECKING:
    from loa.reports.sections import ReportScope, Section

LEANINGS = {"agree": "đồng tình", "oppose": "phản đối", "hesitant": "băn khoăn", "mixed": "đan xen", "none": "—"}


def report_list(*, user: object) -> QuerySet[OpinionReport]:
    reports = OpinionReport.objects.select_related("unit").annotate(stream_count=Count("items"))
    return scope_filter(reports, user, unit_field="unit")


def synthesis(*, user: object, first: str = "", last: str = "") -> Synthesis:
    """Submitted reports of the reader's units, between two periods (YYYY-MM, inclusive)."""
    items = OpinionItem.objects.filter(report__in=report_list(user=user).exclude(submitted_at=None)).select_related(
        "report"
    )
    if first:
        items = items.filter(report__period__gte=first)
    if last:
        items = items.filter(report__period__lte=last)
    return synthesise(
        Report(
            period=item.report.period,
            unit=item.report.unit_id,
            topic=item.topic,
            tendency=item.tendency,
            breadth=item.breadth,
            intensity=item.intensity,
        )
        for item in items
    )


@dataclass(frozen=True)
class SynthesisRow:
    topic: str
    units: int  # units reporting the topic in the latest period
    weight: float
    leaning: str  # agree / oppose / hesitant / mixed / none
    forecast: float
    rising: bool


def synthesis_rows(result: Synthesis) -> list[SynthesisRow]:
    """The latest period topic by topic, heaviest first: what the page, the CSV and the document show."""
    latest = result.periods[-1] if result.periods else ""
    rows = []
    for topic, series in result.topics.items():
        cell = series.get(latest)
        rows.append(
            SynthesisRow(
                topic=topic,
                units=len(cell.units) if cell else 0,
                weight=round(cell.weight, 2) if cell else 0.0,
                leaning=cell.leaning if cell else "none",
                forecast=result.forecast[topic],
                rising=topic in result.rising,
            )
        )
    return sorted(rows, key=lambda row: (-row.weight, row.topic))


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"tháng {int(month)}/{year}"


def synthesis_document(*, result: Synthesis, unit: Unit, chart: bytes) -> PartyDocument:
    """The synthesis as an unnumbered draft report on the unit's letterhead, for staff to finish
    and issue (numbered reports go through the reports app, which has an opinion section too)."""
    from loa.reports.models import Letterhead
    from loa.reports.services import layout_letterhead, letterhead_draft, margins

    span = f"từ {_month(result.periods[0])} đến {_month(result.periods[-1])}" if result.periods else ""
    rows = synthesis_rows(result)
    units = {u for cells in result.topics.values() for cell in cells.values() for u in cell.units}
    blocks: list[Block] = [
        Paragraph(
            f"Tổng hợp báo cáo tình hình tư tưởng, dư luận xã hội của {len(units)} đơn vị {span}, "
            f"gồm {len(rows)} luồng dư luận."
            + (f" Dự báo tiếp tục được quan tâm: {', '.join(result.rising)}." if result.rising else "")
        ),
        Image(chart, 160, "Diễn biến các luồng dư luận"),
        Table(
            ["Chủ đề", "Số đơn vị phản ánh", "Trọng số", "Xu hướng chính", "Dự báo kỳ tới"],
            [
                [row.topic, str(row.units), f"{row.weight:.2f}", LEANINGS[row.leaning], f"{row.forecast:.2f}"]
                for row in rows
            ],
        ),
    ]
    return PartyDocument(
        # A read does not create the unit's letterhead; a draft one stands in until staff make it.
        letterhead=layout_letterhead(Letterhead.objects.filter(unit=unit).first() or letterhead_draft(unit=unit)),
        date=timezone.localdate(),
        doc_type="Báo cáo",
        summary=f"tổng hợp tình hình dư luận xã hội {span}",
        blocks=blocks,
        margins=margins(),
    )


def report_section(scope: ReportScope) -> Section | None:
    """The periodic report's section on opinion: the submitted reports of the unit's subtree in
    the period, topic by topic, with the trend chart and the topics expected to grow."""
    from loa.reports.sections import Chart, Section, TableData

    items = OpinionItem.objects.filter(
        report__unit__path__startswith=scope.unit.path,
        report__submitted_at__isnull=False,
        report__period__gte=scope.period.start.strftime("%Y-%m"),
        report__period__lte=scope.period.end.strftime("%Y-%m"),
    ).select_related("report")
    result = synthesise(
        Report(item.report.period, item.report.unit_id, item.topic, item.tendency, item.breadth, item.intensity)
        for item in items
    )
    if not result.periods:
        return None
    section = Section(key="opinion", title="TÌNH HÌNH TƯ TƯỞNG, DƯ LUẬN XÃ HỘI")
    units = {unit for cells in result.topics.values() for cell in cells.values() for unit in cell.units}
    section.paragraphs.append(
        f"Trong {scope.period.label}, {len(units)} đơn vị gửi báo cáo về {len(result.topics)} luồng dư luận."
        + (f" Dự báo tiếp tục được quan tâm: {', '.join(result.rising)}." if result.rising else "")
    )
    latest = result.periods[-1]
    rows = []
    for topic, cells in sorted(result.topics.items(), key=lambda pair: -sum(c.weight for c in pair[1].values())):
        cell = cells.get(latest)
        rows.append(
            [
                topic,
                str(len(set().union(*(c.units for c in cells.values())))),
                LEANINGS[cell.leaning] if cell else "—",
                "tăng" if topic in result.rising else "",
            ]
        )
    section.tables.append(
        TableData(
            title="Các luồng dư luận", header=["Chủ đề", "Số đơn vị phản ánh", "Xu hướng chính", "Dự báo"], rows=rows
        )
    )
    top = [row[0] for row in rows[:6]]
    section.charts.append(
        Chart(
            kind="lines",
            title="Diễn biến các luồng dư luận",
            labels=result.periods,
            series={
                topic: [
                    round(result.topics[topic][p].weight, 2) if p in result.topics[topic] else 0 for p in result.periods
                ]
                for topic in top
            },
        )
    )
    return section
