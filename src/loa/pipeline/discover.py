"""Discovery: links to articles from RSS/Atom feeds, sitemaps (index and Google News)
and HTML section pages, with whatever the listing says about each (title, time)."""

from __future__ import annotations

import datetime as dt
import re
from calendar import timegm
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from loa.pipeline.decompress import DecompressError, TooLarge, gunzip_bounded
from loa.pipeline.outcomes import StageError, quarantine
from loa.text.dates import parse_news_datetime
from loa.text.normalization import normalize


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str = ""
    published: dt.datetime | None = None
    summary: str = ""


@dataclass(frozen=True)
class Listing:
    candidates: list[Candidate]
    # Sitemap indexes point at more sitemaps to read.
    sitemaps: list[str]
    malformed: bool = False


def _entry_time(entry: feedparser.FeedParserDict, now: dt.datetime) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get, not the FeedParserDict's: that one maps missing keys onto each other
        # with a deprecation warning.
        parsed = dict.get(entry, key)
        if parsed:
            return dt.datetime.fromtimestamp(timegm(parsed), tz=dt.UTC)
    for key in ("published", "updated", "created"):
        raw = dict.get(entry, key)
        if raw:
            # Vietnamese feeds write "31/08/2021 10:30" which feedparser does not read.
            found = parse_news_datetime(str(raw), now)
            if found:
                return found
    return None


_HTML_START = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


def _looks_like_html(body: bytes) -> bool:
    return bool(_HTML_START.search(body[:2048]))


def _not_a_listing(body: bytes, kind: str) -> StageError | None:
    """Why a body that should be a feed or sitemap is not one (an empty answer or an HTML
    page, often a login wall or an error page sent with status 200), or None."""
    if not body.strip():
        return quarantine("empty_listing", f"{len(body)} bytes, no {kind}")
    if _looks_like_html(body):
        return quarantine(f"{kind}_is_html", body[:120].decode("utf-8", "replace").strip())
    return None


def parse_feed(body: bytes, base_url: str, now: dt.datetime, content_type: str = "") -> Listing:
    # Bytes, never a str: feedparser fetches anything that looks like a URL.
    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        # A feed with no items is healthy; an answer that is no feed at all is not, even
        # when feedparser raises no flag (an empty body, well-formed XHTML).
        problem = _not_a_listing(body, "feed")
        if problem is not None:
            raise problem
        bozo = parsed.get("bozo_exception")
        if not parsed.get("version"):
            raise quarantine("not_a_feed", str(bozo or "no RSS or Atom element")[:300])
        if parsed.get("bozo") and not isinstance(bozo, feedparser.NonXMLContentType):
            raise quarantine("malformed_feed", str(bozo)[:300])
    candidates = []
    for entry in entries:
        link = entry.get("link") or ""
        if not link:
            continue
        candidates.append(
            Candidate(
                url=urljoin(base_url, link.strip()),
                title=normalize(entry.get("title", "")),
                published=_entry_time(entry, now),
                summary=normalize(_strip_tags(entry.get("summary", ""))),
            )
        )
    return Listing(candidates=candidates, sitemaps=[], malformed=bool(parsed.get("bozo")))


def _strip_tags(fragment: str) -> str:
    if "<" not in fragment:
        return fragment
    try:
        node = lxml_html.fromstring(f"<div>{fragment}</div>")
        return str(node.text_content())  # type: ignore[attr-defined]
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


# Sitemap `.gz` files arrive as the bytes of a gzip file, not a Content-Encoding the
# fetcher undoes. Unpacked they get the cap of any fetched body; the ratio is the fetcher's
# too (a real sitemap packs 10 to 30 times; a bomb of zeros about a thousand).
GZIP_MAGIC = b"\x1f\x8b"
MAX_GZIP_RATIO = 100
MAX_UNPACKED = 5 * 1024 * 1024


def _gunzip_sitemap(body: bytes, max_unpacked: int) -> bytes:
    try:
        return gunzip_bounded(body, max_bytes=max_unpacked, max_ratio=MAX_GZIP_RATIO)
    except TooLarge as exc:
        raise quarantine("sitemap_too_large", f"{len(body)} compressed bytes: {exc}"[:300]) from exc
    except DecompressError as exc:
        raise quarantine("malformed_sitemap", f"gzip: {exc}"[:300]) from exc


def parse_sitemap(
    body: bytes, base_url: str, now: dt.datetime, *, max_age: dt.timedelta, max_unpacked: int = MAX_UNPACKED
) -> Listing:
    """URLs of a sitemap changed within `max_age`, or the child sitemaps of an index. A
    gzipped sitemap is unpacked first, to at most `max_unpacked` bytes."""
    if body.startswith(GZIP_MAGIC):
        body = _gunzip_sitemap(body, max_unpacked)
    try:
        root = etree.fromstring(body, parser=_SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise _not_a_listing(body, "sitemap") or quarantine("malformed_sitemap", str(exc)[:300]) from exc
    kind = _local(root.tag) if root is not None else ""
    if kind not in {"sitemapindex", "urlset"}:
        problem = _not_a_listing(body, "sitemap")
        if problem is not None:
            raise problem
    if root is None:
        raise quarantine("malformed_sitemap", "empty document")
    if kind == "sitemapindex":
        sitemaps = []
        for node in root:
            loc = next((c.text for c in node if _local(c.tag) == "loc" and c.text), None)
            if loc:
                sitemaps.append(urljoin(base_url, loc.strip()))
        return Listing(candidates=[], sitemaps=sitemaps)
    if kind != "urlset":
        raise quarantine("malformed_sitemap", f"root element {kind!r}")
    candidates = []
    for node in root:
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            if name in {"loc", "lastmod", "publication_date", "title"} and child.text:
                fields.setdefault(name, child.text.strip())
        if "loc" not in fields:
            continue
        stamp = fields.get("publication_date") or fields.get("lastmod")
        published = None
        if stamp:
            published = parse_news_datetime(stamp, now)
        if published is not None and now - published > max_age:
            continue
        candidates.append(
            Candidate(
                url=urljoin(base_url, fields["loc"]),
                title=normalize(fields.get("title", "")),
                published=published,
            )
        )
    return Listing(candidates=candidates, sitemaps=[])


_ARTICLE_PATH = re.compile(r"(\d{5,}|\.html?$|\.htm$|-\d+\.\w+$)")


def parse_section(html: str, base_url: str, link_pattern: str = "") -> Listing:
    """Article links of an HTML section page: those matching `link_pattern` (a regular
    expression), else same-site links that look like article pages (an id or .html)."""
    try:
        document = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise quarantine("malformed_html", str(exc)[:300]) from exc
    pattern = re.compile(link_pattern) if link_pattern else None
    site = urlsplit(base_url).netloc
    titles: dict[str, str] = {}
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base_url, href)
        parts = urlsplit(url)
        if pattern is not None:
            if not pattern.search(url):
                continue
        elif parts.netloc != site or not _ARTICLE_PATH.search(parts.path):
            continue
        # A picture link and a headline link often point at the same article.
        title = normalize(anchor.text_content() or "")  # type: ignore[attr-defined]
        if not titles.get(url):
            titles[url] = title
    return Listing(candidates=[Candidate(url=url, title=title) for url, title in titles.items()], sitemaps=[])
