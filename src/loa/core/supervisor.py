"""Run Loa's processes (web server, task worker, scheduler) as one group.

Each child gets its own session so that Ctrl-C reaches only the supervisor, which then
stops the children in order: web first (no new work), then the scheduler, then the worker,
which finishes its current task. If any child dies on its own, the others are stopped
and the supervisor exits non-zero, so a half-running Loa never looks healthy. Once every
child's ports accept connections, `on_ready` runs once (the start-up box with the passwords).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger(__name__)


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    # (host, port) pairs the child listens on once it is ready.
    ports: Sequence[tuple[str, int]] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)


def listening(host: str, port: int) -> bool:
    """Whether something accepts connections at host:port (a wildcard address is reached on loopback)."""
    target = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 - not a bind
    try:
        with socket.create_connection((target, port), timeout=0.5):
            return True
    except OSError:
        return False


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        env: Mapping[str, str],
        grace_seconds: float = 20,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.children = list(children)
        self.env = dict(env)
        self.grace_seconds = grace_seconds
        self.stopping = False
        self.on_ready = on_ready
        self.ready = False

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

    def start(self) -> None:
        for child in self.children:
            child.process = subprocess.Popen(  # noqa: S603 - argv built by Loa itself
                list(child.argv), env=self.env, start_new_session=True
            )
            logger.info("started %s (pid %s)", child.name, child.process.pid)

    def run(self) -> int:
        """Start the children and wait; returns the exit status for the whole group."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        status = 0
        try:
            self.start()
            while not self.stopping:
                for child in self.children:
                    assert child.process is not None
                    code = child.process.poll()
                    if code is not None:
                        logger.error("%s exited unexpectedly with status %s", child.name, code)
                        status = code or 1
                        self.stopping = True
                        break
                else:
                    self._check_ready()
                    time.sleep(0.3)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def stop(self) -> None:
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
