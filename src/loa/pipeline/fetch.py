"""Polite, guarded HTTP fetching.

Every request: http(s) only; the host's addresses checked against private, loopback and
link-local networks before connecting and the connected peer checked again (DNS can
change between the two); redirects followed by hand, each hop checked, at most
`max_redirects`; the body streamed and cut at `max_bytes`; the whole exchange bounded by
`deadline`. Conditional GET with ETag/Last-Modified, gzip and brotli, robots.txt with
its crawl delay, per-host spacing and concurrency, and retries with backoff for
failures that pass (timeouts, 429, 5xx).
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from loa.pipeline.outcomes import Outcome, StageError, discard, quarantine, retry
from loa.pipeline.urls import host_of, numeric_host_problem
from loa.text.encoding import decode, sniff_html_charset

logger = logging.getLogger(__name__)

USER_AGENT = "LoaBot/0.1 (+theo doi bao chi; lien he quan tri vien Loa)"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 30.0
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


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


class AddressGuard:
    """Refuses addresses that are not on the public internet unless explicitly allowed."""

    def __init__(self, allowed: tuple[Network, ...]) -> None:
        self.allowed = allowed

    def check_ip(self, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.allowed):
            return
        if not ip.is_global or ip.is_multicast:
            raise discard("blocked_address", f"{address} is not a public address")

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


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.guard = AddressGuard(self.policy.allowed_networks)
        self.gate = HostGate(self.policy.host_interval, self.policy.host_concurrency)
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._robots_lock = threading.Lock()
        self.client = httpx.Client(
            transport=transport,
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

    def get(self, url: str, *, etag: str = "", last_modified: str = "", accept: str = "*/*") -> Response:
        """Fetch `url` politely; raises StageError (discard, quarantine or retry) on failure."""
        if self.policy.respect_robots and not self.allowed_by_robots(url):
            raise discard("robots_disallowed", url)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        last_error: StageError | None = None
        for attempt in range(self.policy.attempts):
            if attempt:
                pause = self.policy.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2)  # noqa: S311
                time.sleep(pause)
            try:
                response = self._get_following(url, headers)
            except StageError as error:
                if error.outcome is not Outcome.RETRY:
                    raise
                last_error = error
                logger.info("fetch %s: attempt %s failed: %s", url, attempt + 1, error)
                continue
            if response.status in (401, 403):
                raise discard(f"http_{response.status}", url)
            return response
        assert last_error is not None
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

    def _get_following(self, url: str, headers: dict[str, str]) -> Response:
        started = time.monotonic()
        seen: list[str] = []
        current = url
        while True:
            if current in seen:
                raise quarantine("redirect_loop", " → ".join([*seen, current]))
            if len(seen) > self.policy.max_redirects:
                raise quarantine("too_many_redirects", " → ".join(seen))
            response = self._get_once(current, headers, started)
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

    def _get_once(self, url: str, headers: dict[str, str], started: float) -> Response:
        self.guard.check_url(url)
        host = host_of(url)
        self.gate.acquire(host)
        try:
            return self._transfer(url, headers, started)
        finally:
            self.gate.release(host)

    def _transfer(self, url: str, headers: dict[str, str], started: float) -> Response:
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
                        # The name may have resolved elsewhere since the check above.
                        self.guard.check_ip(peer)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                    raise discard("too_large", f"Content-Length {declared}")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > policy.max_bytes:
                        raise discard("too_large", f"more than {policy.max_bytes} bytes")
                    if time.monotonic() - started > policy.deadline:
                        raise retry("deadline", f"{url} took longer than {policy.deadline}s")
                    chunks.append(chunk)
                status = response.status_code
                result = Response(
                    url=url,
                    final_url=url,
                    status=status,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=b"".join(chunks),
                    fetched_at=fetched_at,
                    elapsed=time.monotonic() - started,
                    peer=peer,
                    http_version=response.http_version,
                    request_headers=dict(response.request.headers),
                )
        except StageError:
            raise
        except httpx.TimeoutException as exc:
            raise retry("timeout", f"{url}: {type(exc).__name__}") from exc
        except httpx.DecodingError as exc:
            raise quarantine("bad_encoding", f"{url}: {exc}") from exc
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise retry("network", f"{url}: {type(exc).__name__}: {exc}") from exc
        if status == 429 or status >= 500:
            raise retry(f"http_{status}", url)
        if status in (404, 410):
            raise discard(f"http_{status}", url)
        if status >= 400 and status not in (401, 403):
            raise discard(f"http_{status}", url)
        return result
