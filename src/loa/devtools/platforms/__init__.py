"""Local replays of the platforms' public interfaces (a channel's feed, an API, a web preview),
served from fixture data for the connectors' tests and the demo; never the internet.

Each platform module builds a `Replay`: a function from a request's path and query to an answer,
with a log of the paths asked (the key of an API call included, as a platform would see it).
`PlatformServer` serves one on loopback from a background thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Replay = Callable[[str, dict[str, list[str]]], Answer]


class PlatformServer:
    """A replay served on 127.0.0.1 at a free port; `base` is its address, `asked` the paths asked."""

    def __init__(self, replay: Replay, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.replay = replay
        self.asked: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.asked.append(self.path)
                parts = urlsplit(self.path)
                answer = server.replay(parts.path, parse_qs(parts.query, keep_blank_values=True))
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="platform-replay", daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()


def reply(status: int, content_type: str, body: bytes) -> Answer:
    return Answer(status=status, body=body, content_type=content_type)


Route = Callable[[str, dict[str, str], str], Answer]  # (path, query, the replay's own address) -> answer


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, str]


class PlatformReplay(PlatformServer):
    """A replay whose route gets single-valued queries and the replay's own address (to write the
    paging links an API hands back), and that records the requests a connector sent."""

    def __init__(self, route: Route, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.requests: list[Request] = []
        lock = threading.Lock()

        def replay(path: str, query: dict[str, list[str]]) -> Answer:
            single = {name: values[0] for name, values in query.items()}
            if path != "/robots.txt":
                with lock:
                    self.requests.append(Request(path, single))
            return route(path, single, self.base)

        super().__init__(replay, host=host, port=port)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def not_found() -> Answer:
    return Answer(status=404, body=b"not found", content_type="text/plain")
