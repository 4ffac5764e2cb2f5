"""Polite, guarded HTTP fetching.

Every request: http(s) only; the host's addresses checked against private, loopback and
link-local networks (IPv4 embedded in IPv6 unwrapped) before connecting, and the
connected peer checked again before a byte is sent (DNS can change between the two);
redirects followed by hand, each hop checked, at most `max_redirects`; the raw body
streamed and decompressed by `loa.pipeline.decompress` in small pieces, cut at
`max_bytes` and `max_ratio`; the whole exchange (connect, headers, body) bounded by
`deadline` and a whole `get()` with its retries by `call_deadline`. Conditional GET with
ETag/Last-Modified, gzip, deflate and brotli, robots.txt with its crawl delay, per-host
spacing and concurrency, and retries with backoff for failures that pass (429, 5xx,
network errors); a host that ran out of time is left alone for `slow_host_pause`.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import logging
import random
import re
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from loa.pipeline.decompress import BoundedDecoder, DecompressError, TooLarge, UnsupportedEncoding
from loa.pipeline.outcomes import Outcome, StageError, discard, quarantine, retry
from loa.pipeline.urls import host_of, numeric_host_problem
from loa.text.encoding import decode, sniff_html_charset

logger = logging.getLogger(__name__)

# Failures that mean the host is slow: trying it again at once would only hold the worker.
SLOW_REASONS = frozenset({"deadline", "timeout"})
USER_AGENT = "LoaBot/0.1 (+theo doi bao chi; lien he quan tri vien Loa)"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # Connect, headers and body of one fetch (redirects included), however slowly the
    # server trickles them.
    deadline: float = 30.0
    # A whole get(): every attempt and the pauses between them.
    call_deadline: float = 45.0
    # After a fetch ran out of time, the host's other fetches in this process fail at
    # once for this long (their queue tries them later) instead of each waiting out the
    # deadline.
    slow_host_pause: float = 120.0
    # Decompressed size over compressed size. Text and HTML compress 5-20:1 with gzip
    # and rarely past 50:1 even when very repetitive, while a bomb is 1000:1 or more
    # (the brotli bomb was 1,000,000:1); 100 leaves room for odd pages and still
    # stops a bomb early. Checked only past 1 MB of output, see `decompress.RATIO_FLOOR`.
    max_ratio: int = 100
    attempts: int = 3
    backoff: float = 0.5
    host_interval: float = 1.0
    host_concurrency: int = 2
    respect_robots: bool = True
    user_agent: str = USER_AGENT
    # Networks that may be fetched although private (the replay server, an intranet).
    allowed_networks: tuple[Network, ...] = ()


@dataclass(frozen=True)
class Response:
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    fetched_at: datetime
    elapsed: float
    redirects: tuple[str, ...] = ()
    peer: str = ""
    http_version: str = "HTTP/1.1"
    request_headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        declared = _charset(self.headers.get("content-type", ""))
        if declared is None and "html" in self.content_type:
            declared = sniff_html_charset(self.body)
        return decode(self.body, declared=declared).text


# An API key or token in a query string (Graph's paging links carry the page token).
_SECRET_PARAM = re.compile(r"(?<=[?&])((?:access_token|api_key|key|token)=)[^&#\s]+", re.IGNORECASE)


def _for_log(text: str) -> str:
    return _SECRET_PARAM.sub(r"\1***", text)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


_LOW32 = 0xFFFFFFFF
# RFC 6052 well-known NAT64 prefix: a gateway translates these to the IPv4 in the low bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# RFC 8215 local-use NAT64: the IPv4's place depends on the operator's prefix length, and
# it is never a public destination, so the whole block is refused.
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def _ipv4_spellings(ip: ipaddress.IPv6Address) -> tuple[list[ipaddress.IPv4Address], list[ipaddress.IPv4Address]]:
    """IPv4 addresses an IPv6 address stands for: (those it merely spells, which decide
    alone; those a translator or relay reaches, checked besides the IPv6 address)."""
    value = int(ip)
    spelled: list[ipaddress.IPv4Address] = []
    relayed: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d, which the kernel connects over IPv4
        spelled.append(ip.ipv4_mapped)
    elif value >> 32 == 0xFFFF0000 or (value >> 32 == 0 and value > 1):
        # ::ffff:0:a.b.c.d (SIIT's IPv4-translated form) and ::a.b.c.d (IPv4-compatible,
        # deprecated but still routed by some stacks)
        spelled.append(ipaddress.IPv4Address(value & _LOW32))
    if ip in _NAT64:
        relayed.append(ipaddress.IPv4Address(value & _LOW32))
    if ip.sixtofour is not None:  # 2002:aabb:ccdd::/48
        relayed.append(ip.sixtofour)
    if ip.teredo is not None:  # 2001::/32: the server and the (obfuscated) client
        relayed.extend(ip.teredo)
    return spelled, relayed


class AddressGuard:
    """Refuses addresses that are not on the public internet unless explicitly allowed,
    including private IPv4 addresses spelled in IPv6 (mapped, compatible, NAT64, 6to4,
    Teredo)."""

    def __init__(self, allowed: tuple[Network, ...]) -> None:
        self.allowed = allowed

    def check_ip(self, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        forms: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
        if isinstance(ip, ipaddress.IPv6Address):
            if ip in _NAT64_LOCAL and not self._allowed(ip):
                raise discard("blocked_address", f"{address} is a local-use NAT64 address")
            spelled, relayed = _ipv4_spellings(ip)
            forms = [*spelled] if spelled else [ip, *relayed]
        for form in forms:
            if self._allowed(form):
                continue
            if not form.is_global or form.is_multicast:
                embedded = "" if form == ip else f" (it stands for {form})"
                raise discard("blocked_address", f"{address} is not a public address{embedded}")

    def _allowed(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(ip in network for network in self.allowed)

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise discard("bad_scheme", parts.scheme or "(none)")
        host = parts.hostname
        if not host:
            raise discard("bad_url", url)
        # 0177.0.0.1 and the like: the resolver and the HTTP client may read them differently.
        numeric = numeric_host_problem(url)
        if numeric:
            raise discard("numeric_host", numeric)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise retry("dns", f"{host}: {exc}") from exc
        for info in infos:
            self.check_ip(str(info[4][0]))


class HostGate:
    """Per-host spacing and concurrency within one process.

    `wait_hook` lets a caller add spacing shared between processes (the sources app
    keeps a per-host slot in the database so that several workers stay polite together).
    """

    def __init__(self, interval: float, concurrency: int) -> None:
        self.interval = interval
        self.concurrency = concurrency
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.Semaphore] = {}
        self._delay: dict[str, float] = {}
        self.wait_hook: Callable[[str, float], float] | None = None

    def set_delay(self, host: str, seconds: float) -> None:
        with self._lock:
            self._delay[host] = max(seconds, self.interval)

    def acquire(self, host: str) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self.concurrency))
        slot.acquire()
        with self._lock:
            interval = self._delay.get(host, self.interval)
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + interval
        if start > now:
            time.sleep(start - now)
        if self.wait_hook is not None:
            extra = self.wait_hook(host, interval)
            if extra > 0:
                time.sleep(extra)

    def release(self, host: str) -> None:
        self._slots[host].release()


# The monotonic time by which the exchange under way in this thread (or context) must be
# over; every connect, TLS handshake, read and write of the guarded transport is given at
# most what remains. httpx's own timeouts apply per socket operation, so a server that
# sends a byte every few seconds never trips them; a watchdog thread closing the socket
# would be the alternative, but it races with the pool reusing the connection, while a
# bound on every operation needs no second thread and covers pooled connections too.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("loa_fetch_deadline", default=None)


def _bounded(timeout: float | None) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("deadline reached")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Checks the address actually connected to before anything is sent over it (the name
    may resolve elsewhere than it did for `AddressGuard.check_url`), and bounds every
    operation by the current deadline."""

    def __init__(self, inner: httpcore.NetworkBackend, guard: AddressGuard) -> None:
        self._inner = inner
        self._guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, _bounded(timeout), local_address, socket_options)
        try:
            address = stream.get_extra_info("server_addr")
            if not address:
                raise discard("blocked_address", f"{host}: the connected address is unknown")
            self._guard.check_ip(str(address[0]))
        except BaseException:
            stream.close()
            raise
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise discard("bad_scheme", "unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport(guard: AddressGuard, **options: Any) -> httpx.HTTPTransport:
    """An httpx transport that checks the connected peer with `guard` before sending and
    honours `deadline_scope`; shared by the fetcher and the webhook sender."""
    transport = httpx.HTTPTransport(**options)
    pool = getattr(transport, "_pool", None)
    # httpx does not take a network backend; its pool does. Should a new httpx move it,
    # failing here is better than fetching unguarded (the tests exercise this path).
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpx's connection pool has changed; the guarded transport needs updating")
    pool._network_backend = _GuardedBackend(pool._network_backend, guard)
    return transport


@contextlib.contextmanager
def deadline_scope(at: float) -> Iterator[None]:
    """Within the block, network operations of guarded transports end by monotonic time
    `at` (or an earlier deadline of an enclosing block)."""
    current = _DEADLINE.get()
    token = _DEADLINE.set(at if current is None else min(current, at))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.guard = AddressGuard(self.policy.allowed_networks)
        self.gate = HostGate(self.policy.host_interval, self.policy.host_concurrency)
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._robots_lock = threading.Lock()
        self._slow: dict[str, float] = {}
        self.client = httpx.Client(
            transport=transport or guarded_transport(self.guard),
            timeout=httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
            follow_redirects=False,
            headers={
                "User-Agent": self.policy.user_agent,
                "Accept-Encoding": "gzip, deflate, br",
                "Accept-Language": "vi,en;q=0.5",
            },
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ----------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: str = "*/*",
        keep: Collection[int] = (),
    ) -> Response:
        """Fetch `url` politely; raises StageError (discard, quarantine or retry) on failure.

        Error statuses in `keep` are returned as responses, not raised nor retried: an API's
        error body says what went wrong (a rate limit, an invalid key) and its caller reads it.

        The whole call, robots.txt and retries included, ends within `call_deadline`;
        a fetch that ran out of time is not tried again here (its queue retries it later)
        and marks its host slow for `slow_host_pause`."""
        policy = self.policy
        # A configured deadline longer than call_deadline still gets one full attempt.
        with deadline_scope(time.monotonic() + max(policy.call_deadline, policy.deadline)):
            self._check_not_slow(url)
            if policy.respect_robots and not self.allowed_by_robots(url):
                raise discard("robots_disallowed", url)
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            last_error: StageError | None = None
            for attempt in range(policy.attempts):
                if attempt:
                    pause = policy.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2)  # noqa: S311
                    if self._remaining() <= pause:
                        break
                    time.sleep(pause)
                try:
                    response = self._get_following(url, headers, frozenset(keep))
                except StageError as error:
                    if error.outcome is not Outcome.RETRY:
                        raise
                    last_error = error
                    logger.info("fetch %s: attempt %s failed: %s", _for_log(url), attempt + 1, _for_log(str(error)))
                    if error.reason in SLOW_REASONS:
                        self._mark_slow(url)
                        break
                    continue
                if response.status in (401, 403) and response.status not in keep:
                    raise discard(f"http_{response.status}", url)
                return response
            if last_error is None:
                raise retry("deadline", f"{url}: no time left for a fetch within {policy.call_deadline}s")
            raise last_error

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            cached = self._robots.get(root)
        if cached is None or cached[0] < time.monotonic():
            parser = self._load_robots(root)
            with self._robots_lock:
                self._robots[root] = (time.monotonic() + 3600, parser)
        else:
            parser = cached[1]
        if parser is None:
            return True
        delay = parser.crawl_delay(self.policy.user_agent)
        if delay:
            self.gate.set_delay(host_of(url), float(delay))
        return parser.can_fetch(self.policy.user_agent, url)

    # -- internals -------------------------------------------------------------------

    @staticmethod
    def _remaining() -> float:
        deadline = _DEADLINE.get()
        return float("inf") if deadline is None else deadline - time.monotonic()

    def _check_not_slow(self, url: str) -> None:
        host = host_of(url)
        with self._robots_lock:
            until = self._slow.get(host, 0.0)
        if until > time.monotonic():
            raise retry("host_slow", f"{host} ran out of time recently; tried again later")

    def _mark_slow(self, url: str) -> None:
        if self.policy.slow_host_pause > 0:
            now = time.monotonic()
            with self._robots_lock:
                self._slow = {host: until for host, until in self._slow.items() if until > now}
                self._slow[host_of(url)] = now + self.policy.slow_host_pause

    def _load_robots(self, root: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            response = self._get_following(f"{root}/robots.txt", {"Accept": "text/plain"})
        except StageError:
            return None  # unreachable robots.txt: assume allowed, as crawlers commonly do
        parser = urllib.robotparser.RobotFileParser()
        if response.status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])  # robots.txt itself is forbidden
        elif response.status >= 400:
            parser.parse([])  # no robots.txt: everything allowed
        else:
            parser.parse(response.text().splitlines())
        return parser

    def _get_following(self, url: str, headers: dict[str, str], keep: frozenset[int] = frozenset()) -> Response:
        started = time.monotonic()
        with deadline_scope(started + self.policy.deadline):
            return self._follow(url, headers, started, keep)

    def _follow(self, url: str, headers: dict[str, str], started: float, keep: frozenset[int]) -> Response:
        seen: list[str] = []
        current = url
        while True:
            if current in seen:
                raise quarantine("redirect_loop", " → ".join([*seen, current]))
            if len(seen) > self.policy.max_redirects:
                raise quarantine("too_many_redirects", " → ".join(seen))
            response = self._get_once(current, headers, started, keep)
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise quarantine("redirect_without_location", current)
                seen.append(current)
                current = urljoin(current, location)
                continue
            return Response(
                url=url,
                final_url=current,
                status=response.status,
                headers=response.headers,
                body=response.body,
                fetched_at=response.fetched_at,
                elapsed=time.monotonic() - started,
                redirects=tuple(seen),
                peer=response.peer,
                http_version=response.http_version,
                request_headers=response.request_headers,
            )

    def _get_once(self, url: str, headers: dict[str, str], started: float, keep: frozenset[int]) -> Response:
        self.guard.check_url(url)
        host = host_of(url)
        self.gate.acquire(host)
        try:
            # Another fetch of this host may have run out of time while this one waited.
            self._check_not_slow(url)
            return self._transfer(url, headers, started, keep)
        finally:
            self.gate.release(host)

    def _transfer(self, url: str, headers: dict[str, str], started: float, keep: frozenset[int]) -> Response:
        policy = self.policy
        fetched_at = datetime.now(UTC)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                stream = response.extensions.get("network_stream")
                peer = ""
                if stream is not None:
                    address = stream.get_extra_info("server_addr")
                    if address:
                        peer = str(address[0])
                        # The guarded transport checked it at connect; a transport given
                        # by the caller may not have.
                        self.guard.check_ip(peer)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                    raise discard("too_large", f"Content-Length {declared}")
                body = self._read_body(url, response, started)
                status = response.status_code
                result = Response(
                    url=url,
                    final_url=url,
                    status=status,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=body,
                    fetched_at=fetched_at,
                    elapsed=time.monotonic() - started,
                    peer=peer,
                    http_version=response.http_version,
                    request_headers=dict(response.request.headers),
                )
        except StageError:
            raise
        except httpx.TimeoutException as exc:
            if time.monotonic() - started >= policy.deadline or self._remaining() <= 0:
                raise retry("deadline", f"{url} took longer than {policy.deadline}s") from exc
            raise retry("timeout", f"{url}: {type(exc).__name__}") from exc
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise retry("network", f"{url}: {type(exc).__name__}: {exc}") from exc
        if status in keep:
            return result
        if status == 429 or status >= 500:
            raise retry(f"http_{status}", url)
        if status in (404, 410):
            raise discard(f"http_{status}", url)
        if status >= 400 and status not in (401, 403):
            raise discard(f"http_{status}", url)
        return result

    def _read_body(self, url: str, response: httpx.Response, started: float) -> bytes:
        """The body, decoded from its Content-Encoding a small piece at a time: httpx
        would inflate a whole network chunk before anything could count it (a 1.7 KB
        brotli body became 2 GB), so the raw stream is read and decoded here."""
        policy = self.policy
        decoder: BoundedDecoder | None = None
        pieces: list[bytes] = []
        raw_size = 0
        try:
            for chunk in response.iter_raw():
                raw_size += len(chunk)
                if raw_size > policy.max_bytes:
                    raise discard("too_large", f"more than {policy.max_bytes} bytes")
                if time.monotonic() - started > policy.deadline:
                    raise retry("deadline", f"{url} took longer than {policy.deadline}s")
                if decoder is None:
                    decoder = BoundedDecoder(
                        response.headers.get("content-encoding", ""),
                        max_bytes=policy.max_bytes,
                        max_ratio=policy.max_ratio,
                    )
                pieces.extend(decoder.feed(chunk))
            if decoder is not None:
                pieces.extend(decoder.finish())
        except TooLarge as exc:
            raise discard(exc.reason, f"{url}: {exc}") from exc
        except UnsupportedEncoding as exc:
            raise quarantine(exc.reason, f"{url}: {exc}") from exc
        except DecompressError as exc:
            raise quarantine("bad_encoding", f"{url}: {exc}") from exc
        return b"".join(pieces)
