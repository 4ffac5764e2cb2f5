"""Reads of opinion reports (scoped by unit), the list of topics, and their synthesis across
units: which periods are complete, what the page, the CSV, the draft DOCX and the periodic
report's section say — one summary built once and worded once for the documents."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone

from loa.accounts.scoping import Actor, scope_filter, scope_of
from loa.docformat.charts import lines, number
from loa.docformat.layout import Block, Image, Paragraph, PartyDocument, Table
from loa.opinion.models import OpinionItem, OpinionReport, SynthesisRule, Topic, TopicStatus, period_label
from loa.opinion.synthesis import Coverage, Report, Rules, Synthesis, synthesise
from loa.reports.letterhead import layout_letterhead, letterhead_draft, letterhead_of, margins
from loa.reports.sections import Chart, Section, TableData
from loa.units.models import Unit, UnitKind

if TYPE_CHECKING:
    from loa.reports.sections import ReportScope, Section

LEANINGS = {"agree": "đồng tình", "oppose": "phản đối", "hesitant": "băn khoăn", "mixed": "đan xen", "none": "—"}
# The party organisations that send opinion reports up; boards and other units do not.
REPORTING_KINDS = (UnitKind.COMMITTEE, UnitKind.GRASSROOTS, UnitKind.CELL)
TOPICS_ON_CHART = 6
CHART_TITLE = "Diễn biến các luồng dư luận (trọng số theo mức độ, phạm vi)"
INCOMPLETE = "chưa đủ báo cáo"


def report_list(*, user: Actor) -> QuerySet[OpinionReport]:
    reports = OpinionReport.objects.select_related("unit").annotate(stream_count=Count("items"))
    return scope_filter(reports, user, unit_field="unit")


def topic_list() -> QuerySet[Topic]:
    """The whole list with its proposals and aliases; topics are not unit data (no names)."""
    return Topic.objects.select_related("merged_into", "proposed_by").annotate(stream_count=Count("items"))


def topic_choices() -> list[Topic]:
    """What a unit picks from when writing a report."""
    return list(Topic.objects.filter(status=TopicStatus.ACCEPTED).order_by("name"))


def rules() -> Rules:
    """The stored thresholds, or the defaults until staff change them (a read writes nothing)."""
    rule = SynthesisRule.objects.filter(pk=1).first() or SynthesisRule()
    return Rules(complete_share=rule.complete_share / 100, rising_min_units=rule.rising_min_units)


def rule_current() -> SynthesisRule:
    return SynthesisRule.objects.filter(pk=1).first() or SynthesisRule()


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"tháng {int(month)}/{year}"


def _last_day(period: str) -> dt.date:
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _roots_of(user: Actor) -> list[Unit]:
    scope = scope_of(user)
    if scope.all_units:
        return list(Unit.objects.filter(parent__isnull=True))
    if scope.prefix is None:
        return []
    return list(Unit.objects.filter(path=scope.prefix))


def expected_units(*, roots: list[Unit], periods: list[str]) -> dict[str, list[Unit]]:
    """The units expected to report to `roots`, period by period: the party organisations
    directly below each root that exist at the end of the period; a root with none reports
    itself. One query whatever the number of periods."""
    children = list(Unit.objects.filter(parent__in=roots, kind__in=REPORTING_KINDS).order_by("path"))
    expected: dict[str, list[Unit]] = {}
    for period in periods:
        day = _last_day(period)
        alive = [u for u in children if u.valid_from <= day and (u.valid_to is None or u.valid_to > day)]
        expected[period] = [unit for root in roots for unit in ([u for u in alive if u.parent_id == root.pk] or [root])]
    return expected


def _synthesis_of(items: QuerySet[OpinionItem], *, roots: list[Unit]) -> Synthesis:
    items = items.select_related("report__unit", "topic")
    rows = list(items)
    reporters: dict[str, set[str]] = {}
    for item in rows:
        reporters.setdefault(item.report.period, set()).add(item.report.unit.path)
    coverage = {}
    expected_by_period = expected_units(roots=roots, periods=sorted(reporters))
    for period, paths in reporters.items():
        expected = expected_by_period[period]
        # A report counts for the expected unit it comes from or stands under.
        reported = sum(1 for unit in expected if any(path.startswith(unit.path) for path in paths))
        coverage[period] = Coverage(reported=reported, expected=len(expected))
    return synthesise(
        (
            Report(
                period=item.report.period,
                unit=item.report.unit_id,
                topic=item.topic.name,
                tendency=item.tendency,
                breadth=item.breadth,
                intensity=item.intensity,
            )
            for item in rows
        ),
        coverage=coverage,
        rules=rules(),
    )


def synthesis(*, user: Actor, first: str = "", last: str = "") -> Synthesis:
    """Submitted reports of the reader's units, between two periods (YYYY-MM, inclusive); a
    period counts as complete when enough of the units expected to report to the reader's
    units (see `expected_units`) have."""
    items = OpinionItem.objects.filter(report__in=report_list(user=user).exclude(submitted_at=None))
    if first:
        items = items.filter(report__period__gte=first)
    if last:
        items = items.filter(report__period__lte=last)
    return _synthesis_of(items, roots=_roots_of(user))


@dataclass(frozen=True)
class PeriodRow:
    period: str
    label: str  # 10/2026
    reported: int | None  # None when nobody is expected (plain synthesis)
    expected: int | None
    complete: bool


@dataclass(frozen=True)
class SynthesisRow:
    topic: str
    units: int  # units reporting the topic in the period the table reads
    weight: float
    leaning: str  # agree / oppose / hesitant / mixed / none
    forecast: float
    rising: bool
    pending: float | None  # weight in the later, incomplete period (None when there is none)


@dataclass(frozen=True)
class Summary:
    """What the synthesis says, for every way it is shown."""

    result: Synthesis
    latest: str  # the period the table reads: the latest complete one (or the latest when none is)
    pending: str  # the latest period when it is incomplete and after `latest`, else ""
    periods: list[PeriodRow]
    rows: list[SynthesisRow]
    rising: list[str]
    incomplete: list[PeriodRow]
    units: int  # units whose reports are counted

    @property
    def latest_label(self) -> str:
        return period_label(self.latest) if self.latest else ""

    @property
    def pending_label(self) -> str:
        return period_label(self.pending) if self.pending else ""


def summarise(result: Synthesis) -> Summary:
    latest = result.latest_complete or (result.periods[-1] if result.periods else "")
    last = result.periods[-1] if result.periods else ""
    pending = last if last and last != latest and not result.is_complete(last) else ""
    periods = [
        PeriodRow(
            period=period,
            label=period_label(period),
            reported=result.coverage[period].reported if period in result.coverage else None,
            expected=result.coverage[period].expected if period in result.coverage else None,
            complete=result.is_complete(period),
        )
        for period in result.periods
    ]
    rows = []
    for topic, series in result.topics.items():
        cell = series.get(latest)
        rows.append(
            SynthesisRow(
                topic=topic,
                units=len(cell.units) if cell else 0,
                weight=round(cell.weight, 2) if cell else 0.0,
                leaning=cell.leaning if cell else "none",
                forecast=round(result.forecast[topic], 2),
                rising=topic in result.rising,
                pending=round(result.weight(topic, pending), 2) if pending else None,
            )
        )
    rows.sort(key=lambda row: (-row.weight, -(row.pending or 0), row.topic))
    units = {unit for cells in result.topics.values() for cell in cells.values() for unit in cell.units}
    return Summary(
        result=result,
        latest=latest,
        pending=pending,
        periods=periods,
        rows=rows,
        rising=list(result.rising),
        incomplete=[row for row in periods if not row.complete],
        units=len(units),
    )


@dataclass(frozen=True)
class Wording:
    """The summary in the words of a party document: the DOCX and the periodic report share it."""

    paragraphs: list[str]
    header: list[str]
    rows: list[list[str]]


def wording(summary: Summary) -> Wording:
    paragraphs = []
    if summary.incomplete:
        listed = ", ".join(f"{_month(row.period)} ({row.reported}/{row.expected} đơn vị)" for row in summary.incomplete)
        paragraphs.append(f"Kỳ {INCOMPLETE}, không tính vào xu hướng và dự báo: {listed}.")
    if summary.latest:
        which = "kỳ đủ báo cáo gần nhất" if summary.result.is_complete(summary.latest) else f"kỳ {INCOMPLETE}"
        paragraphs.append(f"Số liệu trong bảng là của {_month(summary.latest)} ({which}).")
    if summary.rising:
        paragraphs.append(f"Đang tăng, dự báo tiếp tục tăng kỳ tới: {', '.join(summary.rising)}.")
    else:
        paragraphs.append("Không có luồng dư luận nào tăng qua các kỳ đủ báo cáo.")
    header = ["Chủ đề", "Số đơn vị phản ánh", "Trọng số", "Xu hướng chính", "Dự báo kỳ tới"]
    if summary.pending:
        header.append(f"{_month(summary.pending)} ({INCOMPLETE})")
    rows = []
    for row in summary.rows:
        cells = [
            row.topic + (" (tăng)" if row.rising else ""),
            str(row.units),
            number(row.weight, places=2),
            LEANINGS[row.leaning],
            number(row.forecast, places=2),
        ]
        if row.pending is not None:
            cells.append(number(row.pending, places=2))
        rows.append(cells)
    return Wording(paragraphs=paragraphs, header=header, rows=rows)


@dataclass(frozen=True)
class ChartData:
    labels: list[str]
    series: dict[str, list[float]]
    incomplete: list[bool]


def chart_data(result: Synthesis) -> ChartData:
    """The heaviest topics over every period; incomplete periods flagged for the chart to mark."""
    topics = sorted(
        result.topics.items(),
        key=lambda pair: (-sum(cell.weight for cell in pair[1].values()), pair[0]),
    )[:TOPICS_ON_CHART]
    return ChartData(
        labels=[period_label(period) for period in result.periods],
        series={topic: [round(result.weight(topic, p), 2) for p in result.periods] for topic, _cells in topics},
        incomplete=[not result.is_complete(period) for period in result.periods],
    )


def chart_png(result: Synthesis, *, decimal: str = ",") -> bytes:
    data = chart_data(result)
    return lines(data.labels, data.series, title=CHART_TITLE, incomplete=data.incomplete, decimal=decimal)


def synthesis_document(*, result: Synthesis, unit: Unit, chart: bytes) -> PartyDocument:
    """The synthesis as an unnumbered draft report on the unit's letterhead, for staff to finish
    and issue (numbered reports go through the reports app, which has an opinion section too)."""

    span = f"từ {_month(result.periods[0])} đến {_month(result.periods[-1])}" if result.periods else ""
    summary = summarise(result)
    words = wording(summary)
    blocks: list[Block] = [
        Paragraph(
            f"Tổng hợp báo cáo tình hình tư tưởng, dư luận xã hội của {summary.units} đơn vị {span}, "
            f"gồm {len(result.topics)} luồng dư luận."
        ),
        *(Paragraph(text) for text in words.paragraphs),
        Image(chart, 160, "Diễn biến các luồng dư luận"),
        Table(words.header, words.rows),
    ]
    return PartyDocument(
        # A read does not create the unit's letterhead; a draft one stands in until staff make it.
        letterhead=layout_letterhead(letterhead_of(unit) or letterhead_draft(unit=unit)),
        date=timezone.localdate(),
        doc_type="Báo cáo",
        summary=f"tổng hợp tình hình dư luận xã hội {span}",
        blocks=blocks,
        margins=margins(),
    )


def report_section(scope: ReportScope) -> Section | None:
    """The periodic report's section on opinion: the submitted reports of the unit's subtree in
    the period, worded as the synthesis page and its draft document word them."""

    items = OpinionItem.objects.filter(
        report__unit__path__startswith=scope.unit.path,
        report__submitted_at__isnull=False,
        report__period__gte=scope.period.start.strftime("%Y-%m"),
        report__period__lte=scope.period.end.strftime("%Y-%m"),
    )
    result = _synthesis_of(items, roots=[scope.unit])
    if not result.periods:
        return None
    summary = summarise(result)
    words = wording(summary)
    section = Section(key="opinion", title="TÌNH HÌNH TƯ TƯỞNG, DƯ LUẬN XÃ HỘI")
    section.paragraphs.append(
        f"Trong {scope.period.label}, {summary.units} đơn vị gửi báo cáo về {len(result.topics)} luồng dư luận."
    )
    section.paragraphs.extend(words.paragraphs)
    section.tables.append(TableData(title="Các luồng dư luận", header=words.header, rows=words.rows))
    data = chart_data(result)
    section.charts.append(
        Chart(
            kind="lines",
            title="Diễn biến các luồng dư luận",
            labels=data.labels,
            series=data.series,
            incomplete=data.incomplete,
        )
    )
    return section
