"""What every `loa` sub-command shares: exit statuses, the error a user can fix, Django set-up,
the database checks, and writing a file or standard output.

A leaf: it imports no Loa app, so each app's CLI can use it without importing `loa.cli`, the
top that assembles every app's sub-commands (and through it every other app).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import socket
import sys
from pathlib import Path

from loa.config.env import ConfigError, settings_module

EXIT_CONFIG = 2
EXIT_PORT = 3
EXIT_DATABASE = 4
EXIT_MIGRATIONS = 5


class CommandError(Exception):
    """A failure the user can fix; carries the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    import django

    try:
        django.setup()
    except ConfigError as exc:
        raise CommandError(f"Lỗi cấu hình (configuration error): {exc}", EXIT_CONFIG) from exc


def check_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        settings = connection.settings_dict
        where = settings.get("HOST") or settings.get("NAME")
        raise CommandError(
            f"Không kết nối được cơ sở dữ liệu {connection.vendor} ({where}): "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}. "
            "Kiểm tra DATABASE_URL và máy chủ CSDL (cannot connect to the database).",
            EXIT_DATABASE,
        ) from exc


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Cổng {host}:{port} đang được một chương trình khác sử dụng "
                    "(port in use). Dừng chương trình đó hoặc chọn cổng khác: "
                    f"loa up --port {port + 1}",
                    EXIT_PORT,
                ) from exc
            raise CommandError(f"Không mở được cổng {host}:{port}: {exc}", EXIT_PORT) from exc


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_migrated() -> None:
    pending = pending_migrations()
    if pending:
        shown = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
        raise CommandError(
            "Cơ sở dữ liệu chưa được cập nhật cấu trúc "
            f"({len(pending)} migration chưa chạy: {shown}). "
            "Chạy: loa manage migrate (unapplied migrations).",
            EXIT_MIGRATIONS,
        )


def print_line(message: str = "") -> None:
    print(message, flush=True)


def output_write(output: str, content: bytes) -> None:
    """Write a file a command made, or to standard output for "-"."""
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    if not target.parent.exists():
        raise CommandError(f"Thư mục {target.parent} không tồn tại (directory not found)")
    # Written next to the target and renamed, so a reader never sees half a file.
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(content)
    os.replace(partial, target)
    print(f"Đã ghi {target} ({len(content):,} byte).", file=sys.stderr)


def day_parse(text: str) -> dt.date:
    """A day given as YYYY-MM-DD on the command line."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {text!r} (write YYYY-MM-DD)", status=2) from None
