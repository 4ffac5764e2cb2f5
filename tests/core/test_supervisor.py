"""The supervisor restarts a child that dies, gives up on a crash loop, and stops in order."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from loa.core.supervisor import Child, Supervisor, describe_exit
from tests.test_cli import LOA, free_port, wait_for

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
WAIT = 60  # seconds: the machine running the suite may be loaded


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def pid_of(child: Child) -> int | None:
    process = child.process
    return process.pid if process is not None and process.poll() is None else None


def in_background(action: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


def test_a_killed_child_is_restarted_and_its_siblings_keep_running(caplog: pytest.LogCaptureFixture) -> None:
    worker, web = Child("worker", SLEEPER), Child("web", SLEEPER)
    supervisor = Supervisor([web, worker], env=os.environ, backoff_seconds=0.1, grace_seconds=10)
    seen: dict[str, int] = {}

    def kill_the_worker_then_stop() -> None:
        wait_until(lambda: pid_of(worker) is not None and pid_of(web) is not None, "both children")
        seen["worker"], seen["web"] = pid_of(worker) or 0, pid_of(web) or 0
        os.kill(seen["worker"], signal.SIGKILL)
        wait_until(lambda: pid_of(worker) not in (None, seen["worker"]), "the worker's restart")
        seen["restarted"] = pid_of(worker) or 0
        seen["web after"] = pid_of(web) or 0
        supervisor.stopping = True

    caplog.set_level(logging.INFO, logger="loa.core.supervisor")
    thread = in_background(kill_the_worker_then_stop)
    assert supervisor.run() == 0
    thread.join(WAIT)
    assert seen["restarted"] != seen["worker"]
    assert seen["web after"] == seen["web"], "the web server was not touched"
    assert f"worker (pid {seen['worker']}) exited unexpectedly with signal SIGKILL" in caplog.text
    assert all(child.process is not None and child.process.poll() is not None for child in (web, worker))


def test_a_crash_loop_stops_everything_with_a_non_zero_status(caplog: pytest.LogCaptureFixture) -> None:
    failing = Child("scheduler", [sys.executable, "-c", "import sys; sys.exit(3)"])
    healthy = Child("web", SLEEPER)
    supervisor = Supervisor(
        [healthy, failing],
        env=os.environ,
        backoff_seconds=0.05,
        backoff_max_seconds=0.2,
        crash_loop_restarts=3,
        crash_loop_window_seconds=WAIT,
        grace_seconds=10,
    )
    caplog.set_level(logging.INFO, logger="loa.core.supervisor")
    assert supervisor.run() == 3
    assert caplog.text.count("started scheduler") == 4, "started once and restarted three times"
    assert "crash loop, stopping everything" in caplog.text
    assert healthy.process is not None
    assert healthy.process.poll() is not None
    assert "web stopped" in caplog.text


def test_ctrl_c_stops_every_child_in_order(caplog: pytest.LogCaptureFixture) -> None:
    children = [Child("web", SLEEPER), Child("scheduler", SLEEPER), Child("worker", SLEEPER)]
    supervisor = Supervisor(children, env=os.environ, grace_seconds=10)

    def press_ctrl_c() -> None:
        wait_until(lambda: all(pid_of(child) for child in children), "every child")
        os.kill(os.getpid(), signal.SIGINT)

    caplog.set_level(logging.INFO, logger="loa.core.supervisor")
    thread = in_background(press_ctrl_c)
    assert supervisor.run() == 0
    thread.join(WAIT)
    assert "received SIGINT, stopping" in caplog.text
    assert "restarting" not in caplog.text, "a child stopped by the supervisor is not restarted"
    stopped = [caplog.text.index(f"{name} stopped") for name in ("web", "scheduler", "worker")]
    assert stopped == sorted(stopped)
    assert all(child.process is not None and child.process.returncode == -signal.SIGTERM for child in children)


def test_the_back_off_doubles_up_to_its_cap_and_starts_over_once_a_child_stayed_up() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    child = Child("worker", SLEEPER, process=dead)
    supervisor = Supervisor(
        [child], env=os.environ, backoff_seconds=1, backoff_max_seconds=4, stable_seconds=60, crash_loop_restarts=99
    )
    waits = []
    now = 1000.0
    for _ in range(5):
        child.started_at = now
        now += 2  # died 2 s after its start: not yet stable
        assert supervisor._reap(child, -9, now) is None
        waits.append(child.backoff)
    assert waits == [1, 2, 4, 4, 4]
    child.started_at = now
    assert supervisor._reap(child, 1, now + 61) is None
    assert child.backoff == 1
    assert child.restart_at == now + 62


def test_exits_are_described_by_status_or_signal() -> None:
    assert describe_exit(3) == "status 3"
    assert describe_exit(-signal.SIGKILL) == "signal SIGKILL"


def children_of(parent: int) -> dict[str, int]:
    """The `loa` sub-command each child of `parent` runs (web is `serve`), by its pid, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # ended while we looked
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"loa" in argv:
            found[argv[argv.index(b"loa") + 1].decode()] = int(entry.name)
    return found


def test_up_keeps_serving_while_a_killed_worker_and_scheduler_come_back(
    tmp_path: Path, fresh_database_url: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(LOA_VAR_DIR=str(tmp_path / "var"), DATABASE_URL=fresh_database_url)
    port = free_port()
    login = f"http://127.0.0.1:{port}/login/"
    # A file, not a pipe: the access log of every probe would fill a pipe nobody reads yet.
    with (tmp_path / "up.log").open("wb") as log:
        up = subprocess.Popen(
            [*LOA, "up", "--port", str(port), "--web-workers", "1"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        assert "Đăng nhập" in wait_for(login, timeout=90).decode()
        wait_until(lambda: {"serve", "worker", "scheduler"} <= children_of(up.pid).keys(), "the three children")
        web = children_of(up.pid)["serve"]
        for name in ("worker", "scheduler"):
            killed = children_of(up.pid)[name]
            os.kill(killed, signal.SIGKILL)

            def back(name: str = name, killed: int = killed) -> bool:
                # The web server answers all along, not only once the child is back.
                assert "Đăng nhập" in wait_for(login, timeout=10).decode()
                return children_of(up.pid).get(name) not in (None, killed)

            wait_until(back, f"the {name}'s restart")
            assert up.poll() is None
        assert children_of(up.pid)["serve"] == web, "the web server was never restarted"
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(60)
    output = (tmp_path / "up.log").read_text(encoding="utf-8")
    assert up.returncode == 0, output
    for name in ("worker", "scheduler"):
        assert re.search(rf"{name} \(pid \d+\) exited unexpectedly with signal SIGKILL", output), output
        assert f"{name} stopped" in output
