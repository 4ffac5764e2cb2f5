"""Forum sections: the new threads of one section of a XenForo, phpBB or vBulletin forum.

The source's address is the section's RSS/Atom feed (XenForo /forums/NAME.ID/index.rss, phpBB
feed.php?f=ID, vBulletin external.php?type=RSS2&forumids=ID) or its listing page. A thread is
one post: its title and its first post's text: from a feed, the item's description; from a
listing, the thread's own page, read for at most `THREADS_READ` new threads a poll (the others,
and threads started before the last poll, come with their title as text, which is enough to
snapshot their reply and view counts). The software is told by the page's markup.

Nothing about a poster is read: not dc:creator or an entry's author, not `data-author`,
`.username`, avatars, signatures or profile links; quotes of other posts (which name who is
quoted) are taken out of a first post before its text is read; session ids are taken out of
addresses.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import timegm
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from loa.pipeline.connectors import Poll, register
from loa.pipeline.fetch import Fetcher, Response
from loa.pipeline.outcomes import Outcome, StageError, discard, quarantine, retry
from loa.pipeline.social import Engagement, Post, PostPage, Rejected, count, posted_at

# Thread pages read per poll for their first post; threads per listing page or feed.
THREADS_READ = 10
MAX_THREADS = 60
# Session and tracking parameters forums add to addresses (a session id follows one visitor).
_SESSION_PARAMS = frozenset({"sid", "s", "phpsessid", "sessionhash", "utm_source", "utm_medium", "utm_campaign"})
# What names or shows a person inside a post, and quotes of others' posts (they name who said it).
_PERSONAL = (
    "//blockquote | //*[contains(@class,'bbCodeBlock--quote')] | //*[contains(@class,'username')]"
    " | //*[contains(@class,'avatar')] | //*[contains(@class,'signature')] | //*[@data-author]"
    " | //a[contains(@href,'/members/') or contains(@href,'memberlist.php') or contains(@href,'member.php')]"
    " | //img | //script | //style"
)
_STATISTICS = re.compile(r"(?:Statistics|Thống kê|Statistiques)\s*:", re.IGNORECASE)
# phpBB's feed titles an entry "Forum name • Topic title".
_PHPBB_TITLE = re.compile(r"^[^•]{1,120} • ")
_NUMBER = re.compile(r"\d[\d.,\s]*(?:[KkMm]|N|nghìn|triệu)?")


@dataclass
class Thread:
    url: str
    title: str
    started: dt.datetime | None
    replies: int | None
    views: int | None


def clean_url(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _SESSION_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def _is_feed(response: Response) -> bool:
    head = response.body[:600].lstrip().lower()
    if b"<html" in head or b"<!doctype html" in head:
        return False
    return "xml" in response.content_type or "rss" in response.content_type or head.startswith(b"<?xml")


def software(doc: lxml_html.HtmlElement) -> str:
    """ "xenforo", "phpbb" or "vbulletin" from the page's markup; "" for none of them."""
    generator = " ".join(doc.xpath("//meta[@name='generator']/@content")).lower()
    root_id = (doc.get("id") or "").lower()
    if root_id == "xf" or doc.xpath("//*[contains(@class,'structItem')]") or "xenforo" in generator:
        return "xenforo"
    if doc.xpath("//ul[contains(@class,'topiclist')] | //body[@id='phpbb']") or "phpbb" in generator:
        return "phpbb"
    if doc.xpath("//li[contains(@class,'threadbit')] | //*[contains(@class,'postcontainer')]") or (
        "vbulletin" in generator
    ):
        return "vbulletin"
    return ""


def text_of(fragment: lxml_html.HtmlElement) -> str:
    """A post's text without quotes, names, avatars or signatures, its line breaks kept."""
    for element in fragment.xpath("." + _PERSONAL.replace(" | //", " | .//")):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    for br in fragment.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in fragment.xpath(".//p | .//div | .//li"):
        block.tail = "\n" + (block.tail or "")
    text = fragment.text_content()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _html_text(markup: str) -> str:
    if not markup.strip():
        return ""
    try:
        fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    # phpBB's feed ends each entry with "Statistics: Posted by NAME — date".
    for paragraph in fragment.xpath(".//p"):
        if _STATISTICS.match(paragraph.text_content().strip()):
            paragraph.drop_tree()
    return text_of(fragment)


def _first_number(text: str) -> int | None:
    match = _NUMBER.search(text)
    return count(match.group(0).replace(" ", "")) if match else None


def _when(values: list[str]) -> dt.datetime | None:
    for value in values:
        value = value.strip()
        if value.isdigit():  # XenForo's data-time: seconds since the epoch
            return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
        parsed = posted_at(value)
        if parsed is not None:
            return parsed
    return None


def _labelled_counts(pairs: list[tuple[str, str]]) -> tuple[int | None, int | None]:
    replies = views = None
    for label, value in pairs:
        label = label.lower()
        if any(word in label for word in ("repl", "trả lời", "bình luận", "posts", "hồi âm")):
            replies = _first_number(value)
        elif any(word in label for word in ("view", "xem")):
            views = _first_number(value)
    return replies, views


def _threads(doc: lxml_html.HtmlElement, kind: str, base: str) -> tuple[list[Thread], list[Rejected]]:
    threads: list[Thread] = []
    rejected: list[Rejected] = []
    if kind == "xenforo":
        rows = doc.xpath("//div[contains(@class,'structItem--thread')]")
    elif kind == "phpbb":
        rows = doc.xpath("//ul[contains(@class,'topiclist')]/li[contains(@class,'row')]")
    else:
        rows = doc.xpath("//li[contains(@class,'threadbit')]")
    for index, row in enumerate(rows[:MAX_THREADS]):
        if kind == "xenforo":
            links = row.xpath(".//div[contains(@class,'structItem-title')]//a[contains(@href,'threads/')]")
            started = _when(
                row.xpath(".//*[contains(@class,'structItem-startDate')]//time/@data-time")
                + row.xpath(".//*[contains(@class,'structItem-startDate')]//time/@datetime")
            )
            pairs = [
                (" ".join(dl.xpath("./dt//text()")), " ".join(dl.xpath("./dd//text()")))
                for dl in row.xpath(".//dl[contains(@class,'pairs')]")
            ]
        elif kind == "phpbb":
            links = row.xpath(".//a[contains(@class,'topictitle')]")
            started = _when(row.xpath(".//dt//time/@datetime"))
            pairs = [
                ("replies", " ".join(row.xpath(".//dd[contains(@class,'posts')]/text()"))),
                ("views", " ".join(row.xpath(".//dd[contains(@class,'views')]/text()"))),
            ]
        else:
            links = row.xpath(".//a[contains(@class,'title')]")
            started = _when(row.xpath(".//*[contains(@class,'threadmeta')]//time/@datetime"))
            pairs = [
                tuple(item.text_content().split(":", 1)) if ":" in item.text_content() else ("", "")
                for item in row.xpath(".//ul[contains(@class,'threadstats')]/li")
            ]
        title = links[0].text_content().strip() if links else ""
        href = links[0].get("href", "") if links else ""
        if not title or not href:
            rejected.append(Rejected(where=str(index), reason="malformed_post"))
            continue
        replies, views = _labelled_counts(pairs)
        threads.append(Thread(clean_url(urljoin(base, href)), title, started, replies, views))
    return threads, rejected


def _next_page(doc: lxml_html.HtmlElement, base: str) -> str | None:
    hrefs = doc.xpath(
        "//a[@rel='next']/@href | //a[contains(@class,'pageNav-jump--next')]/@href"
        " | //li[contains(@class,'next')]/a/@href"
    )
    return clean_url(urljoin(base, hrefs[0])) if hrefs else None


def first_post(doc: lxml_html.HtmlElement, kind: str) -> str:
    if kind == "xenforo":
        found = doc.xpath("(//article[contains(@class,'message')]//div[contains(@class,'bbWrapper')])[1]")
    elif kind == "phpbb":
        found = doc.xpath("(//div[contains(@class,'post')]//div[contains(@class,'content')])[1]")
    else:
        found = doc.xpath("(//*[contains(@class,'postcontent')])[1]")
    return text_of(found[0]) if found else ""


def _get(fetcher: Fetcher, url: str) -> Response:
    response = fetcher.get(url, accept="text/html,application/xhtml+xml,application/xml;q=0.9", keep={429})
    if response.status == 429:
        raise retry("rate_limited", f"{url}: HTTP 429")
    return response


def _parse_html(response: Response) -> lxml_html.HtmlElement:
    try:
        return lxml_html.document_fromstring(response.text())
    except (etree.ParserError, ValueError) as exc:
        raise quarantine("malformed_html", f"{response.final_url}: {exc}") from exc


def parse_feed(body: bytes) -> PostPage:
    parsed = feedparser.parse(body)
    links = " ".join(str(link.get("href", "")) for link in parsed.feed.get("links", []))
    phpbb = "feed.php" in links or "phpbb" in str(parsed.feed.get("generator", "")).lower()
    page = PostPage()
    for index, entry in enumerate(parsed.entries[:MAX_THREADS]):
        # The entry's author (dc:creator, <author>) is not read.
        link, title = entry.get("link", ""), entry.get("title", "").strip()
        if phpbb:
            title = _PHPBB_TITLE.sub("", title)
        if not link or not title:
            page.rejected.append(Rejected(where=str(index), reason="malformed_post"))
            continue
        contents = entry.get("content") or []
        markup = contents[0].get("value", "") if contents else entry.get("summary", "")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        replies = count(entry.get("slash_comments"))
        page.posts.append(
            Post(
                url=clean_url(link),
                title=title,
                text=_html_text(markup) or title,
                published=dt.datetime.fromtimestamp(timegm(stamp), tz=dt.UTC) if stamp else None,
                engagement=Engagement(comments=replies) if replies is not None else None,
            )
        )
    if parsed.bozo and not page.posts:  # nothing readable: the feed, not an item, is broken
        raise quarantine("malformed_feed", str(parsed.get("bozo_exception", ""))[:200])
    return page


def forum(poll: Poll, fetcher: Fetcher) -> Iterator[PostPage]:
    response = _get(fetcher, poll.url)
    if _is_feed(response):
        yield parse_feed(response.body)
        return
    budget = THREADS_READ
    url: str | None = poll.url
    for number in range(poll.max_pages):
        if url is None:
            return
        if number:
            response = _get(fetcher, url)
        doc = _parse_html(response)
        kind = software(doc)
        if not kind:
            raise discard("not_a_forum", f"{response.final_url}: no XenForo, phpBB or vBulletin thread list")
        threads, rejected = _threads(doc, kind, response.final_url)
        page = PostPage(rejected=rejected, next_url=_next_page(doc, response.final_url))
        any_new = False
        for thread in threads:
            new = poll.since is None or thread.started is None or thread.started > poll.since
            any_new = any_new or new
            text = thread.title
            if new and budget > 0:
                budget -= 1
                try:
                    text = first_post(_parse_html(_get(fetcher, thread.url)), kind) or thread.title
                except StageError as error:
                    if error.outcome is Outcome.RETRY:
                        raise  # the forum limits or fails: the whole poll is tried again later
                    page.rejected.append(Rejected(where=thread.url[-80:], reason=error.reason))
                    continue
            page.posts.append(
                Post(
                    url=thread.url,
                    title=thread.title,
                    text=text,
                    published=thread.started,
                    engagement=Engagement(views=thread.views, comments=thread.replies),
                )
            )
        yield page
        if not any_new:
            return
        url = page.next_url


register("forum", forum)
