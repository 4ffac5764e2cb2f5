"""Alert latency in `make run`: from an article stored to its alert received by e-mail and
webhook, with everything `loa up --demo` starts (replay outlets, web, worker, scheduler,
the local inbox), then a restart of the whole group to count messages sent twice.

Each alert is matched to what the inbox received: e-mails by their Message-ID
(loa-alert-<alert>-<delivery>), webhooks by the alert id in the body. An alert about an
article is timed from the article's storing; a spike or story alert from its raising.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.table import Row, percentiles

TARGET_SECONDS = 60.0


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    for first in range(20000, 60000, 97):
        sockets = []
        try:
            for port in range(first, first + count):
                probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(probe)
                probe.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for probe in sockets:
                probe.close()
    raise RuntimeError("no free ports")


def _start(var: Path, ports: dict[str, int], log: Path) -> subprocess.Popen[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOA_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))
    }
    env["LOA_VAR_DIR"] = str(var)
    argv = [
        sys.executable,
        "-m",
        "loa",
        "up",
        "--demo",
        "--port",
        str(ports["web"]),
        "--replay-port",
        str(ports["replay"]),
        "--inbox-smtp-port",
        str(ports["smtp"]),
        "--inbox-http-port",
        str(ports["http"]),
        "--web-workers",
        "1",
    ]
    return subprocess.Popen(argv, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _epoch(stamp: str) -> float:
    # SQLite keeps Django's UTC datetimes as text.
    return dt.datetime.fromisoformat(stamp).replace(tzinfo=dt.UTC).timestamp()


def _alerts(database: Path) -> dict[int, float]:
    """Alert id → when its cause was stored (the article), or when it was raised."""
    with sqlite3.connect(database, timeout=30) as db:
        rows = db.execute(
            "SELECT a.id, a.created_at, ar.created_at FROM alerts_alert a "
            "LEFT JOIN articles_article ar ON ar.id = a.article_id WHERE a.suppressed = 0"
        ).fetchall()
    return {int(pk): _epoch(article or raised) for pk, raised, article in rows}


def run(*, quick: bool) -> list[Row]:
    wanted = 3 if quick else 8
    budget = 240.0 if quick else 480.0
    with tempfile.TemporaryDirectory(prefix="loa-bench-alerts-") as folder:
        var, logs = Path(folder) / "var", Path(folder) / "up.log"
        first = _free_ports(10)
        ports = {"web": first, "smtp": first + 1, "http": first + 2, "replay": first + 3}
        inbox = var / "demo-inbox"
        process = _start(var, ports, logs)
        started = time.monotonic()
        try:
            while time.monotonic() - started < budget:
                if process.poll() is not None:
                    raise RuntimeError(f"loa up stopped: {logs.read_text(errors='replace')[-2000:]}")
                if min(len(_lines(inbox / "mail.jsonl")), len(_lines(inbox / "hook.jsonl"))) >= wanted:
                    break
                time.sleep(2)
        finally:
            _stop(process)
        before_restart = len(_lines(inbox / "mail.jsonl")) + len(_lines(inbox / "hook.jsonl"))
        # The whole group again on the same data: the same triggers must not send again.
        process = _start(var, ports, logs)
        try:
            time.sleep(20 if quick else 45)
        finally:
            _stop(process)
        alerts = _alerts(var / "loa.sqlite3")
        mails, hooks = _lines(inbox / "mail.jsonl"), _lines(inbox / "hook.jsonl")
    mail_latency: list[float] = []
    hook_latency: list[float] = []
    sent = Counter[tuple[str, int, str]]()
    for mail in mails:
        found = re.match(r"<loa-alert-(\d+)-(\d+)@", str(mail.get("message_id", "")))
        if found and int(found.group(1)) in alerts:
            alert = int(found.group(1))
            sent["mail", alert, ",".join(map(str, mail["to"]))] += 1  # type: ignore[call-overload]
            mail_latency.append(float(mail["received_at"]) - alerts[alert])  # type: ignore[arg-type]
    for hook in hooks:
        body = hook.get("json") or {}
        alert = int(body.get("alert", 0)) if isinstance(body, dict) else 0
        if alert in alerts and hook.get("answered") == 200:
            sent["hook", alert, str(hook["path"])] += 1
            hook_latency.append(float(hook["received_at"]) - alerts[alert])  # type: ignore[arg-type]
    twice = sum(n - 1 for n in sent.values() if n > 1)
    rows = []
    for channel, samples in (("e-mail (SMTP)", mail_latency), ("webhook (HTTP)", hook_latency)):
        if not samples:
            rows.append(Row("alerts", f"article stored → {channel}", float("nan"), "s", "no alert arrived in time"))
            continue
        p50, p95 = percentiles(samples)
        within = sum(1 for s in samples if s <= TARGET_SECONDS)
        rows.append(
            Row(
                "alerts",
                f"article stored → {channel}, p95",
                p95,
                "s",
                f"p50 {p50:.1f} s, max {max(samples):.1f} s, {within}/{len(samples)} within {TARGET_SECONDS:.0f} s; "
                "loa up --demo, SQLite, database queue",
            )
        )
    rows.append(
        Row(
            "alerts",
            "messages sent twice across a restart",
            float(twice),
            "messages",
            f"{before_restart} messages before the restart, {len(mails) + len(hooks)} after; {len(alerts)} alerts",
        )
    )
    return rows
