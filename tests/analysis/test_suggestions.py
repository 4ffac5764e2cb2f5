"""Who sets an article's labels: the bloc's staff and staff of the units whose organisations the
article mentions correct them; other staff suggest, and a suggestion teaches nothing until one of
those who may correct accepts it."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loa.accounts.models import User
from loa.analysis.models import ArticleAnalysis, Correction, Mention, Suggestion, SuggestionStatus, Topic
from loa.analysis.services import (
    articles_analyse,
    correction_record,
    corrections_as_examples,
    suggestion_decide,
    suggestion_submit,
)
from loa.articles.models import Article
from tests.conftest import login
from tests.factories import Tree, make_article
from tests.factories.analysis import make_evn, make_pvn

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(tree: Tree) -> dict[str, Any]:
    return {
        "evn": make_evn(tree.evn),
        "pvn": make_pvn(tree.pvn),
    }


def _analysed(title: str, body: str) -> Article:
    article = make_article(title, body=body)
    articles_analyse(articles=[article])
    return article


@pytest.fixture
def evn_only(organisations: dict[str, Any]) -> Article:
    article = _analysed(
        "EVN khánh thành trạm biến áp 500 kV",
        "Tập đoàn Điện lực Việt Nam (EVN) khánh thành trạm biến áp, bảo đảm cấp điện an toàn.",
    )
    ArticleAnalysis.objects.filter(article=article).update(sentiment="positive", corrected=False)
    names = set(Mention.objects.filter(article=article).values_list("organisation__short_name", flat=True))
    assert names == {"EVN"}
    return article


def _tone(article: Article) -> str:
    return ArticleAnalysis.objects.get(article=article).sentiment


def test_pvn_staff_cannot_correct_an_evn_only_article_but_can_suggest(
    evn_only: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    pvn = login(users["pvn_staff"])
    response = pvn.post(reverse("analysis:correct", args=[evn_only.pk]), {"sentiment": "negative", "set_topics": ""})
    assert response.status_code == 403
    response = pvn.post(
        reverse("analysis:correct", args=[evn_only.pk]),
        {"organisation": organisations["evn"].pk, "sentiment": "negative"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        correction_record(article=evn_only, user=users["pvn_staff"], sentiment="negative")
    assert (_tone(evn_only), Correction.objects.count()) == ("positive", 0)

    page = pvn.get(reverse("articles:detail", args=[evn_only.pk])).content.decode()
    assert 'data-testid="correction-form"' not in page
    assert 'data-testid="mention-correction"' not in page
    assert 'data-testid="suggestion-form"' in page
    response = pvn.post(
        reverse("analysis:suggest", args=[evn_only.pk]),
        {"sentiment": "negative", "set_topics": "", "note": "Bài nêu sự cố mất điện"},
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.sentiment, suggestion.suggested_by) == (
        "open",
        "negative",
        users["pvn_staff"],
    )
    assert suggestion.topic_ids is None  # the topics were left alone
    assert _tone(evn_only) == "positive"  # nothing changes until someone who may correct accepts
    # The change is in the audit, with who made it.
    entry = LogEntry.objects.get_for_object(suggestion).get()
    assert entry.actor == users["pvn_staff"]
    # Readers neither correct nor suggest.
    assert login(users["evn_viewer"]).post(reverse("analysis:suggest", args=[evn_only.pk])).status_code == 403


def test_staff_of_a_mentioned_organisations_unit_and_the_bloc_correct_it(
    evn_only: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    evn = login(users["evn_staff"])
    page = evn.get(reverse("articles:detail", args=[evn_only.pk])).content.decode()
    assert 'data-testid="correction-form"' in page
    assert 'data-testid="suggestion-form"' not in page
    response = evn.post(reverse("analysis:correct", args=[evn_only.pk]), {"sentiment": "negative", "set_topics": ""})
    assert response.status_code == 302
    assert _tone(evn_only) == "negative"
    correction_record(article=evn_only, user=users["bloc_staff"], sentiment="neutral")
    assert _tone(evn_only) == "neutral"
    # They correct directly rather than suggest.
    with pytest.raises(ValidationError, match="trực tiếp"):
        suggestion_submit(actor=users["evn_staff"], article=evn_only, sentiment="negative")
    # An article that mentions PVN as well is PVN's staff's to correct too.
    both = _analysed(
        "EVN và PVN ký kết hợp tác",
        "Tập đoàn Điện lực Việt Nam (EVN) và Tập đoàn Dầu khí Quốc gia Việt Nam (PVN) ký kết hợp tác.",
    )
    correction_record(article=both, user=users["pvn_staff"], sentiment="positive")
    assert _tone(both) == "positive"


def test_the_bloc_accepts_a_suggestion_and_it_becomes_its_correction(
    evn_only: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    economy = Topic.objects.order_by("pk").first()
    assert economy is not None
    suggestion = suggestion_submit(
        actor=users["pvn_staff"], article=evn_only, sentiment="negative", topic_ids=[economy.pk], note="Sai chủ đề"
    )
    # Those who may correct see it on the article, with the topic's name and the reason.
    bloc = login(users["bloc_staff"])
    page = bloc.get(reverse("articles:detail", args=[evn_only.pk])).content.decode()
    listed = page.split('data-testid="suggestions"')[1].split("</ul>")[0]
    assert economy.name in listed
    assert "Sai chủ đề" in listed
    # Its author and other staff who may not correct cannot decide it.
    url = reverse("analysis:suggestion_decide", args=[suggestion.pk])
    assert login(users["pvn_staff"]).post(url, {"decision": "accept"}).status_code == 403
    assert (
        'data-testid="suggestions"'
        not in login(users["pvn_staff"]).get(reverse("articles:detail", args=[evn_only.pk])).content.decode()
    )

    assert bloc.post(url, {"decision": "accept"}).status_code == 302
    suggestion.refresh_from_db()
    correction = Correction.objects.get()
    assert (suggestion.status, suggestion.decided_by, suggestion.correction) == (
        SuggestionStatus.ACCEPTED,
        users["bloc_staff"],
        correction,
    )
    assert (correction.corrected_by, correction.sentiment, correction.topics) == (
        users["bloc_staff"],
        "negative",
        [economy.name],
    )
    assert _tone(evn_only) == "negative"
    # A decided suggestion is decided once.
    bloc.post(url, {"decision": "reject"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert Correction.objects.count() == 1


def test_training_data_includes_only_corrections(
    evn_only: Article, organisations: dict[str, Any], users: dict[str, User]
) -> None:
    kept = suggestion_submit(actor=users["pvn_staff"], article=evn_only, sentiment="negative")
    refused = suggestion_submit(actor=users["pvn_staff"], article=evn_only, sentiment="neutral")
    suggestion_decide(actor=users["evn_staff"], suggestion=refused, accept=False)
    assert corrections_as_examples() == []
    assert Suggestion.objects.get(pk=refused.pk).status == SuggestionStatus.REJECTED
    suggestion_decide(actor=users["evn_staff"], suggestion=kept, accept=True)
    assert corrections_as_examples() == [
        {"title": evn_only.title, "description": evn_only.lead or evn_only.body[:400], "sentiment": "negative"}
    ]
