"""A staff correction of a tone reaches the press review still being edited, and never one
already sent (that is a record of what the leaders read)."""

from __future__ import annotations

from typing import Any

import pytest

from loa.accounts.models import User
from loa.analysis.models import Sentiment
from loa.analysis.services import correction_record
from loa.digests import documents, selectors, services
from loa.digests.models import DigestItem, DigestProfile
from tests.digests.fixtures import DAY

pytestmark = pytest.mark.django_db


def test_a_corrected_tone_reaches_the_draft_review_but_not_a_sent_one(
    profile: DigestProfile, day_coverage: dict[str, Any], users: dict[str, User]
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    good = digest.items.get(article=day_coverage["good"])
    assert good.sentiment == Sentiment.POSITIVE
    assert selectors.digest_counts(digest) == (2, 1)

    correction_record(article=day_coverage["good"], user=users["bloc_staff"], sentiment=Sentiment.NEGATIVE)
    good.refresh_from_db()
    assert good.sentiment == Sentiment.NEGATIVE
    assert selectors.digest_counts(digest) == (2, 2)
    assert "Tiêu cực" in documents._meta(good)

    services.digest_send(user=users["bloc_staff"], digest=digest)
    correction_record(article=day_coverage["good"], user=users["bloc_staff"], sentiment=Sentiment.NEUTRAL)
    assert DigestItem.objects.get(pk=good.pk).sentiment == Sentiment.NEGATIVE


def test_an_organisations_corrected_tone_sets_its_sections_item(
    profile: DigestProfile, day_coverage: dict[str, Any], users: dict[str, User], evn: Any
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    good = digest.items.get(article=day_coverage["good"])
    assert good.section.organisation == evn
    correction_record(
        article=day_coverage["good"], user=users["bloc_staff"], sentiment=Sentiment.NEGATIVE, organisation=evn
    )
    good.refresh_from_db()
    assert good.sentiment == Sentiment.NEGATIVE
