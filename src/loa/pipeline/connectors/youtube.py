"""YouTube channels: the channel's public Atom feed, and with an API key the Data API's statistics.

The feed (`/feeds/videos.xml?channel_id=UC…`) lists the channel's latest videos (about 15,
no paging): each entry's id, title, description, time and, when the feed carries them, its
views (`media:statistics`) and ratings (`media:starRating`). With `Credentials.youtube_api_key`
the Data API v3 `videos.list?part=statistics` gives views, likes and comment counts for up to
50 videos a call. Read nowhere: the entry's `author` (the channel, already the outlet) and any
commenter; comments are counted by the API, never fetched.

All of the feed's videos are handed over each poll, older ones included: storage keeps each
once and takes a fresh engagement snapshot of those it knows (views keep growing after the fact).

Statistics are an extra: when the API limits requests (quota or rate) or fails in passing, the
videos are kept with what the feed says and a log line says so. A key the API refuses is a
person's to fix: the videos are handed over first, then `token_invalid` (or `token_expired`)
stops the poll so that the source's health shows it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from lxml import etree

from loa.pipeline.connectors import Poll, register
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome, StageError, discard, quarantine, retry
from loa.pipeline.social import Engagement, Post, PostPage, Rejected, count, posted_at

logger = logging.getLogger(__name__)

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "yt": "http://www.youtube.com/xml/schemas/2015",
    "media": "http://search.yahoo.com/mrss/",
}
# Ids a videos.list call takes at most.
API_BATCH = 50
# Entries read from one feed at most (YouTube serves 15; a replay or a proxy could serve more).
MAX_ENTRIES = 200
_CHANNEL_ID = re.compile(r"UC[\w-]{22}")
_VIDEO_ID = re.compile(r"[\w-]{11}")
_RATE_REASONS = frozenset({"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"})
_KEY_REASONS = frozenset({"keyInvalid", "badRequest", "API_KEY_INVALID", "forbidden", "accessNotConfigured"})
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def feed_url(url: str) -> str:
    """The channel's feed address: the feed itself, or built from a channel page's address
    (…/channel/UC…) on the same host."""
    parts = urlsplit(url.strip())
    if parse_qs(parts.query).get("channel_id"):
        return url.strip()
    match = re.match(r"/channel/(UC[\w-]+)", parts.path)
    if not match:
        raise discard("bad_url", f"{url}: neither a channel's feed nor its /channel/UC… page")
    return f"{parts.scheme}://{parts.netloc}/feeds/videos.xml?{urlencode({'channel_id': match.group(1)})}"


def _text(node: Any, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def feed_parse(body: bytes) -> tuple[list[tuple[str, Post]], list[Rejected]]:
    """(video id, post) for each readable entry, and the entries that are not; raises StageError
    (`malformed_feed`) for a body that is not an Atom feed."""
    try:
        root = etree.fromstring(body, parser=_SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise quarantine("malformed_feed", str(exc)[:300]) from exc
    if root is None or root.tag != f"{{{NS['atom']}}}feed":
        raise quarantine("malformed_feed", f"root element {getattr(root, 'tag', None)!r}")
    videos: list[tuple[str, Post]] = []
    rejected: list[Rejected] = []
    for index, entry in enumerate(root.findall("atom:entry", NS)[:MAX_ENTRIES]):
        video_id = _text(entry, "yt:videoId")
        title = _text(entry, "atom:title")
        if not _VIDEO_ID.fullmatch(video_id) or not title:
            rejected.append(Rejected(where=f"entry {index}", reason="malformed_post"))
            continue
        description = _text(entry, "media:group/media:description")
        statistics = entry.find("media:group/media:community/media:statistics", NS)
        rating = entry.find("media:group/media:community/media:starRating", NS)
        views = count(statistics.get("views")) if statistics is not None else None
        ratings = count(rating.get("count")) if rating is not None else None
        engagement = Engagement(views=views, reactions=ratings) if views is not None or ratings is not None else None
        post = Post(
            url=f"https://www.youtube.com/watch?v={video_id}",
            title=title,
            text=f"{title}\n\n{description}" if description else title,
            published=posted_at(_text(entry, "atom:published")),
            engagement=engagement,
        )
        videos.append((video_id, post))
    return videos, rejected


def _api_error(status: int, body: bytes) -> StageError:
    """The StageError an error answer of the Data API stands for (its reasons, never its message's
    details, which may quote the key)."""
    reasons: set[str] = set()
    message = ""
    try:
        error = json.loads(body).get("error", {})
        message = str(error.get("message", ""))
        reasons = {str(e.get("reason", "")) for e in error.get("errors", []) if isinstance(e, dict)}
        reasons |= {str(d.get("reason", "")) for d in error.get("details", []) if isinstance(d, dict)}
    except (ValueError, AttributeError):
        pass
    if status >= 500:
        return retry(f"http_{status}", "YouTube Data API")
    if status == 429 or reasons & _RATE_REASONS:
        return retry("rate_limited", f"YouTube Data API: {', '.join(sorted(reasons)) or status}")
    if "expired" in message.lower() or "API_KEY_EXPIRED" in reasons:
        return discard("token_expired", "YouTube Data API: the key has expired")
    if reasons & _KEY_REASONS or "api key not valid" in message.lower() or status in (400, 401, 403):
        return discard(
            "token_invalid", f"YouTube Data API: the key is refused ({', '.join(sorted(reasons)) or status})"
        )
    return discard("platform_error", f"YouTube Data API: HTTP {status}")


def statistics_fetch(ids: list[str], poll: Poll, fetcher: Fetcher) -> dict[str, Engagement]:
    """Views, likes and comment counts of the videos, by id; raises StageError for an error answer."""
    api = poll.credentials.youtube_api_url.rstrip("/")
    found: dict[str, Engagement] = {}
    for start in range(0, len(ids), API_BATCH):
        query = urlencode({"part": "statistics", "id": ",".join(ids[start : start + API_BATCH])})
        url = f"{api}/videos?{query}&key={poll.credentials.youtube_api_key}"
        try:
            # Error answers come back to be read here, 5xx included: the fetcher would log the
            # address of each retry, and the address carries the key.
            response = fetcher.get(url, accept="application/json", keep=(400, 401, 403, 429, 500, 502, 503, 504))
        except StageError as error:
            # The fetcher's detail is the address, and the address carries the key.
            raise StageError(error.outcome, error.reason, "YouTube Data API") from None
        if response.status >= 400:
            raise _api_error(response.status, response.body)
        try:
            items = json.loads(response.body).get("items", [])
        except (ValueError, AttributeError):
            logger.warning("youtube statistics: an answer is not JSON; %s videos without them", len(ids))
            continue
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("statistics"), dict):
                continue
            numbers = item["statistics"]
            found[str(item.get("id", ""))] = Engagement(
                views=count(numbers.get("viewCount")),
                reactions=count(numbers.get("likeCount")),
                comments=count(numbers.get("commentCount")),
            )
    return found


def youtube_poll(poll: Poll, fetcher: Fetcher) -> Iterator[PostPage]:
    url = feed_url(poll.url)
    response = fetcher.get(url, accept="application/atom+xml, application/xml, text/xml", keep=(429,))
    if response.status == 429:
        raise retry("rate_limited", f"{url}: HTTP 429, Retry-After {response.headers.get('retry-after', '?')}")
    videos, rejected = feed_parse(response.body)
    page = PostPage(posts=[post for _id, post in videos], rejected=rejected)
    stopped: StageError | None = None
    if poll.credentials.youtube_api_key and videos:
        try:
            numbers = statistics_fetch([video_id for video_id, _post in videos], poll, fetcher)
        except StageError as error:
            if error.outcome is not Outcome.RETRY:
                stopped = error
            # Only the reason and the number of videos: the URL carries the key.
            logger.warning("youtube statistics: %s; %s videos kept without them", error.reason, len(videos))
        else:
            for video_id, post in videos:
                if video_id in numbers:
                    post.engagement = numbers[video_id]
    page.posts.sort(key=lambda p: p.published or poll.now, reverse=True)
    yield page
    if stopped is not None:
        # The videos are stored; the key's problem still shows on the source's health.
        raise stopped


register("youtube", youtube_poll)
