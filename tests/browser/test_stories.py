"""The story list and a story page in Chromium, at desktop and phone width: the growth chart
is drawn (inline SVG, nothing refused by the CSP), tone reads as a label, the rising marker
sits only on the story that grows, and no page scrolls sideways on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.analysis.models import ArticleAnalysis
from loa.analysis.services import articles_analyse
from tests.analysis.test_stories import FIRE_A, FIRE_B, FIRE_C, GOLD_A, OTHER_FIRE
from tests.browser.test_phone import DESKTOP, PHONE, browse, sideways
from tests.browser.test_scope import ARTIFACTS
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_stories_read_at_desktop_and_phone_width(
    chromium: Any, live_server: Any, users: dict[str, User], width: int
) -> None:
    now = timezone.now()
    stored = [
        make_article(
            title, body=body, outlet_domain=outlet, outlet_name=outlet, published_at=now - dt.timedelta(hours=h)
        )
        for (title, body), outlet, h in (
            (FIRE_A, "vnexpress.net", 9),
            (FIRE_B, "tuoitre.vn", 4),
            (FIRE_C, "thanhnien.vn", 1),
            (OTHER_FIRE, "baobinhduong.vn", 3),
            (GOLD_A, "cafef.vn", 20),
        )
    ]
    articles_analyse(articles=stored)
    fire = ArticleAnalysis.objects.get(article=stored[0]).story
    assert fire is not None
    base = live_server.url
    page = browse(chromium, base, users["bloc_staff"].username, width=width)
    page.goto(base + reverse("analysis:stories"))
    assert page.locator('[data-testid="story-row"]').count() == 3
    assert page.locator('[data-testid="story-growth"]').count() == 3
    assert page.locator('[data-testid="story-rising"]').count() == 1
    assert "6" in (page.locator('[data-testid="story-rising"]').get_attribute("title") or "")
    assert sideways(page) == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"stories-{width}.png"), full_page=True)
    page.goto(base + reverse("analysis:story", args=[fire.pk]))
    assert page.locator('[data-testid="story-growth"] rect.bar').count() == 9  # hours 0..8 since the first
    assert "vnexpress.net (1)" in page.locator('[data-testid="story-outlets"]').inner_text()
    assert sideways(page) == 0
    page.screenshot(path=str(ARTIFACTS / f"story-{width}.png"), full_page=True)
    assert page.errors == []
