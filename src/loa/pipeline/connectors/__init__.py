"""Connectors: one per platform, each reading the platform's public interface (a feed, an API
with the credentials given, a public web preview) into `loa.pipeline.social.PostPage`s.

Plain Python like the rest of the pipeline: a connector gets a `Poll` (the source's address,
the time, where to stop, the credentials) and a `Fetcher` (timeouts, size limits, politeness,
address guard), and yields pages newest first. It raises `StageError` for what stops the poll,
with a reason the source's health shows: `rate_limited` (HTTP 429 or the platform's rate-limit
codes, retried later), `token_expired` / `token_invalid` (a person must renew it),
`platform_error` (the platform answered with an error it names). Parts of a page that cannot
be read as posts go into `PostPage.rejected` with their reason; the rest of the page is kept.

`CONNECTORS` maps a source kind to its connector; each connector module adds itself here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from loa.pipeline.fetch import Fetcher
from loa.pipeline.social import PostPage

# Pages read per poll at most: a first poll of a busy page reads this many, later polls stop
# at the first post older than the last successful poll.
MAX_PAGES = 5


@dataclass(frozen=True)
class Credentials:
    """Keys from the settings; a connector that needs one it lacks says so (`credentials_missing`)."""

    youtube_api_key: str = ""
    youtube_api_url: str = "https://www.googleapis.com/youtube/v3"
    # Page id → page access token (a page the organisation manages or has been granted).
    facebook_page_tokens: Mapping[str, str] = field(default_factory=dict)
    graph_api_url: str = "https://graph.facebook.com/v19.0"


@dataclass(frozen=True)
class Poll:
    url: str  # the source's address
    now: dt.datetime
    since: dt.datetime | None = None  # the last successful poll: older posts are known
    credentials: Credentials = field(default_factory=Credentials)
    max_pages: int = MAX_PAGES


Connector = Callable[[Poll, Fetcher], Iterator[PostPage]]
CONNECTORS: dict[str, Connector] = {}


def register(kind: str, connector: Connector) -> Connector:
    CONNECTORS[kind] = connector
    return connector


# Each platform's module registers its connector (they import this module's names, hence last).
from loa.pipeline.connectors import facebook, forum, telegram, youtube  # noqa: E402,F401
