"""Facebook pages through the Graph API, with the page's own access token.

The source's address names the page (https://www.facebook.com/PAGE_ID, a /pages/Name/PAGE_ID or
profile.php?id=PAGE_ID address, or a Graph address .../PAGE_ID/posts); the token comes from
`Credentials.facebook_page_tokens[PAGE_ID]`. Each page of the page's feed gives the posts' text,
address, time and the counts Facebook shows (reactions, comments, shares), with the messages
of up to `COMMENTS_PER_POST` comments for their tone. The `from` field of posts and comments
is never requested, and read from nowhere should Facebook send it anyway.

Graph's errors come as HTTP 400 with a JSON body naming a code: 190 is a token that no longer
works (subcode 463: expired), 4, 17, 32 and 613 (and HTTP 429) are rate limits; anything else
is the platform's error. The token travels in the query string, as Graph's paging links carry
it; it is taken out of every error detail this module raises, since those are stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from loa.pipeline.connectors import Poll, register
from loa.pipeline.fetch import Fetcher, Response
from loa.pipeline.outcomes import StageError, discard, quarantine, retry
from loa.pipeline.social import MAX_COMMENTS_READ, Engagement, Post, PostPage, Rejected, count, posted_at

POSTS_PER_PAGE = 25
# Graph serves at most 100 comments per edge request; the tone needs no more.
COMMENTS_PER_POST = min(100, MAX_COMMENTS_READ)
# No `from` anywhere: who posted or commented is never asked for.
FIELDS = (
    "id,message,created_time,permalink_url,shares,"
    "reactions.summary(total_count).limit(0),"
    f"comments.summary(total_count).limit({COMMENTS_PER_POST}){{message}}"
)
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
TOKEN_CODE = 190
EXPIRED_SUBCODE = 463
# Answers read for their error body rather than raised by the fetcher.
ERROR_STATUSES = frozenset({400, 401, 403, 429, 500, 503})


def page_id(url: str) -> str:
    """The page's id (or user name) in a facebook.com or Graph address; "" if there is none."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host.startswith("graph."):
        # /v19.0/PAGE_ID/posts or /PAGE_ID/posts
        if segments and segments[0].startswith("v") and segments[0][1:].replace(".", "").isdigit():
            segments = segments[1:]
        return segments[0] if segments else ""
    if not (host == "facebook.com" or host.endswith(".facebook.com")):
        return ""
    if segments[:1] == ["profile.php"]:
        return parse_qs(parts.query).get("id", [""])[0]
    if segments[:1] == ["pages"] and len(segments) >= 3:
        return segments[2]
    return segments[0] if segments else ""


def _redact(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text


def _without_token(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, values in parse_qs(parts.query).items() for v in values if k != "access_token"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _get(fetcher: Fetcher, url: str, token: str) -> Response:
    try:
        return fetcher.get(url, accept="application/json", keep=ERROR_STATUSES)
    except StageError as error:  # the fetcher names the address, token included
        raise StageError(error.outcome, error.reason, _redact(error.detail, token)) from None


def _error(response: Response, payload: object) -> StageError:
    """What Graph's error answer means for the poll."""
    error = payload.get("error") if isinstance(payload, dict) else None
    error = error if isinstance(error, dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    detail = f"HTTP {response.status}, code {code}, subcode {subcode}, {str(error.get('type', ''))[:40]}"
    if code == TOKEN_CODE:
        return discard("token_expired" if subcode == EXPIRED_SUBCODE else "token_invalid", detail)
    if response.status == 429 or code in RATE_LIMIT_CODES:
        return retry("rate_limited", detail)
    if error.get("is_transient") is True or response.status >= 500:
        return retry("platform_error", detail)
    return discard("platform_error", detail)


def _summary_total(edge: object) -> int | None:
    summary = edge.get("summary") if isinstance(edge, dict) else None
    return count(summary.get("total_count")) if isinstance(summary, dict) else None


def _comment_texts(edge: object) -> list[str]:
    data = edge.get("data") if isinstance(edge, dict) else None
    if not isinstance(data, list):
        return []
    # The message only: a comment's `from`, should Graph send it, is not looked at.
    texts = [
        c["message"] for c in data[:MAX_COMMENTS_READ] if isinstance(c, dict) and isinstance(c.get("message"), str)
    ]
    return [t for t in texts if t.strip()]


def _post(item: dict[str, Any]) -> Post:
    """One post of the feed; KeyError/ValueError when it is not readable as one."""
    post_id = item["id"]
    if not isinstance(post_id, str) or not post_id.strip():
        raise ValueError("no id")
    published = posted_at(item.get("created_time"))
    if published is None:
        raise ValueError("no readable created_time")
    message = item.get("message", "")
    if not isinstance(message, str):
        raise ValueError("message is not text")
    permalink = item.get("permalink_url")
    url = permalink if isinstance(permalink, str) and permalink.startswith("https://") else ""
    shares = item.get("shares")
    return Post(
        url=url or f"https://www.facebook.com/{post_id}",
        text=message,
        published=published,
        engagement=Engagement(
            reactions=_summary_total(item.get("reactions")),
            comments=_summary_total(item.get("comments")),
            # Graph leaves `shares` out of a post nobody shared.
            shares=count(shares.get("count")) if isinstance(shares, dict) else 0,
        ),
        comment_texts=_comment_texts(item.get("comments")),
    )


def parse_page(payload: object) -> tuple[PostPage, bool]:
    """A page of Graph's /posts answer, and whether it was readable at all (a dict with a
    `data` list). Unreadable items are rejected one by one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        return PostPage(), False
    page = PostPage()
    for index, item in enumerate(payload["data"][:POSTS_PER_PAGE]):
        where = str(item.get("id"))[:40] if isinstance(item, dict) and isinstance(item.get("id"), str) else str(index)
        try:
            if not isinstance(item, dict):
                raise ValueError("not an object")
            page.posts.append(_post(item))
        except (KeyError, ValueError, TypeError):
            page.rejected.append(Rejected(where=where, reason="malformed_post"))
    paging = payload.get("paging")
    next_url = paging.get("next") if isinstance(paging, dict) else None
    page.next_url = next_url if isinstance(next_url, str) else None
    return page, True


def posts_url(graph_api_url: str, page: str, token: str) -> str:
    query = urlencode({"fields": FIELDS, "limit": POSTS_PER_PAGE, "access_token": token}, safe="(),{}.")
    return f"{graph_api_url.rstrip('/')}/{page}/posts?{query}"


def facebook(poll: Poll, fetcher: Fetcher) -> Iterator[PostPage]:
    page = page_id(poll.url)
    if not page:
        raise discard("bad_url", f"{poll.url}: no Facebook page in the address")
    token = poll.credentials.facebook_page_tokens.get(page, "")
    if not token:
        raise discard("credentials_missing", f"no page token for Facebook page {page}")
    graph = urlsplit(poll.credentials.graph_api_url)
    url: str | None = posts_url(poll.credentials.graph_api_url, page, token)
    for _ in range(poll.max_pages):
        if url is None:
            return
        response = _get(fetcher, url, token)
        try:
            payload = json.loads(response.body)
        except ValueError:
            payload = None
        if response.status >= 400 or (isinstance(payload, dict) and "error" in payload):
            raise _error(response, payload)
        result, readable = parse_page(payload)
        if not readable:
            raise quarantine("malformed_payload", f"{page}: Graph's answer has no list of posts")
        following = result.next_url
        # The token goes only back to Graph: a `next` elsewhere is not followed.
        if following and urlsplit(following)[:2] != graph[:2]:
            following = None
        result.next_url = _without_token(following) if following else None
        yield result
        reached_known = poll.since is not None and any(
            p.published is not None and p.published <= poll.since for p in result.posts
        )
        if reached_known or (not result.posts and not result.rejected):
            return
        url = following


register("facebook", facebook)
