"""The `loa` command: help for every command, clear errors with distinct exit codes, and
`loa up` starting and stopping the whole group on a fresh database."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from loa import cli, clikit

LOA = [sys.executable, "-m", "loa"]


def run_loa(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LOA, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    while True:
        first = free_port()
        if first + count > 65535:
            continue
        try:
            with contextlib.ExitStack() as stack:
                for port in range(first, first + count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOA_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    env["LOA_VAR_DIR"] = str(tmp_path / "var")
    return env


def _check_help(parser: argparse.ArgumentParser, path: str) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help, f"{path} {choice.dest} lacks help"
                assert len(choice.help) > 10, f"{path} {choice.dest}: help too short"
                _check_help(action.choices[choice.dest], f"{path} {choice.dest}")
        elif action.dest not in {"help", "django_args"} and action.help != argparse.SUPPRESS:
            assert action.help, f"{path} {action.dest} lacks help"


def test_every_command_has_help() -> None:
    _check_help(cli.build_parser(), "loa")


def test_help_runs_without_configuration(clean_env: dict[str, str]) -> None:
    clean_env["DATABASE_URL"] = "nonsense://"
    result = run_loa("--help", env=clean_env)
    assert result.returncode == 0
    assert "up" in result.stdout


def test_malformed_database_url_is_a_clear_configuration_error(clean_env: dict[str, str]) -> None:
    clean_env["DATABASE_URL"] = "mysql://root@localhost/loa"
    result = run_loa("demo", env=clean_env)
    assert result.returncode == clikit.EXIT_CONFIG
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_reported(clean_env: dict[str, str]) -> None:
    clean_env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{free_port()}/loa"
    result = run_loa("demo", env=clean_env)
    assert result.returncode == clikit.EXIT_DATABASE
    assert "Không kết nối được cơ sở dữ liệu" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key(clean_env: dict[str, str]) -> None:
    clean_env["LOA_ENV"] = "production"
    clean_env["ALLOWED_HOSTS"] = "loa.example.vn"
    result = run_loa("manage", "check", env=clean_env)
    assert result.returncode == clikit.EXIT_CONFIG
    assert "SECRET_KEY" in result.stderr
    clean_env["SECRET_KEY"] = "k" * 50
    assert run_loa("manage", "check", env=clean_env).returncode == 0
    shown = run_loa(
        "manage",
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS > 0)",
        env=clean_env,
    )
    assert shown.stdout.split() == ["True", "True", "False", "True"], shown.stderr


def test_production_requires_allowed_hosts(clean_env: dict[str, str]) -> None:
    clean_env["LOA_ENV"] = "production"
    clean_env["SECRET_KEY"] = "k" * 50
    result = run_loa("manage", "check", env=clean_env)
    assert result.returncode == clikit.EXIT_CONFIG
    assert "ALLOWED_HOSTS" in result.stderr


def test_secret_key_is_generated_once_and_kept(clean_env: dict[str, str]) -> None:
    run_loa("manage", "check", env=clean_env)
    key_file = Path(clean_env["LOA_VAR_DIR"]) / "secret_key"
    first = key_file.read_text()
    run_loa("manage", "check", env=clean_env)
    assert key_file.read_text() == first
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_port_in_use_is_reported(clean_env: dict[str, str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_loa("up", "--port", str(port), env=clean_env)
    assert result.returncode == clikit.EXIT_PORT
    assert "đang được một chương trình khác sử dụng" in result.stderr


def test_serving_an_unmigrated_database_is_refused(clean_env: dict[str, str], fresh_database_url: str) -> None:
    clean_env["DATABASE_URL"] = fresh_database_url
    result = run_loa("serve", "--port", str(free_port()), env=clean_env)
    assert result.returncode == clikit.EXIT_MIGRATIONS
    assert "loa manage migrate" in result.stderr


def wait_for(url: str, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
                return bytes(response.read())
        except OSError as exc:
            last = exc
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in {timeout}s: {last}")


def test_up_serves_the_login_page_and_stops_cleanly_on_ctrl_c(
    clean_env: dict[str, str], fresh_database_url: str
) -> None:
    clean_env["DATABASE_URL"] = fresh_database_url
    port, inbox_port = free_port(), free_port()
    inbox = ["--inbox-smtp-port", str(free_port()), "--inbox-http-port", str(inbox_port)]
    inbox += ["--social-port", str(free_ports(4))]
    process = subprocess.Popen(
        [*LOA, "up", "--demo", "--port", str(port), "--web-workers", "1", *inbox],
        env=clean_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The first start loads the demo and weeks of past coverage (analysed) before serving.
        page = wait_for(f"http://127.0.0.1:{port}/login/", timeout=180).decode()
        assert "Đăng nhập" in page
        health = wait_for(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert b'"database": "ok"' in health
        css = re.search(r'href="(/static/loa/loa\.[0-9a-f]+\.css)"', page)
        assert css, "static files are served under hashed names"
        assert b"--red" in wait_for(f"http://127.0.0.1:{port}{css.group(1)}", timeout=10)
        # The demo's alerts go to a local inbox, which shows what it received.
        assert "Hộp thư thử" in wait_for(f"http://127.0.0.1:{inbox_port}/", timeout=10).decode()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Mật khẩu (chỉ hiện một lần" in output
    # The generated passwords are shown again in a box once everything listens, and kept in
    # var/credentials.txt, readable by its owner only.
    credentials = Path(clean_env["LOA_VAR_DIR"]) / "credentials.txt"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    admin_password = re.search(r"Mật khẩu \(chỉ hiện một lần, hãy lưu lại\): (\S+)", output)
    demo_password = re.search(r"Mật khẩu chung của tài khoản mẫu \(chỉ hiện một lần\): (\S+)", output)
    assert admin_password
    assert demo_password
    kept = credentials.read_text(encoding="utf-8")
    box = output[output.index("╔") : output.index("╝")]
    for password in (admin_password.group(1), demo_password.group(1)):
        assert f"Mật khẩu: {password}" in kept
        assert password in box
    assert output.index("Listening at") < output.index("╔")
    assert "web stopped" in output
    assert "worker stopped" in output
    assert "scheduler stopped" in output
    assert "inbox stopped" in output
    # The replayed YouTube channel, Facebook page, Telegram channel and forum are sources too.
    assert "đã thêm 4 nguồn mạng xã hội, diễn đàn, video mẫu" in output
    assert "social stopped" in output
    with socket.socket() as probe:
        # The port is free again: nothing was left listening (TIME_WAIT aside).
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))

    # A second start finds the administrator and the demo data and prints no password.
    second = subprocess.Popen(
        [
            *LOA,
            "up",
            "--demo",
            "--port",
            str(port),
            "--no-worker",
            "--no-scheduler",
            "--web-workers",
            "1",
            *inbox,
        ],
        env=clean_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", timeout=90)
    finally:
        second.send_signal(signal.SIGINT)
        output, _ = second.communicate(timeout=60)
    assert second.returncode == 0, output
    assert "Mật khẩu" not in output
    assert "╔" not in output
    assert credentials.read_text(encoding="utf-8") == kept


@pytest.mark.real_clock(
    "the scheduler waits for its next tick on a threading.Event; under faketime Python's monotonic "
    "clock is shifted but libfaketime 0.9.10 leaves sem_clockwait, where that wait ends, unshifted, "
    "so the wait would last the whole shift"
)
def test_several_scheduler_processes_enqueue_a_due_job_once(clean_env: dict[str, str], tmp_path: Path) -> None:
    clean_env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sched.sqlite3'}"
    assert run_loa("manage", "migrate", "--noinput", env=clean_env).returncode == 0
    schedulers = [
        subprocess.Popen(
            [*LOA, "scheduler", "--tick", "0.2", "--ticks", "10"],
            env=clean_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in schedulers]
    assert all(p.returncode == 0 for p in schedulers), outputs
    enqueued = sum(out.count("scheduler: enqueued housekeeping") for out in outputs)
    assert enqueued == 1, outputs
