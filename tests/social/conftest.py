"""The connectors' tests fetch from local replays with the test settings' policy (loopback
allowed, no wait between requests to a host)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loa.articles.runtime import fetch_policy
from loa.pipeline.fetch import Fetcher


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(fetch_policy()) as instance:
        yield instance
