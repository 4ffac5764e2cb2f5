"""First start: generated passwords are kept in var/credentials.txt (owner-only from the moment
it exists) and shown again in a box once every process of `loa up` listens."""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from loa.core.credentials import Credential, credentials_box, credentials_path, credentials_write
from loa.core.supervisor import Child, Supervisor, listening

ADMIN = Credential("Quản trị viên", ("admin",), "Xk3vPq9LmN2bRt7Z")
DEMO = Credential("Tài khoản mẫu (mật khẩu chung)", ("btg.chuyenvien", "evn.chuyenvien"), "Hq4sWm8NcV1yTp6D")
NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)  # only written into the file's header


def test_the_file_is_created_owner_only_without_a_later_chmod(tmp_path: Path, monkeypatch: Any) -> None:
    def no_chmod(*args: object, **kwargs: object) -> None:
        raise AssertionError("the mode is set when the file is created, not afterwards")

    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.setattr(os, "fchmod", no_chmod)
    path = credentials_path(tmp_path)
    previous = os.umask(0)  # even a permissive umask must not open the file to others
    try:
        credentials_write(path=path, credentials=[ADMIN, DEMO], url="http://127.0.0.1:8000/", now=NOW)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "Quản trị viên: admin" in text
    assert "Mật khẩu: Xk3vPq9LmN2bRt7Z" in text
    assert "btg.chuyenvien, evn.chuyenvien" in text
    assert "Mật khẩu: Hq4sWm8NcV1yTp6D" in text


def test_a_later_password_is_added_and_nothing_is_written_without_one(tmp_path: Path) -> None:
    path = credentials_path(tmp_path)
    credentials_write(path=path, credentials=[], url="http://x/", now=NOW)
    assert not path.exists()
    credentials_write(path=path, credentials=[ADMIN], url="http://x/", now=NOW)
    credentials_write(path=path, credentials=[DEMO], url="http://x/", now=NOW)
    text = path.read_text(encoding="utf-8")
    assert text.index(ADMIN.password) < text.index(DEMO.password)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_box_shows_every_password_and_where_they_are_kept(tmp_path: Path) -> None:
    box = credentials_box(credentials=[ADMIN, DEMO], url="http://127.0.0.1:8000/", path=tmp_path / "credentials.txt")
    lines = box.splitlines()
    assert lines[0].startswith("╔")
    assert lines[-1].startswith("╚")
    assert len({len(line) for line in lines}) == 1  # a closed box, every line as wide
    assert ADMIN.password in box
    assert DEMO.password in box
    assert str(tmp_path / "credentials.txt") in box


def test_many_demo_accounts_keep_the_box_within_a_terminal(tmp_path: Path) -> None:
    names = tuple(f"donvi{number}.tuyengiao" for number in range(12))
    demo = Credential("Tài khoản mẫu (mật khẩu chung)", names, "Hq4sWm8NcV1yTp6D")
    box = credentials_box(credentials=[ADMIN, demo], url="http://127.0.0.1:8000/", path=Path("var/credentials.txt"))
    assert max(len(line) for line in box.splitlines()) <= 80
    assert all(name in box for name in names)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_supervisor_calls_on_ready_once_every_port_listens() -> None:
    port = free_port()
    # A child that starts listening only after a while, like a web server loading Django.
    late = (
        "import socket, time\n"
        "time.sleep(1.5)\n"
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        f"s.bind(('127.0.0.1', {port})); s.listen()\n"
        "time.sleep(60)\n"
    )
    calls: list[tuple[float, bool]] = []
    started = time.monotonic()
    supervisor: Supervisor

    def ready() -> None:
        calls.append((time.monotonic() - started, listening("127.0.0.1", port)))
        supervisor.stopping = True

    children = [
        Child("late", [sys.executable, "-c", late], ports=[("127.0.0.1", port)]),
        Child("quiet", [sys.executable, "-c", "import time; time.sleep(60)"]),
    ]
    supervisor = Supervisor(children, env=dict(os.environ), grace_seconds=5, on_ready=ready)
    assert supervisor.run() == 0
    assert len(calls) == 1
    elapsed, was_listening = calls[0]
    assert was_listening
    assert elapsed >= 1.5


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1"])  # noqa: S104 - the address `loa up --host` is given
def test_a_wildcard_address_is_probed_on_loopback(host: str) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert listening(host, server.getsockname()[1])
