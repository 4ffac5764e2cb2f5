"""Analysing stored articles: mentions, tone, topics, saved queries, stories, corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.analysis import runtime
from loa.analysis.models import ArticleAnalysis, ArticleTopic, Correction, Mention, QueryMatch, Story, Topic
from loa.analysis.selectors import article_view, search_conditions, story_list
from loa.analysis.services import (
    articles_analyse,
    articles_analyse_again,
    articles_unanalysed,
    correction_record,
    corrections_as_examples,
    organisation_save,
    saved_query_save,
)
from loa.articles import search
from loa.articles.models import Article
from tests.factories import Tree, make_article
from tests.factories.analysis import make_evn, make_pvn

pytestmark = pytest.mark.django_db
# Ten days ago: story windows are counted back from now (story_list keeps the last N days).
T0 = timezone.now() - dt.timedelta(days=10)


@pytest.fixture
def organisations(tree: Tree) -> dict[str, Any]:
    return {
        "evn": make_evn(
            tree.evn,
            ambiguous_aliases="Điện lực",
            context_terms="giá điện\ntiền điện",
            exclusion_terms="Hàn Quốc",
        ),
        "pvn": make_pvn(tree.pvn, aliases="Tập đoàn Dầu khí Việt Nam"),
    }


def test_organisation_rules_are_validated(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        organisation_save(name="X", short_name="X", unit=None, ambiguous_aliases="Điện lực")
    saved = organisation_save(
        name="Tập đoàn  Điện lực", short_name="EVN", unit=None, aliases="hoà  bình\n\n", acronyms=" EVN \n"
    )
    assert saved.aliases == "hòa bình"
    assert saved.acronym_list() == ["EVN"]


def test_saved_queries_are_checked(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        saved_query_save(name="x", query="a)", unit=tree.evn)
    with pytest.raises(ValidationError):
        saved_query_save(name="x", query="-xăng", unit=tree.evn)
    assert saved_query_save(name="Giá điện", query='"giá điện" OR EVN', unit=tree.evn).pk


def test_an_article_gets_mentions_tone_topics_and_queries(organisations: dict[str, Any], tree: Tree) -> None:
    query = saved_query_save(name="Giá điện", query='"giá điện"', unit=tree.evn)
    article = make_article(
        "EVN bị phạt vì sai phạm, người dân bức xúc về hóa đơn tiền điện",
        body="Tập đoàn Điện lực Việt Nam (EVN) bị thanh tra kết luận có sai phạm trong điều chỉnh giá điện. Người dân bức xúc.",
        lead="Thanh tra phát hiện nhiều sai phạm tại EVN.",
    )
    articles_analyse(articles=[article])
    analysis = ArticleAnalysis.objects.get(article=article)
    assert analysis.sentiment == "negative"
    assert analysis.polarity < 0
    assert analysis.model_version == runtime.classifier().version
    mentions = list(Mention.objects.filter(article=article).order_by("field", "start"))
    assert {m.organisation_id for m in mentions} == {organisations["evn"].pk}
    assert {m.field for m in mentions} == {"title", "lead", "body"}
    for mention in mentions:
        assert getattr(article, mention.field)[mention.start : mention.end] == mention.text
        assert mention.sentiment in ("negative", "neutral", "positive")
    # The bloc's themes, by their rules; the DANeS model's labels are not topics by default.
    assert {"violations", "prices"} <= set(
        ArticleTopic.objects.filter(article=article).values_list("topic__key", flat=True)
    )
    assert not Topic.objects.filter(name="Kinh tế", enabled=True).exists()
    assert QueryMatch.objects.filter(article=article, query=query).exists()
    view = article_view(user=SYSTEM, article=article)
    assert 'title="EVN"' in view.title
    assert view.organisations[0].organisation == organisations["evn"]
    assert view.organisations[0].prominence == 1.0  # in the title


def test_stories_group_coverage_of_one_event_across_outlets(organisations: dict[str, Any]) -> None:
    first = make_article(
        "Cháy lớn tại chợ Đồng Xuân lúc rạng sáng",
        body="Đám cháy bùng phát tại chợ Đồng Xuân, Hà Nội, thiêu rụi nhiều ki-ốt hàng hóa của tiểu thương.",
        outlet_domain="bao-a.vn",
        published_at=T0,
    )
    second = make_article(
        "Hà Nội: cháy chợ Đồng Xuân, nhiều ki-ốt bị thiêu rụi",
        body="Vụ cháy chợ Đồng Xuân sáng nay khiến nhiều tiểu thương mất trắng hàng hóa trong các ki-ốt.",
        outlet_domain="bao-b.vn",
        published_at=T0 + dt.timedelta(hours=1),
    )
    other = make_article(
        "Giá vàng SJC tăng mạnh phiên sáng",
        body="Giá vàng miếng SJC tăng 200 nghìn đồng mỗi lượng so với hôm qua.",
        outlet_domain="bao-c.vn",
        published_at=T0 + dt.timedelta(hours=2),
    )
    late = make_article(
        "Cháy chợ Đồng Xuân: điều tra nguyên nhân",
        body="Cơ quan chức năng điều tra nguyên nhân vụ cháy chợ Đồng Xuân, các ki-ốt bị thiêu rụi.",
        outlet_domain="bao-c.vn",
        published_at=T0 + dt.timedelta(days=5),
    )
    articles_analyse(articles=[second, other, first, late])
    story = {a.pk: ArticleAnalysis.objects.get(article=a).story for a in (first, second, other, late)}
    assert story[first.pk] == story[second.pk]
    assert story[other.pk] != story[first.pk]
    assert story[late.pk] != story[first.pk]  # outside the two-day window: a new story
    fire = Story.objects.get(pk=story[first.pk].pk)  # type: ignore[union-attr]
    assert fire.article_count == 2
    assert fire.outlet_count == 2
    assert fire.first_article_id == first.pk  # earliest published, though analysed second
    assert fire.first_outlet_id == first.outlet_id
    rows = story_list(user=SYSTEM, days=30)
    assert rows[0].story == fire


def test_a_syndicated_copy_joins_its_originals_story() -> None:
    body = "Nội dung về hội nghị tổng kết công tác tuyên giáo năm 2021 của Đảng ủy Khối với nhiều kết quả nổi bật. " * 3
    original = make_article(
        "Hội nghị tổng kết công tác tuyên giáo", body=body, outlet_domain="bao-a.vn", published_at=T0
    )
    copy = make_article(
        "Toàn cảnh: hội nghị tổng kết",
        body=body + " (Theo Báo A)",
        outlet_domain="bao-b.vn",
        published_at=T0 + dt.timedelta(hours=3),
    )
    assert copy.duplicate_of_id == original.pk
    articles_analyse(articles=[original, copy])
    assert ArticleAnalysis.objects.get(article=copy).story_id == ArticleAnalysis.objects.get(article=original).story_id


def test_corrections_stick_and_feed_training(organisations: dict[str, Any], users: dict[str, User]) -> None:
    article = make_article("Hội nghị triển khai nhiệm vụ năm 2027")
    articles_analyse(articles=[article])
    economy = Topic.objects.get(key="results")
    correction_record(article=article, user=users["evn_staff"], sentiment="positive", topic_ids=[economy.pk])
    analysis = ArticleAnalysis.objects.get(article=article)
    assert (analysis.sentiment, analysis.corrected, analysis.polarity) == ("positive", True, 1.0)
    articles_analyse(articles=[Article.objects.get(pk=article.pk)])  # reanalysis keeps the staff's labels
    analysis.refresh_from_db()
    assert analysis.sentiment == "positive"
    assert list(ArticleTopic.objects.filter(article=article).values_list("topic__key", flat=True)) == ["results"]
    assert Correction.objects.get().corrected_by == users["evn_staff"]
    assert corrections_as_examples() == [
        {
            "title": article.title,
            "description": article.lead or article.body[:400],
            "sentiment": "positive",
            # The bloc's themes learn apart (theme_examples), not in the DANeS model.
        }
    ]
    with pytest.raises(ValidationError):
        correction_record(article=article, user=None, sentiment="furious")


def test_failures_never_reach_ingestion_and_the_sweep_catches_up(monkeypatch: pytest.MonkeyPatch) -> None:
    article = make_article("Bài chưa phân tích")

    def broken() -> Any:
        raise RuntimeError("model file damaged")

    monkeypatch.setattr(runtime, "classifier", broken)
    assert articles_analyse_again(article_ids=[article.pk]) == 0
    assert articles_unanalysed(limit=10) == [article.pk]
    monkeypatch.undo()
    from loa.analysis.tasks import analysis_sweep_task

    analysis_sweep_task.call()
    assert articles_unanalysed(limit=10) == []


def test_search_by_organisation_tone_and_topic(organisations: dict[str, Any]) -> None:
    negative = make_article(
        "EVN bị phạt vì sai phạm nghiêm trọng",
        body="EVN bị xử phạt, thiệt hại lớn, người dân bức xúc. Điều tra sai phạm.",
    )
    positive = make_article(
        "PVN được vinh danh, nhận bằng khen",
        body="Tập đoàn Dầu khí Việt Nam (PVN) nhận bằng khen và giải thưởng xuất sắc.",
    )
    articles_analyse(articles=[negative, positive])

    def ids(**kwargs: Any) -> set[int]:
        return set(search.run("", filters=search.Filters(conditions=search_conditions(**kwargs)), limit=50).ids)

    assert ids(organisation_ids=[organisations["evn"].pk]) == {negative.pk}
    assert ids(sentiments=["negative"]) == {negative.pk}
    assert ids(sentiments=["positive"]) == {positive.pk}
    topic = ArticleTopic.objects.filter(article=negative, topic__key="violations").first()
    assert topic is not None
    assert ids(topic_ids=[topic.topic_id]) == {negative.pk}


def test_article_page_shows_mentions_tone_topics_story_and_correction(
    organisations: dict[str, Any], users: dict[str, User]
) -> None:
    from django.urls import reverse

    from tests.conftest import login

    article = make_article(
        "EVN khánh thành trạm biến áp 500 kV",
        body="Tập đoàn Điện lực Việt Nam (EVN) khánh thành công trình, bảo đảm cấp điện an toàn cho giá điện ổn định.",
    )
    articles_analyse(articles=[article])
    page = login(users["evn_staff"]).get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert '<mark class="mention" title="EVN">EVN</mark> khánh thành' in page
    assert 'data-testid="tone"' in page
    assert 'data-testid="topics"' in page
    assert 'data-testid="story"' in page
    assert 'data-testid="correction-form"' in page
    viewer_page = login(users["evn_viewer"]).get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert 'data-testid="correction-form"' not in viewer_page
    response = login(users["evn_staff"]).post(
        reverse("analysis:correct", args=[article.pk]), {"sentiment": "negative", "set_topics": ""}
    )
    assert response.status_code == 302
    assert ArticleAnalysis.objects.get(article=article).sentiment == "negative"
