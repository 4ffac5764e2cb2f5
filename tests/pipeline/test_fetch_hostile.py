"""The fetcher against hostile servers on loopback: compression bombs, slow headers,
slow hosts, DNS that changes its answer, and private addresses spelled in IPv6."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loa.pipeline.fetch import AddressGuard, Fetcher, FetchPolicy, parse_networks
from loa.pipeline.outcomes import Outcome, StageError
from tests.pipeline.hostile import RawServer, brotli_bomb, double_gzip_bomb, serve_body

LOOPBACK = parse_networks(["127.0.0.0/8"])
ROOT = Path(__file__).resolve().parents[2]


def policy(**overrides: Any) -> FetchPolicy:
    values: dict[str, Any] = {
        "allowed_networks": LOOPBACK,
        "host_interval": 0.0,
        "attempts": 3,
        "backoff": 0.01,
        "read_timeout": 5.0,
        "connect_timeout": 1.0,
        "deadline": 1.0,
        "respect_robots": False,
    }
    values.update(overrides)
    return FetchPolicy(**values)


def failure(fetcher: Fetcher, url: str) -> StageError:
    with pytest.raises(StageError) as caught:
        fetcher.get(url)
    return caught.value


# --- compression bombs ---------------------------------------------------------------


BOMBS: dict[str, Callable[[], bytes]] = {"br": brotli_bomb, "gzip, gzip": double_gzip_bomb}


@pytest.mark.parametrize("encoding", list(BOMBS))
def test_a_compression_bomb_is_discarded_with_its_reason(encoding: str) -> None:
    with RawServer(serve_body(BOMBS[encoding](), encoding)) as hostile, Fetcher(policy()) as fetcher:
        error = failure(fetcher, hostile.url)
        assert (error.outcome, error.reason) == (Outcome.DISCARDED, "compression_ratio")
        assert "100 times its compressed size" in error.detail
        with Fetcher(policy(max_ratio=10**9)) as lenient:
            error = failure(lenient, hostile.url)
    assert (error.outcome, error.reason) == (Outcome.DISCARDED, "too_large")
    assert f"larger than {5 * 1024 * 1024} bytes" in error.detail


# Peak RSS is read from VmHWM, the high-water mark of this process image: getrusage's
# ru_maxrss is not, since after fork and exec it starts from the parent's peak (pytest's,
# which may be large). Writing 5 to clear_refs resets the mark to the current RSS.
PEAK_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from loa.pipeline.fetch import Fetcher, FetchPolicy, parse_networks
    from loa.pipeline.outcomes import StageError

    def peak_kb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    policy = FetchPolicy(
        allowed_networks=parse_networks(["127.0.0.0/8"]), respect_robots=False, attempts=1, host_interval=0.0
    )
    with Fetcher(policy) as fetcher:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        before = peak_kb()
        try:
            fetcher.get(sys.argv[1])
            outcome = "kept"
        except StageError as error:
            outcome = error.reason
        after = peak_kb()
    print(json.dumps({"before_kb": before, "after_kb": after, "outcome": outcome}))
    """
)


@pytest.mark.parametrize("encoding", list(BOMBS))
def test_the_worker_memory_stays_bounded_while_fetching_a_bomb(encoding: str) -> None:
    """The issue's bound: peak RSS under 100 MB above the baseline for a 2 KB bomb that
    inflates to 512 MB (the old fetcher's peak rose by the whole 512 MB)."""
    bomb = BOMBS[encoding]()
    assert len(bomb) < 2048
    with RawServer(serve_body(bomb, encoding)) as hostile:
        run = subprocess.run(
            [sys.executable, "-c", PEAK_SCRIPT, hostile.url],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    print(encoding, figures)
    assert figures["outcome"] in ("compression_ratio", "too_large")
    assert (figures["after_kb"] - figures["before_kb"]) < 100 * 1024


def test_an_unknown_content_encoding_is_quarantined() -> None:
    with RawServer(serve_body(b"(*&^%", "zstd")) as hostile, Fetcher(policy()) as fetcher:
        error = failure(fetcher, hostile.url)
    assert (error.outcome, error.reason) == (Outcome.QUARANTINED, "unsupported_encoding")
    assert "zstd" in error.detail


def test_ordinary_compressed_pages_still_arrive() -> None:
    import gzip

    page = "<html><body><p>Tin tức Đảng ủy Khối</p></body></html>".encode() * 50
    with RawServer(serve_body(gzip.compress(page), "gzip")) as hostile, Fetcher(policy()) as fetcher:
        response = fetcher.get(hostile.url)
    assert response.body == page
    assert response.peer == "127.0.0.1"


# --- slow servers ----------------------------------------------------------------------


def trickle_headers(stop_after: float = 8.0) -> Callable[[RawServer, socket.socket], None]:
    """Headers at one byte every 0.1 s, for `stop_after` seconds (so that a fetcher
    without a total deadline fails its test instead of hanging it)."""

    def handler(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        ended = time.monotonic() + stop_after
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
            if time.monotonic() > ended:
                return
            conn.sendall(bytes([byte]))
            time.sleep(0.1)

    return handler


def test_slow_headers_end_at_the_deadline_and_are_not_retried_at_once() -> None:
    with RawServer(trickle_headers()) as hostile, Fetcher(policy(deadline=1.0, attempts=3)) as fetcher:
        started = time.monotonic()
        error = failure(fetcher, hostile.url)
        took = time.monotonic() - started
        assert (error.outcome, error.reason) == (Outcome.RETRY, "deadline")
        assert took < 3.0  # the deadline (1 s) bounds connect, headers and body together
        assert hostile.connections == 1  # a slow host is not tried again within the call
        # The host's next fetches in this process fail at once; their queue tries later.
        started = time.monotonic()
        again = failure(fetcher, hostile.url + "other")
        assert again.reason == "host_slow"
        assert time.monotonic() - started < 0.5
        assert hostile.connections == 1


def test_a_slow_body_ends_at_the_deadline_too() -> None:
    def handler(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(80):
            conn.sendall(b"x")
            time.sleep(0.1)

    with RawServer(handler) as hostile, Fetcher(policy(deadline=1.0)) as fetcher:
        started = time.monotonic()
        error = failure(fetcher, hostile.url)
        assert error.reason == "deadline"
        assert time.monotonic() - started < 3.0


def test_retries_of_a_failing_host_stay_within_the_call_deadline() -> None:
    def handler(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        time.sleep(0.3)
        conn.sendall(b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    slow_retries = policy(attempts=50, backoff=0.05, deadline=1.0, call_deadline=1.5)
    with RawServer(handler) as hostile, Fetcher(slow_retries) as fetcher:
        started = time.monotonic()
        error = failure(fetcher, hostile.url)
        took = time.monotonic() - started
    assert error.reason in ("http_503", "deadline")
    assert took < 2.5  # 50 attempts would take 15 s and more
    assert hostile.connections < 10


# --- addresses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "::127.0.0.1",  # IPv4-compatible
        "::169.254.169.254",
        "::ffff:0:127.0.0.1",  # SIIT IPv4-translated
        "64:ff9b::127.0.0.1",  # NAT64 well-known prefix
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::10.0.0.1",
        "64:ff9b:1::a9fe:a9fe",  # NAT64 local-use prefix
        "64:ff9b:1:7f00:1::",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo, client 169.254.169.254
        "2001:0:7f00:1:8000:63bf:3fff:fdd2",  # Teredo, server 127.0.0.1
        "fe80::1%eth0",
    ],
)
def test_private_ipv4_spelled_in_ipv6_is_refused(address: str) -> None:
    with pytest.raises(StageError) as caught:
        AddressGuard(()).check_ip(address)
    assert caught.value.reason == "blocked_address"
    assert address in caught.value.detail


@pytest.mark.parametrize("address", ["::ffff:203.162.4.190", "64:ff9b::cba2:4be", "2002:cba2:4be::1"])
def test_public_ipv4_spelled_in_ipv6_passes(address: str) -> None:
    AddressGuard(()).check_ip(address)


def test_allowed_networks_cover_their_ipv6_spellings() -> None:
    AddressGuard(LOOPBACK).check_ip("::ffff:127.0.0.1")
    with pytest.raises(StageError):
        AddressGuard(LOOPBACK).check_ip("::ffff:10.0.0.1")


def rebinding_dns(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """`name` resolves to a public address the first time (the guard's look-up) and to
    127.0.0.1 afterwards (the connect's), as a rebinding attacker's DNS answers."""
    real = socket.getaddrinfo
    answers: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != name:
            return real(host, port, *args, **kwargs)
        address = "203.162.4.190" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_the_connected_peer_is_checked_before_the_request_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    received = threading.Event()

    def handler(server: RawServer, conn: socket.socket) -> None:
        if server.read_request(conn):
            received.set()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    answers = rebinding_dns(monkeypatch, "tin.rebind.test")
    with RawServer(handler) as hostile, Fetcher(policy(allowed_networks=(), attempts=1)) as fetcher:
        error = failure(fetcher, f"http://tin.rebind.test:{hostile.port}/")
        time.sleep(0.2)
        assert (error.outcome, error.reason) == (Outcome.DISCARDED, "blocked_address")
        assert "127.0.0.1" in error.detail
        assert answers[:2] == ["203.162.4.190", "127.0.0.1"]
        assert not received.is_set()  # not a byte of the request reached the private address
