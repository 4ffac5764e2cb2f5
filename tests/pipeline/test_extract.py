"""Extraction of real-looking Vietnamese article pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from loa.pipeline.extract import extract_article
from loa.pipeline.outcomes import Outcome, StageError
from loa.text.dates import VIETNAM
from loa.text.encoding import decode


def page(replay: Any, outlet: int, path: str) -> str:
    response = httpx.get(f"{replay.base(outlet)}{path}")
    return decode(response.content, declared=response.charset_encoding).text


@pytest.mark.parametrize("outlet", [0, 1, 2])
def test_each_page_style_yields_title_lead_body_and_time(replay: Any, outlet: int) -> None:
    now = dt.datetime.now(dt.UTC)
    article = replay.corpus.released(outlet, now)[0]
    url = f"{replay.base(outlet)}/bai-viet/{article.slug}.html"
    extracted = extract_article(page(replay, outlet, f"/bai-viet/{article.slug}.html"), url, now=now)
    assert extracted.title == article.title.strip()
    assert extracted.lead.startswith(article.lead[:40])
    assert article.paragraphs[1][:40] in extracted.body
    # Navigation, share buttons, related links, comments and the footer are gone.
    for boilerplate in ("Chia sẻ Facebook", "Tin liên quan", "Bình luận", "Giấy phép hoạt động", "Trang chủ"):
        assert boilerplate not in extracted.body
    assert not extracted.body.startswith(article.title)  # the title is not repeated in the body
    assert extracted.published_at is not None
    assert extracted.published_at.astimezone(dt.UTC).replace(second=0) == article.published.astimezone(dt.UTC)
    assert extracted.language == "vi"
    assert extracted.canonical_url == url


def test_amp_pages_point_to_the_canonical_article(replay: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    article = replay.corpus.released(0, now)[1]
    html = page(replay, 0, f"/amp/bai-viet/{article.slug}.html")
    extracted = extract_article(html, f"{replay.base(0)}/amp/bai-viet/{article.slug}.html", now=now)
    assert extracted.canonical_url == f"{replay.base(0)}/bai-viet/{article.slug}.html"


def test_windows_1258_page_is_readable(replay: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    extracted = extract_article(page(replay, 0, "/_test/cp1258.html"), f"{replay.base(0)}/_test/cp1258.html", now=now)
    assert extracted.title == "Tổng kết công tác tuyên truyền năm 2021"
    assert "Chỉ thị số 04-CT/ĐUK" in extracted.body
    assert extracted.published_at == dt.datetime(2022, 1, 10, 9, 0, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty_page"),
        ("<html><head><title></title></head><body></body></html>", "no_content"),
        (
            "<html><body><article><h1>Tin ngắn</h1><p>Chỉ một câu ngắn về sự kiện.</p></article></body></html>",
            "too_short",
        ),
    ],
)
def test_pages_without_an_article_are_discarded(html: str, reason: str) -> None:
    with pytest.raises(StageError) as caught:
        extract_article(html, "https://bao.vn/a.html", now=dt.datetime.now(dt.UTC))
    assert (caught.value.outcome, caught.value.reason) == (Outcome.DISCARDED, reason)


def test_foreign_language_pages_are_discarded(replay: Any) -> None:
    with pytest.raises(StageError) as caught:
        extract_article(page(replay, 0, "/_test/english.html"), "https://bao.vn/en.html", now=dt.datetime.now(dt.UTC))
    assert caught.value.reason == "not_vietnamese"


def test_hostile_markup_is_handled() -> None:
    nasty = "<html><body>" + "<div>" * 5000 + "Nội dung " * 100 + "</div>" * 10 + "<script>alert(1)</script></body>"
    # Deeply nested junk with a script: either some text survives (without the script) or
    # the page is set aside with a reason; it never raises anything else.
    try:
        extracted = extract_article(nasty, "https://bao.vn/x.html", now=dt.datetime.now(dt.UTC))
    except StageError as error:
        outcome = error.outcome
    else:
        assert "alert" not in extracted.body
        outcome = Outcome.KEPT
    assert outcome in (Outcome.KEPT, Outcome.DISCARDED, Outcome.QUARANTINED)


def test_dates_in_the_future_are_not_trusted() -> None:
    body = "<p>" + "Đây là một đoạn văn bản tiếng Việt đủ dài để được coi là nội dung bài báo. " * 8 + "</p>"
    html = f'<html><head><meta property="article:published_time" content="2099-01-01T00:00:00+07:00"></head><body><article><h1>Tiêu đề bài báo</h1>{body}</article></body></html>'
    extracted = extract_article(html, "https://bao.vn/a.html", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert extracted.published_at is None
