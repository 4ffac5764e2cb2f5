"""The periodic report's coverage section: volume per organisation, tone over time, share of
voice and top stories. Registered with loa.reports.sections by AnalysisConfig.ready."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone

from loa.analysis.models import RELEVANT_SALIENCES, ArticleAnalysis, ArticleEntity, Organisation, Story
from loa.articles.models import Article
from loa.pipeline.tones import TONE_NAMES
from loa.reports.sections import TOP_STORIES, Chart, ReportScope, Section, TableData, number, percent


def organisations_of(scope: ReportScope) -> list[Any]:
    """The monitored organisations of the unit's subtree; bloc-wide ones too when the unit is
    the bloc itself."""
    query = scope.units_q("unit")
    if scope.unit.parent_id is None:
        query |= Q(unit__isnull=True)
    return list(Organisation.objects.filter(query).order_by("short_name"))


def coverage_section(scope: ReportScope) -> Section:
    organisations = organisations_of(scope)
    section = Section(key="coverage", title="TÌNH HÌNH THÔNG TIN TRÊN BÁO CHÍ")
    label = scope.period.label
    # Articles about each organisation (main subject or a substantive part), with the tone toward
    # it: one naming it in passing (a ticker in a market list) is not its coverage.
    entities = ArticleEntity.objects.filter(
        organisation__in=organisations,
        published_at__gte=scope.start,
        published_at__lt=scope.end,
        salience__in=RELEVANT_SALIENCES,
    ).values_list("organisation_id", "article_id", "tone")
    per_org: dict[int, set[int]] = defaultdict(set)
    negative_per_org: dict[int, set[int]] = defaultdict(set)
    articles: set[int] = set()
    for organisation_id, article_id, sentiment in entities.iterator():
        per_org[organisation_id].add(article_id)
        articles.add(article_id)
        if sentiment == "negative":
            negative_per_org[organisation_id].add(article_id)
    if not articles:
        section.paragraphs.append(
            f"Trong {label}, hệ thống không ghi nhận bài báo nào viết về {len(organisations)} tổ chức được theo dõi "
            "(bài chỉ nhắc qua không được tính)."
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
        f"Trong {label}, báo chí đăng {number(total)} bài viết về {len(per_org)} trong số "
        f"{len(organisations)} tổ chức được theo dõi (tổ chức là chủ thể chính hoặc một phần đáng kể của bài; "
        f"bài chỉ nhắc qua không được tính); {number(tones['negative'])} bài "
        f"({percent(tones['negative'], total)}) mang sắc thái tiêu cực, {number(tones['positive'])} bài "
        f"({percent(tones['positive'], total)}) tích cực."
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
                    number(len(per_org[org.pk])),
                    number(len(negative_per_org[org.pk])),
                    percent(len(negative_per_org[org.pk]), len(per_org[org.pk])),
                    percent(len(per_org[org.pk]), mentions_total),
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
    section.tables.append(_by_channel(articles, analyses))
    section.tables.append(_top_stories(analyses))
    return section


# The report's names of where coverage appeared (loa.sources.models.Channel), in this order.
CHANNEL_NAMES = {"press": "Báo chí", "social": "Mạng xã hội", "forum": "Diễn đàn", "video": "Video"}


def _by_channel(articles: set[int], analyses: dict[int, dict[str, Any]]) -> TableData:
    """The share of the coverage by kind of source: the press, social networks, forums, video."""
    channels = dict(Article.objects.filter(pk__in=articles).values_list("pk", "outlet__channel"))
    counts = Counter(channels.values())
    negative = Counter(
        channels[pk] for pk, row in analyses.items() if row["sentiment"] == "negative" and pk in channels
    )
    total = len(articles)
    return TableData(
        title="Số bài theo loại nguồn",
        header=["Loại nguồn", "Số bài", "Tỷ lệ", "Tiêu cực"],
        rows=[
            [name, number(counts[key]), percent(counts[key], total), number(negative[key])]
            for key, name in CHANNEL_NAMES.items()
            if counts[key] or key == "press"
        ],
    )


def _top_stories(analyses: dict[int, dict[str, Any]]) -> TableData:
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
                number(counts[story_id]),
                number(story.outlet_count),
                timezone.localtime(story.first_seen_at).strftime("%d/%m/%Y"),
                tone,
            ]
        )
    return TableData(
        title="Các sự kiện được báo chí quan tâm nhất",
        header=["Sự kiện", "Số bài", "Số cơ quan báo chí", "Xuất hiện", "Sắc thái"],
        rows=rows,
    )
