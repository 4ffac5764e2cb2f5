"""One tone per article and per mention: a staff correction wins on every page and in every count,
and every page names a tone with the same translated label."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.analysis.models import ArticleAnalysis, ArticleEntity, Mention, Salience, Sentiment, tone_label
from loa.analysis.selectors import article_view, organisation_coverage, search_conditions, story_articles
from loa.analysis.services import articles_analyse, correction_record, corrections_as_examples
from loa.articles import search
from loa.articles.models import Article
from loa.pipeline.tones import TONE_NAMES
from tests.conftest import login
from tests.factories import Tree, make_article
from tests.factories.analysis import make_evn, make_pvn

pytestmark = pytest.mark.django_db

BODY = (
    "Tập đoàn Điện lực Việt Nam (EVN) khánh thành trạm biến áp 500 kV, bảo đảm cấp điện an toàn. "
    "Tập đoàn Dầu khí Việt Nam (PVN) cùng dự lễ khánh thành."
)


@pytest.fixture
def organisations(tree: Tree) -> dict[str, Any]:
    return {
        "evn": make_evn(tree.evn),
        "pvn": make_pvn(tree.pvn, aliases="Tập đoàn Dầu khí Việt Nam"),
    }


def _model_says(article: Article, tone: str) -> None:
    """What the model read (the model is not under test here): the article and every mention in `tone`."""
    ArticleAnalysis.objects.filter(article=article).update(sentiment=tone, corrected=False)
    Mention.objects.filter(article=article).update(sentiment=tone)
    ArticleEntity.objects.filter(article=article).update(tone=tone)


@pytest.fixture
def article(organisations: dict[str, Any]) -> Article:
    article = make_article(
        "EVN khánh thành trạm biến áp 500 kV", body=BODY, published_at=timezone.now() - dt.timedelta(hours=2)
    )
    articles_analyse(articles=[article])
    assert set(Mention.objects.filter(article=article).values_list("organisation__short_name", flat=True)) == {
        "EVN",
        "PVN",
    }
    _model_says(article, Sentiment.POSITIVE)
    # Both organisations count on their pages (how much the article is about each is not under test here).
    ArticleEntity.objects.filter(article=article, salience=Salience.PASSING).update(salience=Salience.SECONDARY)
    return article


def _organisation_tones(article: Article) -> dict[str, str]:
    return {row.organisation.short_name: row.tone for row in article_view(user=SYSTEM, article=article).organisations}


def test_one_label_per_tone_in_both_languages() -> None:
    with translation.override("vi"):
        assert [tone_label(t) for t in ("negative", "neutral", "positive")] == ["Tiêu cực", "Trung tính", "Tích cực"]
    with translation.override("en"):
        assert [tone_label(t) for t in ("negative", "neutral", "positive")] == ["Negative", "Neutral", "Positive"]
    assert tone_label("") == "—"


def test_the_article_page_names_tones_in_vietnamese(article: Article, users: dict[str, User]) -> None:
    page = login(users["evn_staff"]).get(reverse("articles:detail", args=[article.pk])).content.decode()
    organisations = page.split('data-testid="organisations"')[1].split("</ul>")[0]
    assert "Tích cực" in organisations
    assert "positive" not in organisations.replace('class="tone positive"', "")


def test_an_article_correction_wins_on_every_page_and_count(
    article: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    evn = organisations["evn"]
    correction_record(article=article, user=users["evn_staff"], sentiment=Sentiment.NEUTRAL)

    # The article and the tone of each organisation in it.
    assert ArticleAnalysis.objects.get(article=article).sentiment == "neutral"
    assert _organisation_tones(article) == {"EVN": "neutral", "PVN": "neutral"}
    # The organisation's summary and its list say the same.
    coverage = organisation_coverage(organisation=evn)
    assert coverage.by_tone == {"neutral": 1}
    assert [row.tone for row in coverage.recent] == ["neutral"]
    assert [(n, negative) for _day, n, negative in coverage.by_day if n] == [(1, 0)]
    client = login(users["evn_staff"])
    page = client.get(reverse("analysis:organisation", args=[evn.pk])).content.decode()
    summary = page.split('data-testid="coverage-tones">')[1].split("</p>")[0]
    listed = page.split('data-testid="coverage-list">')[1].split("</ul>")[0]
    assert "Trung tính: 1" in summary
    assert "Tích cực: 0" in summary
    assert "Trung tính" in listed
    assert "Tích cực" not in listed
    article_page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "Tích cực" not in article_page.split('data-testid="analysis"')[1].split("</div>")[0]
    # Stories and search read the same tone.
    story = ArticleAnalysis.objects.get(article=article).story
    assert story is not None
    assert story.negative_count == 0
    assert [a.analysis.sentiment for a in story_articles(story=story)] == ["neutral"]
    found = search.run("", filters=search.Filters(conditions=search_conditions(sentiments=["neutral"])), limit=10)
    assert article.pk in found.ids
    # Reanalysis keeps the staff's reading, for the article and its mentions.
    articles_analyse(articles=[Article.objects.get(pk=article.pk)])
    assert set(Mention.objects.filter(article=article).values_list("sentiment", flat=True)) == {"neutral"}
    assert organisation_coverage(organisation=evn).by_tone == {"neutral": 1}


def test_a_mention_correction_wins_for_its_organisation_only(
    article: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    evn, pvn = organisations["evn"], organisations["pvn"]
    correction_record(article=article, user=users["evn_staff"], sentiment=Sentiment.NEGATIVE, organisation=evn)
    assert ArticleAnalysis.objects.get(article=article).sentiment == "positive"  # the article keeps its tone
    assert _organisation_tones(article) == {"EVN": "negative", "PVN": "positive"}
    assert organisation_coverage(organisation=evn).by_tone == {"negative": 1}
    assert [row.tone for row in organisation_coverage(organisation=evn).recent] == ["negative"]
    assert organisation_coverage(organisation=pvn).by_tone == {"positive": 1}
    # A later correction of the whole article does not undo the staff's reading of EVN.
    correction_record(article=article, user=users["evn_staff"], sentiment=Sentiment.NEUTRAL)
    assert _organisation_tones(article) == {"EVN": "negative", "PVN": "neutral"}
    articles_analyse(articles=[Article.objects.get(pk=article.pk)])
    assert _organisation_tones(article) == {"EVN": "negative", "PVN": "neutral"}
    page = login(users["evn_staff"]).get(reverse("analysis:organisation", args=[evn.pk])).content.decode()
    assert "Tiêu cực" in page.split('data-testid="coverage-list">')[1].split("</ul>")[0]
    # A correction of one organisation's tone is not a training example for the article's tone,
    # but one for the tone toward an organisation, read from the sentences naming it.
    assert corrections_as_examples() == [
        {"title": article.title, "description": article.lead or article.body[:400], "sentiment": "neutral"},
        {
            "title": "EVN khánh thành trạm biến áp 500 kV. Tập đoàn Điện lực Việt Nam (EVN) khánh thành trạm "
            "biến áp 500 kV, bảo đảm cấp điện an toàn.",
            "description": "",
            "sentiment": "negative",
        },
    ]


def test_staff_correct_an_organisations_tone_from_the_article_page(
    article: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    evn = organisations["evn"]
    client = login(users["evn_staff"])
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert 'data-testid="mention-correction"' in page
    response = client.post(
        reverse("analysis:correct", args=[article.pk]), {"organisation": evn.pk, "sentiment": "negative"}
    )
    assert response.status_code == 302
    assert _organisation_tones(article)["EVN"] == "negative"
    viewer = login(users["evn_viewer"]).get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert 'data-testid="mention-correction"' not in viewer


def test_the_stored_tones_are_the_one_list_of_tone_names() -> None:
    """What the classifier learns and the charts draw is what analysis stores."""
    assert set(Sentiment.values) == set(TONE_NAMES)
