"""The press review takes the articles about an organisation (main subject or a substantive
part), never one naming it in passing, and shows the tone toward the organisation."""

from __future__ import annotations

from typing import Any

import pytest

from loa.analysis.models import ArticleEntity, Mention, Organisation, Salience
from loa.articles.models import Article
from loa.digests import services as digests
from loa.digests.models import DigestProfile
from tests.digests.fixtures import DAY

pytestmark = pytest.mark.django_db


def _passing(article: Article, organisation: Organisation) -> None:
    """The judge's reading (not under test here): the article names the organisation in passing."""
    ArticleEntity.objects.filter(article=article, organisation=organisation).update(salience=Salience.PASSING)


def test_the_press_review_leaves_out_passing_mentions(
    profile: DigestProfile, day_coverage: dict[str, Any], evn: Organisation
) -> None:
    _passing(day_coverage["good"], evn)
    digest = digests.digest_build(profile=profile, day=DAY)
    articles = set(digest.items.values_list("article_id", flat=True))
    assert day_coverage["first"].pk in articles or day_coverage["copy"].pk in articles
    assert day_coverage["good"].pk not in articles
    # The passing article stays searchable by its organisation.
    assert Mention.objects.filter(article=day_coverage["good"], organisation=evn).exists()


def test_the_press_review_shows_the_tone_toward_the_organisation(
    profile: DigestProfile, day_coverage: dict[str, Any], evn: Organisation
) -> None:
    ArticleEntity.objects.filter(article=day_coverage["good"], organisation=evn).update(tone="neutral")
    digest = digests.digest_build(profile=profile, day=DAY)
    assert digest.items.get(article=day_coverage["good"]).sentiment == "neutral"  # the article itself is positive
