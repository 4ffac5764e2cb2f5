"""A local inbox for alerts: an SMTP server and a webhook receiver that keep what they get.

The demo (`loa up --demo`) points Loa's e-mail and webhooks here so alerts can be seen
without a mail server (http://127.0.0.1:8807/); the tests and `make bench` use it as the
real far end of SMTP and HTTP. aiosmtpd is the maintained asyncio SMTP server (the
standard library's smtpd is gone in 3.12); the HTTP side is the standard library's.
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_BODY = 1_000_000


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    host: str = "127.0.0.1"
    smtp_port: int = 0
    http_port: int = 0
    directory: Path | None = None
    mails: list[dict[str, Any]] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    # Status the webhook receiver answers with; tests set 500 to see retries.
    hook_status: int = 200
    # A refusal the SMTP server answers a message with instead of taking it (e.g. "451 …",
    # a server too busy for now); empty: it takes every message.
    mail_refusal: str = ""

    def __post_init__(self) -> None:
        self._changed = threading.Condition()
        self._smtp: Any = None
        self._http: ThreadingHTTPServer | None = None

    # --- recording ---------------------------------------------------------------------

    def _record(self, kind: str, entry: dict[str, Any]) -> None:
        with self._changed:
            (self.mails if kind == "mail" else self.hooks).append(entry)
            if self.directory is not None:
                with (self.directory / f"{kind}.jsonl").open("a", encoding="utf-8") as out:
                    out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[Inbox], bool], timeout: float = 10.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout=timeout)

    # --- servers -----------------------------------------------------------------------

    def start(self) -> Inbox:
        from aiosmtpd.controller import Controller

        # aiosmtpd logs every SMTP command at INFO; the inbox records what matters.
        logging.getLogger("mail.log").setLevel(logging.WARNING)

        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.smtp_port = self.smtp_port or free_port(self.host)
        self._smtp = Controller(_SmtpHandler(self), hostname=self.host, port=self.smtp_port)
        self._smtp.start()
        self._http = ThreadingHTTPServer((self.host, self.http_port), _handler_for(self))
        self.http_port = int(self._http.server_address[1])
        threading.Thread(target=self._http.serve_forever, name="inbox-http", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._smtp is not None:
            self._smtp.stop()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    def __enter__(self) -> Inbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def hook_url(self) -> str:
        return f"http://{self.host}:{self.http_port}/hooks/loa"

    def page(self) -> str:
        rows = []
        for mail in reversed(self.mails[-100:]):
            rows.append(
                f"<tr><td>{_time(mail['received_at'])}</td><td>e-mail → {html.escape(', '.join(mail['to']))}</td>"
                f"<td><b>{html.escape(mail['subject'])}</b><pre>{html.escape(mail['body'])}</pre></td></tr>"
            )
        for hook in reversed(self.hooks[-100:]):
            body = json.dumps(hook["json"], ensure_ascii=False, indent=2) if hook["json"] is not None else hook["body"]
            rows.append(
                f"<tr><td>{_time(hook['received_at'])}</td><td>webhook {html.escape(hook['path'])}</td>"
                f"<td><pre>{html.escape(body)}</pre></td></tr>"
            )
        return (
            "<!doctype html><meta charset='utf-8'><title>Hộp thư thử · Loa</title>"
            "<h1>Hộp thư thử (e-mail và webhook Loa gửi đi)</h1>"
            f"<p>{len(self.mails)} e-mail, {len(self.hooks)} webhook.</p>"
            "<table border='1' cellpadding='6'>" + "".join(rows) + "</table>"
        )


def _time(stamp: float) -> str:
    return time.strftime("%d/%m/%Y %H:%M:%S", time.localtime(stamp))


class _SmtpHandler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        if self.inbox.mail_refusal:
            return self.inbox.mail_refusal
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        html = message.get_body(preferencelist=("html",))
        self.inbox._record(
            "mail",
            {
                "received_at": time.time(),
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "subject": str(message.get("Subject", "")).strip(),
                "message_id": str(message.get("Message-ID", "")).strip(),
                "body": body.get_content() if body is not None else "",
                "html": html.get_content() if html is not None else "",
            },
        )
        return "250 Message accepted for delivery"


def _handler_for(inbox: Inbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if not self.path.startswith("/hooks/") or length > MAX_BODY:
                self._reply(404 if length <= MAX_BODY else 413, b"", "text/plain")
                return
            raw = self.rfile.read(length)
            try:
                parsed: Any = json.loads(raw)
            except ValueError:
                parsed = None
            inbox._record(
                "hook",
                {
                    "received_at": time.time(),
                    "path": self.path,
                    "headers": {k: v for k, v in self.headers.items() if k.lower().startswith(("x-", "content-type"))},
                    "body": raw.decode("utf-8", "replace"),
                    "json": parsed,
                    "answered": inbox.hook_status,
                },
            )
            self._reply(inbox.hook_status, b'{"ok": true}', "application/json")

        def do_GET(self) -> None:
            if self.path == "/mail.json":
                self._reply(200, json.dumps(inbox.mails, ensure_ascii=False).encode(), "application/json")
            elif self.path == "/hooks.json":
                self._reply(200, json.dumps(inbox.hooks, ensure_ascii=False).encode(), "application/json")
            elif self.path == "/":
                self._reply(200, inbox.page().encode(), "text/html; charset=utf-8")
            else:
                self._reply(404, b"", "text/plain")

    return Handler
