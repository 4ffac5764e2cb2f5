"""The sections of a periodic report. Each module contributes its results by registering a
provider; the report stores what the providers returned as a JSON snapshot.

A provider gets the unit reported on and the period and returns a `Section`: paragraphs, tables
and charts as plain data, so the snapshot survives later changes to the records and the same
data gives the web page, the DOCX and the PDF. Built here: coverage (volume per organisation,
tone over time, share of voice, top stories) and alerts and incidents. Directives, study
sessions, opinion reports and evaluation register theirs when they arrive.

The text is Vietnamese whatever the reader's language: it is the text of an official document.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from loa.pipeline.tones import TONE_NAMES
from loa.reports.periods import Period
from loa.units.models import Unit

TOP_STORIES = 10


@dataclass
class Chart:
    kind: str  # "bars", "tone" or "lines"
    title: str
    labels: list[str]
    values: list[float] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)
    unit: str = ""
    incomplete: list[bool] = field(default_factory=list)  # "lines": periods marked as short of reports


@dataclass
class TableData:
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[TableData] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReportScope:
    unit: Unit
    period: Period

    @property
    def start(self) -> dt.datetime:
        return _local_midnight(self.period.start)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return _local_midnight(self.period.end + dt.timedelta(days=1))

    def units_q(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__path__startswith": self.unit.path})


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


Provider = Callable[[ReportScope], Section | None]
_PROVIDERS: dict[str, tuple[int, Provider]] = {}


def register(key: str, *, order: int, provider: Provider) -> None:
    _PROVIDERS[key] = (order, provider)


def collect(scope: ReportScope) -> list[dict[str, Any]]:
    sections = []
    for _order, provider in sorted(_PROVIDERS.values(), key=lambda pair: pair[0]):
        section = provider(scope)
        if section is not None:
            sections.append(section.as_json())
    return sections


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


def _hours(span: dt.timedelta) -> str:
    return f"{span.total_seconds() / 3600:.1f}".replace(".", ",") + " giờ"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# --- coverage -----------------------------------------------------------------------------------


def organisations_of(scope: ReportScope) -> list[Any]:
    """The monitored organisations of the unit's subtree; bloc-wide ones too when the unit is
    the bloc itself."""
    from loa.analysis.models import Organisation

    query = scope.units_q("unit")
    if scope.unit.parent_id is None:
        query |= Q(unit__isnull=True)
    return list(Organisation.objects.filter(query).order_by("short_name"))


def coverage_section(scope: ReportScope) -> Section:
    from loa.analysis.models import ArticleAnalysis, Mention

    organisations = organisations_of(scope)
    section = Section(key="coverage", title="TÌNH HÌNH THÔNG TIN TRÊN BÁO CHÍ")
    label = scope.period.label
    mentions = Mention.objects.filter(
        organisation__in=organisations, published_at__gte=scope.start, published_at__lt=scope.end
    ).values_list("organisation_id", "article_id", "sentiment")
    per_org: dict[int, set[int]] = defaultdict(set)
    negative_per_org: dict[int, set[int]] = defaultdict(set)
    articles: set[int] = set()
    for organisation_id, article_id, sentiment in mentions.iterator():
        per_org[organisation_id].add(article_id)
        articles.add(article_id)
        if sentiment == "negative":
            negative_per_org[organisation_id].add(article_id)
    if not articles:
        section.paragraphs.append(
            f"Trong {label}, hệ thống không ghi nhận bài báo nào nhắc tới {len(organisations)} tổ chức được theo dõi."
        )
        return section
    analyses: dict[int, dict[str, Any]] = {
        row["article_id"]: dict(row)
        for row in ArticleAnalysis.objects.filter(article_id__in=articles).values(
            "article_id", "sentiment", "story_id", "article__published_at", "article__created_at"
        )
    }
    tones = Counter(row["sentiment"] for row in analyses.values())
    total = len(articles)
    section.paragraphs.append(
        f"Trong {label}, báo chí đăng {_number(total)} bài viết nhắc tới {len(per_org)} trong số "
        f"{len(organisations)} tổ chức được theo dõi; {_number(tones['negative'])} bài "
        f"({_percent(tones['negative'], total)}) mang sắc thái tiêu cực, {_number(tones['positive'])} bài "
        f"({_percent(tones['positive'], total)}) tích cực."
    )
    named = [org for org in organisations if per_org.get(org.pk)]
    named.sort(key=lambda org: -len(per_org[org.pk]))
    mentions_total = sum(len(per_org[org.pk]) for org in named)
    section.tables.append(
        TableData(
            title="Số bài theo tổ chức",
            header=["Tổ chức", "Số bài", "Tiêu cực", "Tỷ lệ tiêu cực", "Thị phần thông tin"],
            rows=[
                [
                    org.short_name,
                    _number(len(per_org[org.pk])),
                    _number(len(negative_per_org[org.pk])),
                    _percent(len(negative_per_org[org.pk]), len(per_org[org.pk])),
                    _percent(len(per_org[org.pk]), mentions_total),
                ]
                for org in named
            ],
        )
    )
    section.charts.append(
        Chart(
            kind="bars",
            title="Số bài báo theo tổ chức",
            labels=[org.short_name for org in named],
            values=[len(per_org[org.pk]) for org in named],
        )
    )
    buckets = scope.period.buckets()
    series: dict[str, list[float]] = {tone: [0] * len(buckets) for tone in TONE_NAMES}
    for row in analyses.values():
        when = timezone.localtime(row["article__published_at"] or row["article__created_at"]).date()
        for index, (_label, first, last) in enumerate(buckets):
            if first <= when <= last:
                series[row["sentiment"]][index] += 1
                break
    section.charts.append(
        Chart(kind="tone", title="Sắc thái thông tin theo thời gian", labels=[b[0] for b in buckets], series=series)
    )
    section.charts.append(
        Chart(
            kind="bars",
            title="Thị phần thông tin",
            labels=[org.short_name for org in named],
            values=[round(100 * len(per_org[org.pk]) / mentions_total, 1) for org in named],
            unit="%",
        )
    )
    section.tables.append(_top_stories(analyses))
    return section


def _top_stories(analyses: dict[int, dict[str, Any]]) -> TableData:
    from loa.analysis.models import Story

    counts = Counter(row["story_id"] for row in analyses.values() if row["story_id"])
    negatives = Counter(
        row["story_id"] for row in analyses.values() if row["story_id"] and row["sentiment"] == "negative"
    )
    top = [story_id for story_id, _count in counts.most_common(TOP_STORIES)]
    stories = Story.objects.in_bulk(top)
    rows = []
    for story_id in top:
        story = stories.get(story_id)
        if story is None:
            continue
        tone = "Tiêu cực" if negatives[story_id] * 2 >= counts[story_id] else "Không tiêu cực"
        rows.append(
            [
                story.title,
                _number(counts[story_id]),
                _number(story.outlet_count),
                timezone.localtime(story.first_seen_at).strftime("%d/%m/%Y"),
                tone,
            ]
        )
    return TableData(
        title="Các sự kiện được báo chí quan tâm nhất",
        header=["Sự kiện", "Số bài", "Số cơ quan báo chí", "Xuất hiện", "Sắc thái"],
        rows=rows,
    )


# --- alerts and incidents -----------------------------------------------------------------------


def incidents_section(scope: ReportScope) -> Section:
    from loa.alerts.models import Alert
    from loa.incidents.models import Incident, IncidentStatus

    section = Section(key="incidents", title="CẢNH BÁO VÀ XỬ LÝ KHỦNG HOẢNG TRUYỀN THÔNG")
    alerts = Alert.objects.filter(scope.units_q("rule__unit"), created_at__gte=scope.start, created_at__lt=scope.end)
    alert_count = alerts.count()
    incidents = list(
        Incident.objects.filter(scope.units_q("unit"), opened_at__gte=scope.start, opened_at__lt=scope.end)
        .select_related("unit")
        .order_by("opened_at")
    )
    responded = [incident for incident in incidents if incident.first_response_at]
    seconds = [(incident.first_response_at - incident.opened_at).total_seconds() for incident in responded]  # type: ignore[operator]
    on_time = [
        incident
        for incident in responded
        if incident.first_response_due is None or incident.first_response_at <= incident.first_response_due  # type: ignore[operator]
    ]
    closed = [incident for incident in incidents if incident.status == IncidentStatus.CLOSED]
    text = (
        f"Trong {scope.period.label}, hệ thống phát {_number(alert_count)} cảnh báo; "
        f"{_number(len(incidents))} vụ việc được mở để xử lý theo kịch bản, {_number(len(closed))} vụ việc đã kết thúc."
    )
    if responded:
        median = dt.timedelta(seconds=statistics.median(seconds))
        text += (
            f" Thời gian trung vị đến thông tin phản hồi đầu tiên là {_hours(median)}"
            f"; {len(on_time)}/{len(responded)} vụ việc phản hồi đúng hạn."
        )
    section.paragraphs.append(text)
    if incidents:
        section.tables.append(
            TableData(
                title="Các vụ việc đã xử lý",
                header=["Vụ việc", "Đơn vị", "Mở ngày", "Phản hồi đầu tiên sau", "Tình trạng"],
                rows=[
                    [
                        incident.title,
                        incident.unit.short_name,
                        timezone.localtime(incident.opened_at).strftime("%d/%m/%Y"),
                        _hours(incident.first_response_at - incident.opened_at)
                        if incident.first_response_at
                        else "chưa phản hồi",
                        "Đã kết thúc" if incident.status == IncidentStatus.CLOSED else "Đang xử lý",
                    ]
                    for incident in incidents
                ],
            )
        )
    return section


register("coverage", order=10, provider=coverage_section)
register("incidents", order=20, provider=incidents_section)
