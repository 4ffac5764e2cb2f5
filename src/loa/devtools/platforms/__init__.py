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
                answer = server.replay(parts.path, parse_qs(parts.query))
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

    def __enter__(self) -> PlatformServer:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()


def not_found() -> Answer:
    return Answer(status=404, body=b"not found", content_type="text/plain")
