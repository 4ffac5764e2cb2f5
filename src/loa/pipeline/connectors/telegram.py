"""Telegram public channels through their public web preview (`https://t.me/s/NAME`).

The preview shows the channel's latest messages, oldest at the top; `?before=ID` shows those
before a message. Each message (`.tgme_widget_message`, `data-post="NAME/ID"`) gives its text
(`.tgme_widget_message_text`), time (`time[datetime]`) and views (`.tgme_widget_message_views`,
"1.2K"); its address is https://t.me/NAME/ID. Pages are read backwards until a message older
than the last successful poll, or `Poll.max_pages`.

Read nowhere: who a message was forwarded from (`.tgme_widget_message_forwarded_from`), the
person who signed a channel post (`.tgme_widget_message_from_author`), the author of a message
replied to (`.tgme_widget_message_reply`) and the author line (`.tgme_widget_message_author`):
only the elements named above are read, so none of these names leaves the parse function.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from loa.pipeline.connectors import Poll, register
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import discard, quarantine, retry
from loa.pipeline.social import Engagement, Post, PostPage, Rejected, count, posted_at

# Messages read from one page at most (Telegram shows about 20).
MAX_MESSAGES = 100
_NAME = re.compile(r"[A-Za-z][\w]{2,63}")
_POST = re.compile(r"([A-Za-z][\w]{2,63})/(\d{1,12})")


def _class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_MESSAGES = etree.XPath(f"//*[{_class('tgme_widget_message')}]")
_CHANNEL = etree.XPath(f"//*[{_class('tgme_channel_info')}]")
# The message's own text, not the quoted one of a message it replies to.
_TEXT = etree.XPath(
    f".//*[{_class('tgme_widget_message_text')}][not(ancestor::*[{_class('tgme_widget_message_reply')}])]"
)
_VIEWS = etree.XPath(f".//*[{_class('tgme_widget_message_views')}]")
_TIME = etree.XPath(f".//*[{_class('tgme_widget_message_date')}]//time[@datetime]")


def _select(path: etree.XPath, node: Any) -> list[Any]:
    found = path(node)
    return list(found) if isinstance(found, list) else []


def preview_url(url: str) -> tuple[str, str]:
    """(the channel's preview address, its name) from https://t.me/NAME or https://t.me/s/NAME."""
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if not segments or not _NAME.fullmatch(segments[0]):
        raise discard("bad_url", f"{url}: not a Telegram channel's address")
    return f"{parts.scheme}://{parts.netloc}/s/{segments[0]}", segments[0]


def _message_text(node: Any) -> str:
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "".join(node.itertext()).strip()


def page_parse(body: str) -> tuple[list[Post], list[Rejected], list[int]]:
    """The posts of a preview page, newest first; the messages that could not be read; the ids
    of all messages (a photo without a caption has an id, not a post). Raises StageError for a
    page that is not a channel's preview."""
    try:
        document = lxml_html.fromstring(body) if body.strip() else None
    except (etree.ParserError, ValueError) as exc:
        raise quarantine("malformed_html", str(exc)[:300]) from exc
    if document is None:
        raise quarantine("malformed_html", "empty page")
    nodes = _select(_MESSAGES, document)
    if not nodes and not _select(_CHANNEL, document):
        raise quarantine("malformed_html", "not a Telegram channel's public preview")
    posts: list[tuple[int, Post]] = []
    rejected: list[Rejected] = []
    ids: list[int] = []
    for index, node in enumerate(nodes[:MAX_MESSAGES]):
        match = _POST.fullmatch(node.get("data-post", ""))
        texts = _select(_TEXT, node)
        times = _select(_TIME, node)
        if match is None:
            rejected.append(Rejected(where=f"message {index}", reason="malformed_post"))
            continue
        message_id = int(match.group(2))
        ids.append(message_id)
        if not texts:
            # A photo, a sticker, a poll: nothing Loa reads, not a fault of the payload.
            continue
        views = _select(_VIEWS, node)
        number = count(views[0].text_content()) if views else None
        post = Post(
            url=f"https://t.me/{match.group(1)}/{message_id}",
            text=_message_text(texts[0]),
            published=posted_at(times[0].get("datetime", "")) if times else None,
            engagement=Engagement(views=number) if number is not None else None,
        )
        posts.append((message_id, post))
    posts.sort(key=lambda pair: pair[0], reverse=True)
    return [post for _id, post in posts], rejected, ids


def telegram_poll(poll: Poll, fetcher: Fetcher) -> Iterator[PostPage]:
    base, _name = preview_url(poll.url)
    url = base
    smallest: int | None = None
    for number in range(max(poll.max_pages, 1)):
        response = fetcher.get(url, accept="text/html", keep=(429,))
        if response.status == 429:
            raise retry("rate_limited", f"{url}: HTTP 429, Retry-After {response.headers.get('retry-after', '?')}")
        if "/s/" not in urlsplit(response.final_url).path:
            # t.me sends a channel without a public preview (or a person) to its plain page.
            raise discard("platform_error", f"{base}: the channel has no public web preview")
        posts, rejected, ids = page_parse(response.text())
        page = PostPage(posts=posts, rejected=rejected)
        known = poll.since is not None and any(p.published is not None and p.published < poll.since for p in page.posts)
        lowest = min(ids) if ids else None
        if (
            lowest is not None
            and lowest > 1
            and (smallest is None or lowest < smallest)
            and not known
            and number + 1 < poll.max_pages
        ):
            page.next_url = f"{base}?before={lowest}"
        smallest = lowest if smallest is None or (lowest is not None and lowest < smallest) else smallest
        yield page
        if page.next_url is None:
            return
        url = page.next_url


register("telegram", telegram_poll)
