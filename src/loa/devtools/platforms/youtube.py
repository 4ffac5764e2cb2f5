"""A replay of YouTube's public interfaces for one or more channels: each channel's Atom feed
(/feeds/videos.xml?channel_id=UC…) and the Data API v3's `videos.list` (/youtube/v3/videos),
answering by key as Google does: statistics for a known key, 400 for an invalid or expired key,
403 quotaExceeded or rateLimitExceeded, or 503, for the keys named so in `ERROR_KEYS`.

`feed_answer`, when set, is served instead of any feed (a 429, a broken feed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loa.devtools.platforms import Answer, not_found

API_PATH = "/youtube/v3/videos"
# Keys the replay's API answers with an error, and which.
ERROR_KEYS = {
    "invalid-key": "keyInvalid",
    "expired-key": "keyExpired",
    "quota-key": "quotaExceeded",
    "rate-key": "rateLimitExceeded",
    "unavailable-key": "backendError",
}


def _error(status: int, reason: str, message: str, domain: str = "global", info: str = "") -> Answer:
    error: dict[str, Any] = {
        "code": status,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    if info:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": info}]
    return Answer(status=status, body=json.dumps({"error": error}).encode(), content_type="application/json")


def api_error(kind: str) -> Answer:
    if kind == "quotaExceeded":
        return _error(
            403, kind, "The request cannot be completed because you have exceeded your quota.", "youtube.quota"
        )
    if kind == "rateLimitExceeded":
        return _error(403, kind, "The request cannot be completed: rate limit exceeded.", "usageLimits")
    if kind == "backendError":
        return _error(503, kind, "The service is currently unavailable.")
    if kind == "keyExpired":
        return _error(400, "badRequest", "API key expired. Please renew the API key.", info="API_KEY_EXPIRED")
    return _error(400, "badRequest", "API key not valid. Please pass a valid API key.", info="API_KEY_INVALID")


@dataclass
class YouTubeReplay:
    feeds: dict[str, bytes]  # channel id → its feed
    videos: dict[str, dict[str, Any]]  # video id → its resource's parts ("statistics", "snippet")
    keys: set[str] = field(default_factory=lambda: {"good-key"})
    feed_answer: Answer | None = None
    api_calls: int = 0

    def __call__(self, path: str, query: dict[str, list[str]]) -> Answer:
        if path == "/feeds/videos.xml":
            if self.feed_answer is not None:
                return self.feed_answer
            feed = self.feeds.get(query.get("channel_id", [""])[0])
            if feed is None:
                return not_found()
            return Answer(body=feed, content_type="text/xml; charset=UTF-8")
        if path == API_PATH:
            return self._videos(query)
        return not_found()

    def _videos(self, query: dict[str, list[str]]) -> Answer:
        self.api_calls += 1
        key = query.get("key", [""])[0]
        if key not in self.keys:
            return api_error(ERROR_KEYS.get(key, "keyInvalid"))
        ids = [i for i in query.get("id", [""])[0].split(",") if i]
        if len(ids) > 50:
            return _error(400, "tooManyIds", "Too many ids: at most 50.")
        parts = [p for p in query.get("part", [""])[0].split(",") if p]
        items = [
            {"kind": "youtube#video", "id": i, **{p: self.videos[i][p] for p in parts if p in self.videos[i]}}
            for i in ids
            if i in self.videos
        ]
        body = {
            "kind": "youtube#videoListResponse",
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        }
        return Answer(body=json.dumps(body).encode(), content_type="application/json; charset=UTF-8")


def youtube_replay(folder: Path, *, channel_id: str = "UCq7EVNdienlucVietNam001") -> YouTubeReplay:
    """The replay of the fixtures in `folder` (youtube_feed.xml, youtube_videos.json)."""
    return YouTubeReplay(
        feeds={channel_id: (folder / "youtube_feed.xml").read_bytes()},
        videos=json.loads((folder / "youtube_videos.json").read_text(encoding="utf-8")),
    )
