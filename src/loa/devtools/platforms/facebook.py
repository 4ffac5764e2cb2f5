"""A replay of the Graph API's page feed (/vXX.X/PAGE_ID/posts) from fixture data.

The fixture (see tests/fixtures/social/facebook_page.json) holds pages' posts as Graph gives
them, authors of posts and comments included, and tokens with what Graph answers them:
"ok", "expired" (code 190/463), "invalid" (190), "rate_limited" (code 4 on HTTP 400),
"throttled" (HTTP 429), "platform" (code 100), "unreadable" (a 200 that is not JSON),
"no_data" (JSON without a list of posts). Pages are cut at `limit` with an `after` cursor and a
`paging.next` link carrying the token, as Graph does. Posts' and comments' `from` is sent even
when not asked for, so that tests prove the connector drops it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from loa.devtools.platforms import Answer, PlatformReplay, not_found, reply

JSON = "application/json; charset=utf-8"
ERRORS = {
    "expired": (400, 190, 463, "Error validating access token: Session has expired."),
    "invalid": (400, 190, None, "Invalid OAuth access token - Cannot parse access token"),
    "rate_limited": (400, 4, None, "Application request limit reached"),
    "platform": (400, 100, None, "Unsupported get request."),
}


def _json(status: int, payload: object) -> Answer:
    return reply(status, JSON, json.dumps(payload, ensure_ascii=False).encode())


def _graph_error(kind: str) -> Answer:
    status, code, subcode, message = ERRORS[kind]
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return _json(status, {"error": error})


def graph_route(fixture: dict[str, Any]) -> Any:
    pages: dict[str, list[dict[str, Any]]] = fixture["pages"]
    tokens: dict[str, str] = fixture["tokens"]

    def route(path: str, query: dict[str, str], base: str) -> Answer:
        segments = [s for s in path.split("/") if s]
        if len(segments) != 3 or segments[2] != "posts" or segments[1] not in pages:
            return not_found()
        state = tokens.get(query.get("access_token", ""), "invalid")
        if state in ERRORS:
            return _graph_error(state)
        if state == "throttled":
            return _json(429, {"error": {"message": "Too many calls", "type": "OAuthException", "code": 80001}})
        if state == "unreadable":
            return reply(200, JSON, b'{"data": [{"id": "1_2", "message": "cut sh')
        if state == "no_data":
            return _json(200, {"posts": "none"})
        posts = pages[segments[1]]
        start = int(query.get("after", "0") or 0)
        limit = int(query.get("limit", "25") or 25)
        payload: dict[str, Any] = {"data": posts[start : start + limit]}
        if start + limit < len(posts):
            following = dict(query, after=str(start + limit))
            payload["paging"] = {
                "cursors": {"before": str(start), "after": str(start + limit)},
                "next": f"{base}{path}?{urlencode(following)}",
            }
        return _json(200, payload)

    return route


def graph_replay(fixture: dict[str, Any]) -> PlatformReplay:
    """A Graph API on loopback; its address plus "/v19.0" is the connector's `graph_api_url`."""
    return PlatformReplay(graph_route(fixture))
