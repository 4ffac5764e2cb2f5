"""The fetcher against the local replay outlets: polite, guarded, and clear about failures."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from loa.devtools.platforms import Answer, PlatformServer
from loa.pipeline.fetch import AddressGuard, Fetcher, FetchPolicy, HostGate, parse_networks
from loa.pipeline.outcomes import Outcome, StageError

LOOPBACK = parse_networks(["127.0.0.0/8"])


def policy(**overrides: Any) -> FetchPolicy:
    values: dict[str, Any] = {
        "allowed_networks": LOOPBACK,
        "host_interval": 0.0,
        "attempts": 2,
        "backoff": 0.01,
        "read_timeout": 1.0,
        "connect_timeout": 1.0,
        "deadline": 3.0,
    }
    values.update(overrides)
    return FetchPolicy(**values)


@pytest.fixture
def fetcher() -> Any:
    with Fetcher(policy()) as instance:
        yield instance


def failure(fetcher: Fetcher, url: str) -> StageError:
    with pytest.raises(StageError) as caught:
        fetcher.get(url)
    return caught.value


def test_feed_with_conditional_get_and_compression(replay: Any, fetcher: Fetcher) -> None:
    response = fetcher.get(f"{replay.base(0)}/rss/tin-moi.rss")
    assert response.status == 200
    assert response.headers["content-encoding"] == "br"  # decoded transparently
    assert response.body.startswith(b"<?xml")
    again = fetcher.get(f"{replay.base(0)}/rss/tin-moi.rss", etag=response.headers["etag"])
    assert again.not_modified
    by_date = fetcher.get(f"{replay.base(0)}/rss/tin-moi.rss", last_modified=response.headers["last-modified"])
    assert by_date.not_modified


def test_private_addresses_are_refused_unless_allowed(replay: Any) -> None:
    with Fetcher(policy(allowed_networks=())) as strict:
        error = failure(strict, f"{replay.base(0)}/rss/tin-moi.rss")
    assert (error.outcome, error.reason) == (Outcome.DISCARDED, "blocked_address")


def test_redirect_to_a_link_local_address_is_refused(replay: Any, fetcher: Fetcher) -> None:
    error = failure(fetcher, f"{replay.base(0)}/_test/to-private-network")
    assert error.reason == "blocked_address"
    assert "169.254.169.254" in error.detail


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "192.168.1.1",
        "172.16.0.5",
        "127.0.0.1",
        "::1",
        "fe80::1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address under test, not a bind
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_guard_blocks_every_kind_of_private_address(address: str) -> None:
    with pytest.raises(StageError):
        AddressGuard(()).check_ip(address)


def test_guard_lets_public_addresses_through() -> None:
    AddressGuard(()).check_ip("203.162.4.190")
    AddressGuard(()).check_ip("2001:ee0::1")


def test_other_schemes_are_refused(fetcher: Fetcher) -> None:
    for url in ("file:///etc/passwd", "ftp://example.vn/x", "gopher://x"):
        assert failure(fetcher, url).reason == "bad_scheme"


def test_redirects_are_followed_and_capped(replay: Any, fetcher: Fetcher) -> None:
    followed = fetcher.get(f"{replay.base(0)}/_test/chain/3")
    assert followed.status == 200
    assert len(followed.redirects) == 4
    assert "/bai-viet/" in followed.final_url
    assert failure(fetcher, f"{replay.base(0)}/_test/chain/9").reason == "too_many_redirects"
    loop = failure(fetcher, f"{replay.base(0)}/_test/loop")
    assert (loop.outcome, loop.reason) == (Outcome.QUARANTINED, "redirect_loop")


def test_oversized_bodies_are_cut_off(replay: Any) -> None:
    with Fetcher(policy(max_bytes=1024 * 1024)) as small:
        assert failure(small, f"{replay.base(0)}/_test/huge?mb=3").reason == "too_large"
        declared = failure(small, f"{replay.base(0)}/_test/huge-declared")
    assert declared.reason == "too_large"
    assert "Content-Length" in declared.detail


def test_slow_servers_time_out_as_retries(replay: Any) -> None:
    with Fetcher(policy(read_timeout=0.3, attempts=1)) as impatient:
        error = failure(impatient, f"{replay.base(0)}/_test/slow?seconds=2")
    assert (error.outcome, error.reason) == (Outcome.RETRY, "timeout")


def test_server_errors_are_retried_then_reported(replay: Any, fetcher: Fetcher) -> None:
    before = replay.hits.get("/_test/status/503", 0)
    error = failure(fetcher, f"{replay.base(0)}/_test/status/503")
    assert (error.outcome, error.reason) == (Outcome.RETRY, "http_503")
    assert replay.hits["/_test/status/503"] - before == 2  # every attempt was made
    assert failure(fetcher, f"{replay.base(0)}/_test/status/404").outcome is Outcome.DISCARDED
    assert failure(fetcher, f"{replay.base(0)}/_test/status/429").outcome is Outcome.RETRY


def test_statuses_the_caller_accepts_are_returned_with_their_body_and_not_retried(
    replay: Any, fetcher: Fetcher
) -> None:
    """An API's 400 or 429 says in its body why it refused; a caller that asks gets it."""
    for code in (400, 403, 429, 503):
        path = f"/_test/status/{code}"
        before = replay.hits.get(path, 0)
        response = fetcher.get(f"{replay.base(0)}{path}", keep={400, 403, 429, 503})
        assert (response.status, response.body) == (code, f"<h1>{code}</h1>".encode())
        assert replay.hits[path] - before == 1
    # Statuses not named are still raised as before.
    assert failure(fetcher, f"{replay.base(0)}/_test/status/404").reason == "http_404"
    with pytest.raises(StageError) as caught:
        fetcher.get(f"{replay.base(0)}/_test/status/400", keep={429})
    assert (caught.value.outcome, caught.value.reason) == (Outcome.DISCARDED, "http_400")


def test_robots_txt_is_respected(replay: Any, fetcher: Fetcher) -> None:
    assert failure(fetcher, f"{replay.base(1)}/private/page").reason == "robots_disallowed"
    with Fetcher(policy(respect_robots=False)) as rude:
        assert rude.get(f"{replay.base(1)}/private/page").status == 200


def test_unreachable_host_is_a_retry() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Fetcher(policy(attempts=1, respect_robots=False)) as fetcher:
        error = failure(fetcher, f"http://127.0.0.1:{port}/rss")
    assert (error.outcome, error.reason) == (Outcome.RETRY, "network")


def test_host_gate_spaces_requests_to_one_host(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 3))
        clock[0] += seconds

    monkeypatch.setattr("loa.pipeline.fetch.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("loa.pipeline.fetch.time.sleep", sleep)
    gate = HostGate(interval=2.0, concurrency=4)
    for _ in range(3):
        gate.acquire("a.vn")
        gate.release("a.vn")
    gate.acquire("b.vn")  # another host does not wait
    assert sleeps == [2.0, 2.0]
    gate.set_delay("a.vn", 5.0)  # a crawl-delay from robots.txt
    gate.acquire("a.vn")
    assert sleeps[-1] == 2.0  # the slot booked before the delay changed
    gate.acquire("a.vn")
    assert sleeps[-1] == 5.0


def test_host_gate_caps_requests_in_flight() -> None:
    gate = HostGate(interval=0.0, concurrency=2)
    gate.acquire("a.vn")
    gate.acquire("a.vn")
    slot = gate._slots["a.vn"]
    assert not slot.acquire(blocking=False)  # a third request would wait
    gate.release("a.vn")
    assert slot.acquire(blocking=False)


def test_declared_and_mislabeled_encodings(replay: Any, fetcher: Fetcher) -> None:
    from loa.text import normalize

    # Windows-1258 declared in the header, and Windows-1258 bytes labelled UTF-8.
    for path in ("/_test/cp1258.html", "/_test/mislabeled.html"):
        text = normalize(fetcher.get(f"{replay.base(0)}{path}").text())
        assert "Ban Tuyên giáo Đảng ủy Khối" in text, path
        assert "\ufffd" not in text, path


def test_error_statuses_kept_are_answers_not_retried() -> None:
    """An API's error body says what went wrong: the statuses a caller keeps come back whole,
    once; the others are still raised."""
    asked: list[str] = []

    def api(path: str, query: dict[str, list[str]]) -> Answer:
        asked.append(path)
        status = int(path.rsplit("/", 1)[1])
        return Answer(status=status, body=b'{"error": {"code": %d}}' % status, content_type="application/json")

    with PlatformServer(api) as server, Fetcher(policy(respect_robots=False)) as fetcher:
        for status in (400, 403, 429, 503):
            response = fetcher.get(f"{server.base}/e/{status}", keep=(400, 403, 429, 503))
            assert response.status == status
            assert response.body == b'{"error": {"code": %d}}' % status
        assert asked == ["/e/400", "/e/403", "/e/429", "/e/503"]
        assert failure(fetcher, f"{server.base}/e/403").reason == "http_403"
        assert failure(fetcher, f"{server.base}/e/429").reason == "http_429"
