"""A host that spells an IPv4 address in octal, hex or short form is refused before any
connection, with the reason said, whether it is asked for or redirected to."""

from __future__ import annotations

import pytest

from loa.pipeline.fetch import Fetcher, FetchPolicy, parse_networks
from loa.pipeline.outcomes import Outcome, StageError
from tests.sources.hostile import Answer, hostile_site


def _fetcher() -> Fetcher:
    # Loopback allowed, as for the replay server: the refusal must not rest on the address check.
    policy = FetchPolicy(respect_robots=False, attempts=1, allowed_networks=parse_networks(["127.0.0.0/8"]))
    return Fetcher(policy)


@pytest.mark.parametrize("host", ["0177.0.0.1", "017700000001", "0x7f.0.0.1", "2130706433", "127.1"])
def test_a_numeric_host_in_another_spelling_is_refused_with_its_reason(host: str) -> None:
    with hostile_site() as site, _fetcher() as fetcher:
        port = site.base.rsplit(":", 1)[1]
        site.answers["/bai-viet/a.html"] = Answer(b"<html><body>x</body></html>", "text/html")
        site.answers["/chuyen-huong"] = Answer(
            b"", "text/html", status=302, location=f"http://{host}:{port}/bai-viet/a.html"
        )
        with pytest.raises(StageError) as caught:
            fetcher.get(f"http://{host}:{port}/bai-viet/a.html")
        assert (caught.value.outcome, caught.value.reason) == (Outcome.DISCARDED, "numeric_host")
        assert "resolvers may read it as 127.0.0.1" in caught.value.detail
        # Redirected to: refused too (httpx itself rejects a Location with an octal part).
        with pytest.raises(StageError) as caught:
            fetcher.get(f"{site.base}/chuyen-huong")
        assert caught.value.reason == "numeric_host" or host in caught.value.detail
        assert "/bai-viet/a.html" not in site.requests
