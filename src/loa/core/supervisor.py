"""Run Loa's processes (web server, task worker, scheduler) as one group.

Each child gets its own session so that Ctrl-C reaches only the supervisor, which then
stops the children in order: web first (no new work), then the scheduler, then the worker,
which finishes its current task. A child that dies on its own (a crash, the kernel's OOM
killer, a stray kill -9) is logged and started again after a back-off that doubles with
each quick death, while the others keep running: one dead worker must not take the web
server down with it. The group is stopped only by Ctrl-C/SIGTERM or when a child keeps
dying (a crash loop, e.g. a configuration error), and then the supervisor exits non-zero.
Once every child's ports accept connections, `on_ready` runs once (the start-up box with
the passwords).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger(__name__)

# The first restart waits 1 s (a killed worker is back before anyone notices); each quick
# death doubles the wait, up to 30 s, so that a child failing on a dependency (a database
# restarting) is retried often enough to come back soon without spinning.
RESTART_BACKOFF_SECONDS = 1.0
RESTART_BACKOFF_MAX_SECONDS = 30.0
# A child that stayed up this long had recovered: its next death starts the back-off over.
RESTART_STABLE_SECONDS = 60.0
# More deaths of one child than this within the window is a crash loop, not bad luck: a child
# that cannot start (bad configuration, port taken, unmigrated database) dies 6 times within
# about 45 s of back-off, and a group that pretends to run would hide it, so everything stops.
CRASH_LOOP_RESTARTS = 5
CRASH_LOOP_WINDOW_SECONDS = 300.0


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    # (host, port) pairs the child listens on once it is ready.
    ports: Sequence[tuple[str, int]] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_at: float = field(default=0.0, repr=False)
    # When a dead child is due to start again (monotonic), and how long its next wait is.
    restart_at: float | None = field(default=None, repr=False)
    backoff: float = field(default=0.0, repr=False)
    deaths: deque[float] = field(default_factory=deque, repr=False)


def listening(host: str, port: int) -> bool:
    """Whether something accepts connections at host:port (a wildcard address is reached on loopback)."""
    target = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 - not a bind
    try:
        with socket.create_connection((target, port), timeout=0.5):
            return True
    except OSError:
        return False


def describe_exit(code: int) -> str:
    """'status 3' or 'signal SIGKILL': Popen reports death by a signal as a negative code."""
    if code >= 0:
        return f"status {code}"
    try:
        return f"signal {signal.Signals(-code).name}"
    except ValueError:
        return f"signal {-code}"


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        env: Mapping[str, str],
        grace_seconds: float = 20,
        on_ready: Callable[[], None] | None = None,
        backoff_seconds: float = RESTART_BACKOFF_SECONDS,
        backoff_max_seconds: float = RESTART_BACKOFF_MAX_SECONDS,
        stable_seconds: float = RESTART_STABLE_SECONDS,
        crash_loop_restarts: int = CRASH_LOOP_RESTARTS,
        crash_loop_window_seconds: float = CRASH_LOOP_WINDOW_SECONDS,
    ) -> None:
        self.children = list(children)
        self.env = dict(env)
        self.grace_seconds = grace_seconds
        self.stopping = False
        self.on_ready = on_ready
        self.ready = False
        self.backoff_seconds = backoff_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.stable_seconds = stable_seconds
        self.crash_loop_restarts = crash_loop_restarts
        self.crash_loop_window_seconds = crash_loop_window_seconds

    def _check_ready(self) -> None:
        if self.ready:
            return
        if all(listening(host, port) for child in self.children for host, port in child.ports):
            self.ready = True
            if self.on_ready is not None:
                self.on_ready()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            return
        logger.info("received %s, stopping", signal.Signals(signum).name)
        self.stopping = True

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - argv built by Loa itself
            list(child.argv), env=self.env, start_new_session=True
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        logger.info("started %s (pid %s)", child.name, child.process.pid)

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _reap(self, child: Child, code: int, now: float) -> int | None:
        """Plan the restart of a child that died; returns an exit status when it is a crash loop."""
        assert child.process is not None
        # What the dead child forked (gunicorn's workers) may still hold its port; its session is
        # its own, so this reaches nothing else.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signal.SIGKILL)
        child.deaths.append(now)
        while child.deaths and child.deaths[0] < now - self.crash_loop_window_seconds:
            child.deaths.popleft()
        if len(child.deaths) > self.crash_loop_restarts:
            logger.error(
                "%s (pid %s) exited with %s, its %s death within %.0f s: crash loop, stopping everything",
                child.name,
                child.process.pid,
                describe_exit(code),
                len(child.deaths),
                self.crash_loop_window_seconds,
            )
            return code if code > 0 else 1
        if now - child.started_at >= self.stable_seconds:
            child.backoff = 0.0
        child.backoff = self.backoff_seconds if not child.backoff else min(child.backoff * 2, self.backoff_max_seconds)
        child.restart_at = now + child.backoff
        logger.error(
            "%s (pid %s) exited unexpectedly with %s after %.0f s; restarting it in %.0f s",
            child.name,
            child.process.pid,
            describe_exit(code),
            now - child.started_at,
            child.backoff,
        )
        return None

    def _watch(self) -> int | None:
        """One look at every child: reap the dead, restart those due; an exit status ends the group."""
        now = time.monotonic()
        for child in self.children:
            assert child.process is not None
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._spawn(child)
                continue
            code = child.process.poll()
            if code is not None:
                status = self._reap(child, code, now)
                if status is not None:
                    return status
        return None

    def run(self) -> int:
        """Start the children and watch them; returns the exit status for the whole group."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        status = 0
        try:
            self.start()
            while not self.stopping:
                crashed = self._watch()
                if crashed is not None:
                    status = crashed
                    break
                if all(child.restart_at is None for child in self.children):
                    self._check_ready()
                time.sleep(0.3)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def stop(self) -> None:
        # A child waiting for its restart is already dead (and reaped): only live ones are signalled.
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for child in self.children:
            if child.process is None:
                continue
            remaining = max(0.1, deadline - time.monotonic())
            try:
                child.process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in time; killing it", child.name)
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()
            logger.info("%s stopped (status %s)", child.name, child.process.returncode)
