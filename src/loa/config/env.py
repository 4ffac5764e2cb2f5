"""Reading Loa's configuration from the environment.

Kept free of Django imports so that the CLI can report a bad configuration
before Django is set up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENVIRONMENTS = ("local", "production", "test")


class ConfigError(Exception):
    """A setting from the environment is missing or malformed; the message says how to fix it."""


def env_name() -> str:
    name = os.environ.get("LOA_ENV", "local").strip().lower() or "local"
    if name not in ENVIRONMENTS:
        raise ConfigError(f"LOA_ENV={name!r} không hợp lệ (invalid); dùng một trong: {', '.join(ENVIRONMENTS)}.")
    return name


def settings_module() -> str:
    return f"loa.config.settings.{env_name()}"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} không phải giá trị đúng/sai (expected 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} không phải số nguyên (expected an integer).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def var_dir() -> Path:
    """Where the embedded mode keeps its database, secret key, archive and static files."""
    path = Path(os.environ.get("LOA_VAR_DIR", "var")).resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"Không tạo được thư mục dữ liệu LOA_VAR_DIR={path}: {exc}") from exc
    return path


def database_config(default_sqlite: Path) -> dict[str, Any]:
    """Parse DATABASE_URL (SQLite by default, PostgreSQL for scale) into a DATABASES entry."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{default_sqlite}"
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"DATABASE_URL có lược đồ {scheme or '(trống)'!r} không được hỗ trợ "
            "(unsupported scheme); dùng sqlite:///đường/dẫn.sqlite3 hoặc "
            "postgres://người_dùng@máy:5432/tên_csdl."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj-database-url raises several types for malformed URLs
        raise ConfigError(f"DATABASE_URL không đọc được (malformed): {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if not name or name == ":memory:":
            raise ConfigError("DATABASE_URL cho SQLite phải chỉ tới một tệp (a file path).")
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # Web, worker and scheduler share one file: WAL lets readers and one writer
            # proceed together, IMMEDIATE transactions avoid lock-upgrade deadlocks and
            # the timeout waits out short write bursts instead of failing them. secure_delete
            # zeroes the space a deleted or rewritten row leaves, so that an erased person's
            # name is not still in the file's free space (loa.core.database); it costs some
            # writes on deletes, which are rare next to inserts here.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    else:
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL cho PostgreSQL phải có tên cơ sở dữ liệu (/tên_csdl).")
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("connect_timeout", 5)
        config["CONN_HEALTH_CHECKS"] = True
    return config


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"REDIS_URL={url!r} không hợp lệ; ví dụ redis://127.0.0.1:6379/0.")
    return url


def secret_key(*, production: bool, directory: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/.

    Production refuses to invent one: several web servers must share the same key,
    and a key that silently changes logs everybody out.
    """
    value = os.environ.get("SECRET_KEY", "").strip()
    if value:
        if production and len(value) < 32:
            raise ConfigError("SECRET_KEY quá ngắn cho chế độ production (cần ít nhất 32 ký tự).")
        return value
    if production:
        raise ConfigError("Chế độ production cần biến môi trường SECRET_KEY (refusing to start without one).")
    path = directory / "secret_key"
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    generated = secrets.token_urlsafe(50)
    # Create with owner-only permissions before writing the key into it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(generated)
    return generated
