"""Backup and restore of a Loa installation: the database, uploaded files and the generated key.

One archive (tar.gz) holds a consistent copy of the database (SQLite through its online
backup API, PostgreSQL through `pg_dump --format=custom`), the uploaded files under
MEDIA_ROOT, optionally the raw pages under LOA_ARCHIVE_DIR, the key Loa generated under
var/ when SECRET_KEY is not set, and last a manifest: Loa's version, the applied
migrations, when it was made and the SHA-256 of every member. The manifest comes last so
that an archive cut short has none and is refused as a whole.

A restore checks everything before it touches anything: the archive is unpacked beside
the data and every checksum compared; only then is the current database renamed aside
(never deleted) and the archive's put in its place, and the migrations it lacks are run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/loa.sqlite3"
POSTGRES_MEMBER = "database/loa.pgdump"
SECRET_MEMBER = "var/secret_key"  # noqa: S105 - a path inside the archive, not a password
# Directories saved file by file, by their prefix in the archive.
MEDIA_PREFIX = "media"
RAW_PREFIX = "raw"
# Pages copied per step of SQLite's backup API and the pause between steps. The copy reads
# one snapshot (a read transaction held across the steps): in WAL mode writers go on while
# it runs, and the copy never restarts however often they commit.
SQLITE_PAGES_PER_STEP = 1024
SQLITE_STEP_SLEEP_SECONDS = 0.002
CHUNK = 1024 * 1024
# Commands that keep the database open while they run.
LONG_RUNNING = frozenset({"up", "serve", "worker", "scheduler"})


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    vendor: str
    files: int
    migrations: int


@dataclass(frozen=True)
class RestoreResult:
    vendor: str
    loa_version: str
    created_at: str
    files: int
    migrated: list[str]
    kept_aside: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Database:
    """What a backup needs to know of the configured database, read from Django's settings."""

    vendor: str
    name: str
    settings: dict[str, Any]


# --- backup --------------------------------------------------------------------------


def backup_create(
    *, output: Path | None = None, include_raw: bool = False, now: dt.datetime | None = None
) -> BackupResult:
    """Write one archive of the database, uploads and generated key, atomically at `output`."""
    from django.conf import settings

    from loa import __version__

    now = now or dt.datetime.now(dt.UTC)
    database = current_database()
    if output is None:
        output = Path(settings.LOA_BACKUP_DIR) / f"loa-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    output = output.resolve()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Không tạo được thư mục {output.parent}: {exc}") from exc
    directories = _directories(include_raw=include_raw)
    staging = Path(tempfile.mkdtemp(prefix=".loa-backup-", dir=output.parent))
    partial = output.with_name(f".{output.name}.partial-{os.getpid()}")
    try:
        if database.vendor == "sqlite":
            dump, member = staging / "loa.sqlite3", SQLITE_MEMBER
            migrations = _sqlite_snapshot(Path(database.name), dump)
        else:
            dump, member = staging / "loa.pgdump", POSTGRES_MEMBER
            migrations = _applied_migrations()
            _pg_dump(database, dump)
        members: dict[str, dict[str, Any]] = {}
        files = 0
        # Owner-only from the start: the archive holds personal data and the secret key.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                members[member] = _add_file(tar, member, dump)
                secret = Path(settings.VAR_DIR) / "secret_key"
                if secret.is_file():
                    members[SECRET_MEMBER] = _add_file(tar, SECRET_MEMBER, secret)
                for prefix, root in directories.items():
                    for path, name in _walk(root, prefix):
                        members[name] = _add_file(tar, name, path)
                        files += 1
                manifest = {
                    "format": FORMAT,
                    "loa_version": __version__,
                    "created_at": now.isoformat(timespec="seconds"),
                    "database": {"vendor": database.vendor, "member": member},
                    "directories": sorted(directories),
                    "migrations": sorted(f"{app}.{name}" for app, name in migrations),
                    "members": members,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(body), 0o600, int(now.timestamp())
                tar.addfile(info, _BytesReader(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
        _fsync_directory(output.parent)
    except BackupError:
        raise
    except (OSError, sqlite3.Error, tarfile.TarError) as exc:
        raise BackupError(f"Sao lưu thất bại (backup failed): {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(output, output.stat().st_size, database.vendor, files, len(migrations))


def current_database() -> Database:
    from django.db import connection

    settings_dict = dict(connection.settings_dict)
    return Database(vendor=connection.vendor, name=str(settings_dict["NAME"]), settings=settings_dict)


def _directories(*, include_raw: bool) -> dict[str, Path]:
    from django.conf import settings

    directories = {MEDIA_PREFIX: Path(settings.MEDIA_ROOT)}
    if include_raw:
        directories[RAW_PREFIX] = Path(settings.LOA_ARCHIVE_DIR)
    return directories


def _walk(root: Path, prefix: str) -> Iterator[tuple[Path, str]]:
    """Regular files under `root`, in a stable order; links are skipped, they may point anywhere."""
    if not root.is_dir():
        return
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path, f"{prefix}/{path.relative_to(root).as_posix()}"


def _sqlite_snapshot(source: Path, target: Path) -> list[tuple[str, str]]:
    """Copy the live SQLite file page by page from one snapshot; check the copy; its migrations."""
    if not source.is_file():
        raise BackupError(f"Không thấy tệp cơ sở dữ liệu {source} (database file not found).")
    src = sqlite3.connect(source, timeout=30, isolation_level=None)
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        # Holding a read transaction across the steps pins the snapshot: a writer's commit
        # in between would otherwise restart the copy from the first page.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.backup(dst, pages=SQLITE_PAGES_PER_STEP, sleep=SQLITE_STEP_SLEEP_SECONDS)
        src.execute("COMMIT")
        # One self-contained file: the restored database turns WAL on again when Loa opens it.
        dst.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(dst, what="bản sao (the copy)")
        return _sqlite_migrations(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_check(db: sqlite3.Connection, *, what: str) -> None:
    rows = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        raise BackupError(f"Kiểm tra toàn vẹn {what} thất bại (integrity_check): {'; '.join(rows[:5])}")


def _sqlite_migrations(db: sqlite3.Connection) -> list[tuple[str, str]]:
    try:
        return [(str(app), str(name)) for app, name in db.execute("SELECT app, name FROM django_migrations")]
    except sqlite3.OperationalError:
        return []


def _applied_migrations() -> list[tuple[str, str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(MigrationRecorder(connection).applied_migrations())


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add `path` as `name`, hashing the bytes as they are written."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = stat.st_size, 0o600, int(stat.st_mtime)
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


class _HashingReader:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _fsync_directory(path: Path) -> None:
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- PostgreSQL tools ------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    from django.conf import settings

    if settings.LOA_PG_BIN_DIR:
        path = Path(settings.LOA_PG_BIN_DIR) / name
        if not path.is_file():
            raise BackupError(f"Không thấy {path} (LOA_PG_BIN_DIR={settings.LOA_PG_BIN_DIR}).")
        return str(path)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"Thiếu {name} (not installed): cài gói postgresql-client của Debian "
            "(scripts/system-deps.sh) hoặc đặt LOA_PG_BIN_DIR."
        )
    return found


def _pg_environment(database: Database, *, name: str | None = None) -> dict[str, str]:
    """libpq variables for the tools: the password stays out of the command line (and `ps`)."""
    settings_dict, options = database.settings, database.settings.get("OPTIONS") or {}
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": name or database.name,
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
    }
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _tool_major(tool: str) -> int:
    result = _run([tool, "--version"], env=dict(os.environ), what=tool)
    match = re.search(r"(\d+)(?:\.\d+)?", result)
    return int(match.group(1)) if match else 0


def _server_major() -> int:
    from django.db import connection

    connection.ensure_connection()
    version = int(getattr(connection, "pg_version", 0) or 0)
    return version // 10000


def _pg_dump(database: Database, target: Path) -> None:
    pg_dump = _pg_tool("pg_dump")
    tool, server = _tool_major(pg_dump), _server_major()
    if tool < server:
        # pg_dump refuses a newer server; say how to get the matching client instead.
        raise BackupError(
            f"pg_dump {tool} cũ hơn máy chủ PostgreSQL {server} (version mismatch): cài "
            f"postgresql-client-{server} (kho apt.postgresql.org) rồi đặt "
            f"LOA_PG_BIN_DIR=/usr/lib/postgresql/{server}/bin."
        )
    _run(
        [pg_dump, "--format=custom", "--compress=6", "--file", str(target)],
        env=_pg_environment(database),
        what="pg_dump",
    )
    _run([_pg_tool("pg_restore"), "--list", str(target)], env=dict(os.environ), what="pg_restore --list")


def _run(command: list[str], *, env: dict[str, str], what: str) -> str:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise BackupError(f"Không chạy được {what}: {exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} thất bại (exit {result.returncode}): {' | '.join(detail[-3:])}")
    return result.stdout


# --- restore ---------------------------------------------------------------------------


def restore_apply(*, archive: Path, force: bool = False, now: dt.datetime | None = None) -> RestoreResult:
    """Replace the database and uploads by the archive's, keeping the current ones aside."""
    from django.conf import settings
    from django.db import connections

    stamp = f"{(now or dt.datetime.now(dt.UTC)):%Y%m%d-%H%M%S}"
    database = current_database()
    if not archive.is_file():
        raise BackupError(f"Không thấy tệp sao lưu {archive} (no such file).")
    running = loa_processes(database=database, var_dir=Path(settings.VAR_DIR))
    if running:
        raise BackupError(
            "Loa đang chạy trên cơ sở dữ liệu này (processes "
            f"{', '.join(map(str, running))}): dừng loa up / worker / scheduler / serve rồi khôi phục lại."
        )
    if _has_data(database) and not force:
        raise BackupError(
            "Cơ sở dữ liệu hiện tại đã có dữ liệu; thêm --force để thay bằng bản sao lưu "
            "(the current database is kept aside, renamed)."
        )
    staging = Path(tempfile.mkdtemp(prefix=".loa-restore-", dir=settings.VAR_DIR))
    try:
        manifest = _unpack(archive, staging)
        vendor = str(manifest["database"]["vendor"])
        if vendor != database.vendor:
            raise BackupError(
                f"Bản sao lưu là của {vendor}, Loa đang dùng {database.vendor} "
                "(restore into the same kind of database)."
            )
        dump = staging / str(manifest["database"]["member"])
        archived = set(manifest["migrations"])
        if vendor == "sqlite":
            with _closing(sqlite3.connect(dump)) as db:
                _sqlite_check(db, what="bản sao lưu (the archived database)")
                archived = {f"{app}.{name}" for app, name in _sqlite_migrations(db)}
        else:
            _run([_pg_tool("pg_restore"), "--list", str(dump)], env=dict(os.environ), what="pg_restore --list")
        _check_not_newer(archived, loa_version=str(manifest.get("loa_version", "?")))
        connections.close_all()
        kept: list[str] = []
        if vendor == "sqlite":
            kept += _sqlite_swap(Path(database.name), dump, stamp=stamp)
        else:
            kept += _pg_swap(database, dump, stamp=stamp)
        files = 0
        for prefix, root in _directories(include_raw=RAW_PREFIX in manifest.get("directories", [])).items():
            files += sum(1 for name in manifest["members"] if name.startswith(prefix + "/"))
            kept += _directory_swap(root, staging / prefix, stamp=stamp)
        if (staging / SECRET_MEMBER).is_file():
            kept += _secret_swap(Path(settings.VAR_DIR) / "secret_key", staging / SECRET_MEMBER, stamp=stamp)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    try:
        migrated = _migrate()
    except Exception as exc:
        # A migration fails in many ways (database, data, code); each needs the same advice.
        where = "; ".join(kept) or "(không có)"
        raise BackupError(
            f"Đã khôi phục nhưng cập nhật cấu trúc thất bại (migrate failed): {exc}. "
            f"Bản cũ được giữ tại: {where}. Sửa lỗi rồi chạy: loa manage migrate"
        ) from exc
    return RestoreResult(
        vendor=vendor,
        loa_version=str(manifest.get("loa_version", "")),
        created_at=str(manifest.get("created_at", "")),
        files=files,
        migrated=migrated,
        kept_aside=kept,
    )


def _unpack(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack into `staging`, hashing each member; the manifest must vouch for every one."""
    seen: dict[str, dict[str, Any]] = {}
    manifest_bytes: bytes | None = None
    damaged = f"Tệp sao lưu {archive.name} bị hỏng hoặc không trọn vẹn (corrupt or truncated archive)"
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not _safe_name(name):
                    raise BackupError(f"{damaged}: thành phần lạ {name!r} (unexpected member).")
                source = tar.extractfile(member)
                if source is None:  # pragma: no cover - regular files always have a stream
                    raise BackupError(f"{damaged}: {name}.")
                if name == MANIFEST:
                    manifest_bytes = source.read(CHUNK * 16)
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"sha256": digest.hexdigest(), "size": size}
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{damaged}: {exc}") from exc
    if manifest_bytes is None:
        raise BackupError(f"{damaged}: thiếu {MANIFEST} (no manifest: the backup did not finish).")
    try:
        manifest: dict[str, Any] = json.loads(manifest_bytes)
        members: dict[str, dict[str, Any]] = manifest["members"]
        database_member = manifest["database"]["member"]
        fmt = manifest["format"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{damaged}: {MANIFEST} không đọc được ({exc}).") from exc
    if fmt != FORMAT:
        raise BackupError(f"Định dạng sao lưu {fmt} không được hỗ trợ (unsupported format; expected {FORMAT}).")
    missing = sorted(set(members) - set(seen))
    extra = sorted(set(seen) - set(members))
    wrong = sorted(name for name in set(members) & set(seen) if members[name] != seen[name])
    for problem, names in (("thiếu (missing)", missing), ("thừa (unlisted)", extra), ("sai checksum", wrong)):
        if names:
            shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
            raise BackupError(f"{damaged}: {len(names)} thành phần {problem}: {shown}.")
    if database_member not in members:
        raise BackupError(f"{damaged}: thiếu cơ sở dữ liệu {database_member}.")
    return manifest


def _safe_name(name: str) -> bool:
    if name in (MANIFEST, SECRET_MEMBER, SQLITE_MEMBER, POSTGRES_MEMBER):
        return True
    parts = name.split("/")
    return (
        parts[0] in (MEDIA_PREFIX, RAW_PREFIX)
        and len(parts) > 1
        and all(part not in ("", ".", "..") for part in parts)
        and "\\" not in name
        and "\0" not in name
    )


def _check_not_newer(archived: set[str], *, loa_version: str) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(archived - known)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"Bản sao lưu được tạo bởi Loa {loa_version}, mới hơn phiên bản đang cài ({len(unknown)} migration lạ: "
            f"{shown}). Cập nhật Loa trước rồi khôi phục (the archive is newer than the code)."
        )


def _has_data(database: Database) -> bool:
    """Whether the configured database holds a Loa already (an applied migration)."""
    if database.vendor == "sqlite":
        path = Path(database.name)
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with _closing(sqlite3.connect(path, timeout=30)) as db:
            return bool(_sqlite_migrations(db))
    from django.db import connection

    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return False
        cursor.execute("SELECT count(*) FROM django_migrations")
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def _closing(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield db
    finally:
        db.close()


def _sqlite_swap(current: Path, restored: Path, *, stamp: str) -> list[str]:
    """Put `restored` at `current`; the current file, with its WAL, is renamed, not removed."""
    kept: list[str] = []
    aside = current.with_name(f"{current.name}.before-restore-{stamp}")
    if current.exists():
        with _closing(sqlite3.connect(current, timeout=30)) as db:
            # Fold the WAL into the main file so that the copy kept aside is whole by itself.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        moved: list[tuple[Path, Path]] = []
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{current}{suffix}")
                if source.exists():
                    target = Path(f"{aside}{suffix}")
                    source.rename(target)
                    moved.append((source, target))
        except OSError:
            for source, target in reversed(moved):
                target.rename(source)
            raise
        kept.append(str(aside))
    try:
        current.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(restored, current)
    except OSError:
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{aside}{suffix}").exists():
                Path(f"{aside}{suffix}").rename(Path(f"{current}{suffix}"))
        raise
    return kept


def _pg_swap(database: Database, dump: Path, *, stamp: str) -> list[str]:
    """Restore into a new database, then swap names: the current one is renamed, not dropped."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = database.name
    restoring = f"{name[:40]}_restoring_{stamp.replace('-', '_')}"
    aside = f"{name[:40]}_before_restore_{stamp.replace('-', '_')}"
    settings_dict, options = database.settings, database.settings.get("OPTIONS") or {}
    params = {
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "sslmode": options.get("sslmode"),
        "connect_timeout": options.get("connect_timeout"),
    }
    kwargs = {key: str(value) for key, value in params.items() if value not in (None, "")}
    try:
        admin = psycopg.connect(make_conninfo("", dbname="postgres", **kwargs), autocommit=True)
    except psycopg.Error as exc:
        raise BackupError(f"Không kết nối được PostgreSQL để khôi phục: {exc}") from exc
    with admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(restoring)))
        except psycopg.Error as exc:
            raise BackupError(f"Không tạo được cơ sở dữ liệu tạm {restoring} (the user needs CREATEDB): {exc}") from exc
        try:
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    restoring,
                    str(dump),
                ],
                env=_pg_environment(database, name=restoring),
                what="pg_restore",
            )
            busy = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            ).fetchone()
            if busy and busy[0]:
                raise BackupError(
                    f"Cơ sở dữ liệu {name} đang có {busy[0]} kết nối khác: dừng các tiến trình Loa rồi khôi phục lại."
                )
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(aside))
                )
            try:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(restoring), sql.Identifier(name))
                )
            except psycopg.Error:
                if exists:
                    admin.execute(
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(aside), sql.Identifier(name))
                    )
                raise
        except (BackupError, psycopg.Error) as exc:
            with suppress(psycopg.Error):
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restoring)))
            if isinstance(exc, BackupError):
                raise
            raise BackupError(f"Khôi phục PostgreSQL thất bại: {exc}") from exc
    return [f"postgresql://{aside}"] if exists else []


def _directory_swap(root: Path, restored: Path, *, stamp: str) -> list[str]:
    kept: list[str] = []
    if root.exists() and any(root.iterdir()):
        aside = root.with_name(f"{root.name}.before-restore-{stamp}")
        root.rename(aside)
        kept.append(str(aside))
    elif root.exists():
        root.rmdir()
    root.parent.mkdir(parents=True, exist_ok=True)
    if restored.is_dir():
        shutil.move(restored, root)
    else:
        root.mkdir()
    return kept


def _secret_swap(current: Path, restored: Path, *, stamp: str) -> list[str]:
    if current.is_file() and current.read_bytes() == restored.read_bytes():
        return []
    kept: list[str] = []
    if current.exists():
        aside = current.with_name(f"{current.name}.before-restore-{stamp}")
        current.rename(aside)
        kept.append(str(aside))
    shutil.move(restored, current)
    current.chmod(0o600)
    return kept


def _migrate() -> list[str]:
    """Bring an archive made by an older Loa up to this one's schema; the migrations run."""
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.migrations.executor import MigrationExecutor

    connections.close_all()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return pending


# --- running processes ------------------------------------------------------------------


def loa_processes(*, database: Database, var_dir: Path) -> list[int]:
    """Ids of `loa up/serve/worker/scheduler` processes of this user on the same SQLite file.

    Linux only (/proc), and blind to other users' processes; PostgreSQL is checked by the
    server itself at the swap (a database with other sessions cannot be renamed).
    """
    proc = Path("/proc")
    if database.vendor != "sqlite" or not proc.is_dir():
        return []
    ours = Path(database.name).resolve()
    found: list[int] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = [part.decode(errors="replace") for part in (entry / "cmdline").read_bytes().split(b"\0") if part]
            if not _is_loa_service(argv):
                continue
            environ = dict(
                item.decode(errors="replace").partition("=")[::2]
                for item in (entry / "environ").read_bytes().split(b"\0")
                if b"=" in item
            )
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        url = environ.get("DATABASE_URL", "").strip()
        if url.startswith("sqlite:///"):
            theirs = cwd / url[len("sqlite:///") :]
        elif url:
            continue
        else:
            theirs = cwd / environ.get("LOA_VAR_DIR", "var") / "loa.sqlite3"
        if theirs.resolve() == ours:
            found.append(int(entry.name))
    return sorted(found)


def _is_loa_service(argv: list[str]) -> bool:
    for index, part in enumerate(argv):
        if part == "-m" and index + 1 < len(argv) and argv[index + 1] == "loa":
            rest = argv[index + 2 :]
        elif Path(part).name == "loa":
            rest = argv[index + 1 :]
        else:
            continue
        command = next((arg for arg in rest if not arg.startswith("-")), "")
        return command in LONG_RUNNING
    return False
