"""Local replays of social platforms' and forums' public interfaces, built from fixture data, for
the connectors' tests and the demo: nothing here touches the internet or is imported by Loa's
runtime.

Each platform module gives a function `(path, query) -> Answer`; `PlatformReplay` serves one on
loopback and records the requests it was sent (so a test can tell what a connector asked for).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


Route = Callable[[str, dict[str, str], str], Answer]  # (path, query, base URL) -> answer


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, str]


class PlatformReplay:
    """Serves `route` on 127.0.0.1 on a free port until closed."""

    def __init__(self, route: Route) -> None:
        self.requests: list[Request] = []
        requests = self.requests
        lock = threading.Lock()
        holder: dict[str, str] = {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                if parts.path != "/robots.txt":
                    with lock:
                        requests.append(Request(parts.path, query))
                answer = route(parts.path, query, holder["base"])
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        holder["base"] = self.base
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PlatformReplay:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def not_found() -> Answer:
    return Answer(404, "text/html; charset=utf-8", b"<h1>404</h1>")
