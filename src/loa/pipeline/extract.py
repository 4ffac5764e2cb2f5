"""Extraction of an article page: title, lead (sapo), body, publication time, canonical
URL and language, through trafilatura, with Vietnamese date rules on top."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from loa.pipeline.outcomes import discard, quarantine
from loa.text.dates import VIETNAM, parse_news_datetime
from loa.text.language import detect_language
from loa.text.normalization import normalize

logger = logging.getLogger(__name__)

MIN_BODY_CHARS = 200
# An XHTML page's XML declaration names the encoding its bytes had; the text here is
# decoded already (by loa.text.encoding, as everywhere), and lxml refuses such a string.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Extracted:
    title: str
    lead: str
    body: str
    published_at: dt.datetime | None
    canonical_url: str
    language: str
    site_name: str = ""


_META_TIMES = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "date",
    "og:published_time",
    "article:published",
    "itemprop:datePublished",
)
_DATE_CLASS = re.compile(r"date|time|publish|ngay|thoigian|created", re.IGNORECASE)


def _meta_published(document: lxml_html.HtmlElement, now: dt.datetime) -> dt.datetime | None:
    for node in document.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip()
        if key in _META_TIMES or key.lower() in {k.lower() for k in _META_TIMES}:
            found = parse_news_datetime(node.get("content") or "", now)
            if found:
                return found
    for node in document.iter("time"):
        found = parse_news_datetime(node.get("datetime") or "", now)
        if found:
            return found
    for script in document.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (json.JSONDecodeError, ValueError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                found = parse_news_datetime(item["datePublished"], now)
                if found:
                    return found
    return None


def _text_published(document: lxml_html.HtmlElement, now: dt.datetime) -> dt.datetime | None:
    """Vietnamese pages often state the time only in text: "Thứ Ba, 31/8/2021, 10:30 (GMT+7)"."""
    for node in document.iter():
        if not isinstance(node.tag, str):
            continue
        marker = f"{node.get('class', '')} {node.get('id', '')}"
        if _DATE_CLASS.search(marker):
            text = node.text_content().strip()
            if 4 < len(text) < 120:
                found = parse_news_datetime(text, now)
                if found:
                    return found
    return None


def _canonical(document: lxml_html.HtmlElement, url: str) -> str:
    for node in document.iter("link"):
        if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
            candidate = urljoin(url, str(node.get("href", "")).strip())
            # A canonical link pointing at another site is not trusted.
            if urlsplit(candidate).hostname == urlsplit(url).hostname:
                return candidate
    return url


def _lead(document: lxml_html.HtmlElement, description: str) -> str:
    for node in document.xpath(
        '//*[contains(concat(" ", normalize-space(@class), " "), " sapo ") '
        'or contains(@class, "sapo") or contains(@class, "lead") or contains(@class, "chapeau") '
        'or contains(@class, "description") or contains(@class, "summary")]'
    ):
        text = normalize(node.text_content())
        if 40 <= len(text) <= 1000:
            return text
    return normalize(description)


def _strip_repeated(body: str, now: dt.datetime, *heads: str) -> str:
    """trafilatura keeps the title, the date line and the sapo as the first lines."""
    lines = body.split("\n")
    while lines:
        first = lines[0].strip()
        repeated = any(head and first == head.strip() for head in heads)
        if repeated or (len(first) < 60 and parse_news_datetime(first, now) is not None):
            lines.pop(0)
        else:
            break
    return "\n".join(lines).strip()


def extract_article(
    html: str,
    url: str,
    *,
    now: dt.datetime,
    hint_title: str = "",
    hint_published: dt.datetime | None = None,
    deduplicate: bool = True,
) -> Extracted:
    """The article of a page. `deduplicate` drops paragraphs this process has already seen
    several times (trafilatura's process-wide cache: boilerplate repeated across a site's
    pages); a page read again on purpose (a request's checks) must pass False, or its own
    paragraphs disappear on the third reading."""
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        raise discard("empty_page", url)
    try:
        document = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise quarantine("malformed_html", str(exc)[:300]) from exc
    try:
        raw = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            deduplicate=deduplicate,
            # Loa reads dates itself (meta tags, feeds, Vietnamese text); htmldate's extensive
            # search is only the last resort and cost 20 ms a page of the 25 (measured).
            date_extraction_params={"extensive_search": False},
        )
    except Exception as exc:  # trafilatura raises many types on hostile markup
        logger.warning("extract %s failed: %s", url, exc)
        raise quarantine("extract_error", f"{type(exc).__name__}: {exc}"[:300]) from exc
    # A Document in trafilatura 2, a dict in older releases; read both the same way.
    fields: dict[str, Any] = raw if isinstance(raw, dict) else (raw.as_dict() if raw is not None else {})
    raw_title, description = str(fields.get("title") or ""), str(fields.get("description") or "")
    text = str(fields.get("text") or "")
    if not text:
        raise discard("no_content", url)
    title = normalize(raw_title or hint_title)
    if not title:
        raise discard("no_title", url)
    lead = _lead(document, description)
    body = normalize(_strip_repeated(text, now, raw_title, title, lead, description))
    if len(body) < MIN_BODY_CHARS:
        raise discard("too_short", f"{len(body)} characters")
    language = detect_language(f"{title}\n{body}")
    if language != "vi":
        raise discard("not_vietnamese", language)
    published = _meta_published(document, now) or hint_published or _text_published(document, now)
    if published is None and fields.get("date"):
        try:
            day = dt.date.fromisoformat(str(fields["date"])[:10])
            published = dt.datetime(day.year, day.month, day.day, tzinfo=VIETNAM)
        except ValueError:
            published = None
    if published is not None and published > now + dt.timedelta(hours=1):
        published = None  # a date in the future is a misread, not a scoop
    return Extracted(
        title=title,
        lead=lead,
        body=body,
        published_at=published,
        canonical_url=_canonical(document, url),
        language=language,
        site_name=normalize(str(fields.get("sitename") or "")),
    )
