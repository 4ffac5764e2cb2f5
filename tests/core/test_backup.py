"""`loa backup` and `loa restore`: a backup taken while articles are being stored restores to a
working Loa, on SQLite and PostgreSQL; a damaged archive is refused and the current data stays."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from loa.core import backup
from tests.conftest import service_missing
from tests.processes import wait_until

REPO = Path(__file__).resolve().parents[2]
LOA = [sys.executable, "-m", "loa"]

# Runs inside `loa manage shell`: stores articles through the pipeline's write path (article,
# its 32 LSH bands and its search entry in one transaction) until told to stop.
WRITER = """
import itertools, pathlib
from tests.factories import make_article
stop = pathlib.Path({stop!r})
for n in itertools.count():
    if stop.exists():
        break
    make_article(title=f"Bài ghi liên tục {{n}}", url=f"https://baothu.vn/ghi/{{n}}.html")
"""

CHECK = """
from django.test import Client
from loa.articles.models import Article
print("login", Client(HTTP_HOST="localhost").get("/login/").status_code)
print("articles", Article.objects.count())
"""


def run_loa(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LOA, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


def loa_env(var: Path, database_url: str = "") -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOA_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    env["LOA_VAR_DIR"] = str(var)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(sql).fetchone()[0])


# --- SQLite while ingesting -------------------------------------------------------------


def test_sqlite_backup_while_ingesting_restores_to_a_working_loa(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    env = loa_env(source)
    migrated = run_loa("manage", "migrate", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    evidence = source / "media" / "evidence" / "2026" / "11" / "bao-cao.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 minh chung " * 100)
    db = source / "loa.sqlite3"

    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [*LOA, "manage", "shell", "-c", WRITER.format(stop=str(stop))],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: count(db, "SELECT count(*) FROM articles_article") >= 20, 120, "the writer to store articles"
        )
        before = count(db, "SELECT count(*) FROM articles_article")
        archive = tmp_path / "backups" / "loa.tar.gz"
        made = run_loa("backup", "--output", str(archive), env=env)
        assert made.returncode == 0, made.stderr
        after = count(db, "SELECT count(*) FROM articles_article")
        assert writer.poll() is None, "the writer must still be running during the backup"
    finally:
        stop.touch()
        output, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0, output.decode(errors="replace")[-2000:]
    assert stat_mode(archive) == 0o600
    assert not list(archive.parent.glob(".*")), "no partial file or staging directory left"

    restored = run_loa("restore", str(archive), env=loa_env(target))
    assert restored.returncode == 0, restored.stderr
    copy = target / "loa.sqlite3"
    articles = count(copy, "SELECT count(*) FROM articles_article")
    # One point in time between the two counts, and every article whole: its 32 bands and its
    # search entry committed with it, none of a transaction in flight.
    assert before <= articles <= after
    assert count(copy, "SELECT count(*) FROM articles_fts") == articles
    assert (
        count(
            copy,
            "SELECT count(*) FROM articles_article a WHERE a.body = '' OR "
            "(SELECT count(*) FROM articles_articleband b WHERE b.article_id = a.id) <> 32",
        )
        == 0
    )
    assert _integrity(copy) == "ok"
    assert (target / "media" / "evidence" / "2026" / "11" / "bao-cao.pdf").read_bytes() == evidence.read_bytes()
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()

    target_env = loa_env(target)
    assert run_loa("manage", "check", env=target_env).returncode == 0
    assert run_loa("manage", "migrate", "--check", env=target_env).returncode == 0
    # Static files are not in the archive: `loa up` collects them from the code at each start.
    assert run_loa("manage", "collectstatic", "--noinput", "-v0", env=target_env).returncode == 0
    checked = run_loa("manage", "shell", "-c", CHECK, env=target_env)
    assert checked.returncode == 0, checked.stderr
    assert "login 200" in checked.stdout
    assert f"articles {articles}" in checked.stdout

    # Over a Loa with data, only with --force, and the database (with its WAL) and the files
    # are renamed aside, not removed.
    earlier = set(target.iterdir())
    again = run_loa("restore", "--force", str(archive), env=target_env)
    assert again.returncode == 0, again.stderr
    aside = {
        p.name.split(".before-restore")[0] for p in set(target.iterdir()) - earlier if ".before-restore-" in p.name
    }
    assert aside == {"loa.sqlite3", "media"}
    assert (target / "loa.sqlite3").is_file()


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_snapshot_copies_one_point_in_time_while_a_writer_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page by page from a pinned snapshot: the writer commits during the copy, pairs stay whole."""
    monkeypatch.setattr(backup, "SQLITE_PAGES_PER_STEP", 4)
    db = tmp_path / "live.sqlite3"
    with sqlite3.connect(db, isolation_level=None) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY, batch INTEGER, pad TEXT)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO pair (batch, pad) VALUES (?, ?)", [(i // 2, "x" * 300) for i in range(8000)])
        conn.execute("COMMIT")
    stop, commits = threading.Event(), [0]

    def write() -> None:
        conn = sqlite3.connect(db, isolation_level=None, timeout=30)
        batch = 10**6
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO pair (batch, pad) VALUES (?, ?)", [(batch, "y" * 300)] * 2)
            conn.execute("COMMIT")
            commits[0] += 1
            batch += 1
        conn.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        wait_until(lambda: commits[0] > 0, 30, "the first commit")
        started = commits[0]
        backup._sqlite_snapshot(db, tmp_path / "copy.sqlite3")
        during = commits[0] - started
    finally:
        stop.set()
        thread.join()
    assert during > 0, "writers must go on while the copy runs"
    copy = tmp_path / "copy.sqlite3"
    assert count(copy, "SELECT count(*) FROM (SELECT batch FROM pair GROUP BY batch HAVING count(*) <> 2)") == 0
    assert _integrity(copy) == "ok"


# --- PostgreSQL -------------------------------------------------------------------------


@pytest.fixture
def pg_urls() -> Iterator[tuple[str, str]]:
    import psycopg
    from psycopg import sql

    base = os.environ.get("LOA_BACKUP_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        base = os.environ["DATABASE_URL"]
    server = re.sub(r"/[^/]*$", "/postgres", base)
    suffix = f"{os.getpid()}"
    names = [f"loa_backup_src_{suffix}", f"loa_backup_dst_{suffix}"]
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        service_missing("PostgreSQL")
    with admin:
        for name in names:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield re.sub(r"/[^/]*$", f"/{names[0]}", base), re.sub(r"/[^/]*$", f"/{names[1]}", base)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            rows = admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"loa_backup_%{suffix}%"]
            ).fetchall()
            for (name,) in rows:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_postgresql_round_trip(tmp_path: Path, pg_urls: tuple[str, str]) -> None:
    import psycopg

    source_url, target_url = pg_urls
    source_env = loa_env(tmp_path / "source", source_url)
    assert run_loa("manage", "migrate", "-v0", env=source_env).returncode == 0
    stored = run_loa(
        "manage",
        "shell",
        "-c",
        "from tests.factories import make_article\nfor n in range(5): make_article(title=f'Bài {n}')",
        env=source_env,
    )
    assert stored.returncode == 0, stored.stderr
    archive = tmp_path / "pg.tar.gz"
    made = run_loa("backup", "--output", str(archive), env=source_env)
    assert made.returncode == 0, made.stderr
    with tarfile.open(archive) as tar:
        assert "database/loa.pgdump" in tar.getnames()

    target_env = loa_env(tmp_path / "target", target_url)
    restored = run_loa("restore", str(archive), env=target_env)
    assert restored.returncode == 0, restored.stderr
    with psycopg.connect(target_url) as conn:
        row = conn.execute("SELECT count(*) FROM articles_article").fetchone()
        assert row is not None
        assert row[0] == 5
    assert run_loa("manage", "migrate", "--check", env=target_env).returncode == 0
    assert run_loa("manage", "collectstatic", "--noinput", "-v0", env=target_env).returncode == 0
    checked = run_loa("manage", "shell", "-c", CHECK, env=target_env)
    assert "login 200" in checked.stdout, checked.stderr
    assert "articles 5" in checked.stdout

    # A database that holds data is replaced only with --force, and then kept aside, renamed.
    refused = run_loa("restore", str(archive), env=target_env)
    assert refused.returncode != 0
    assert "--force" in refused.stderr
    forced = run_loa("restore", "--force", str(archive), env=target_env)
    assert forced.returncode == 0, forced.stderr
    assert "_before_restore_" in forced.stdout


# --- damaged archives -------------------------------------------------------------------


def small_loa(var: Path) -> Path:
    """A var dir whose database looks like a Loa at its first migration, with one row of data."""
    var.mkdir(parents=True, exist_ok=True)
    db = var / "loa.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)")
        conn.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('contenttypes', '0001_initial', '2026-01-01 00:00:00')"
        )
        conn.execute("CREATE TABLE note (text TEXT)")
        conn.execute("INSERT INTO note VALUES ('dữ liệu hiện tại')")
    (var / "secret_key").write_text(f"khoa-{var.name}-" + "k" * 40)
    (var / "media").mkdir()
    (var / "media" / "tep.txt").write_text("tệp hiện tại")
    return db


def rewrite(archive: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of `archive` with members replaced (bytes), removed (None) or added."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(target, "w:gz") as out:
        names = set()
        for member, data in members:
            names.add(member.name)
            if member.name in change:
                if change[member.name] is None:
                    continue
                data = change[member.name] or b""
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        for name, data in change.items():
            if name not in names and data is not None:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return target


@pytest.fixture
def current_and_archive(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    source = tmp_path / "source"
    small_loa(source)
    archive = tmp_path / "good.tar.gz"
    made = run_loa("backup", "--output", str(archive), env=loa_env(source))
    assert made.returncode == 0, made.stderr
    current = tmp_path / "current"
    db = small_loa(current)
    return loa_env(current), db, archive


def damaged_archives(archive: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    not_gzip = tmp_path / "garbage.tar.gz"
    not_gzip.write_bytes(gzip.compress(b"not a tar archive at all" * 100)[:-8])
    future = dict(manifest, migrations=[*manifest["migrations"], "articles.9999_from_the_future"])
    db_bytes = b"SQLite format 3\x00" + b"\x00" * 100
    return {
        "truncated": (truncated, "không trọn vẹn"),
        "garbage": (not_gzip, "không trọn vẹn"),
        "no manifest": (rewrite(archive, tmp_path / "nomanifest.tar.gz", {"manifest.json": None}), "manifest.json"),
        "altered database": (
            rewrite(archive, tmp_path / "altered.tar.gz", {"database/loa.sqlite3": db_bytes}),
            "sai checksum",
        ),
        "missing member": (rewrite(archive, tmp_path / "missing.tar.gz", {"media/tep.txt": None}), "thiếu"),
        "path escape": (
            rewrite(archive, tmp_path / "escape.tar.gz", {"media/../../evil.txt": b"x"}),
            "thành phần lạ",
        ),
        "newer code": (
            _with_manifest_and_db(archive, tmp_path, future),
            "mới hơn",
        ),
    }


def _with_manifest_and_db(archive: Path, tmp_path: Path, manifest: dict[str, object]) -> Path:
    """An archive whose database and manifest both record a migration this code lacks."""
    with tarfile.open(archive) as tar:
        data = tar.extractfile("database/loa.sqlite3").read()  # type: ignore[union-attr]
    db = tmp_path / "future.sqlite3"
    db.write_bytes(data)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('articles', '9999_from_the_future', '2026-01-01 00:00:00')"
        )
    conn.close()
    body = db.read_bytes()
    members = dict(manifest["members"])  # type: ignore[call-overload]
    members["database/loa.sqlite3"] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
    changed = json.dumps(dict(manifest, members=members)).encode()
    return rewrite(archive, tmp_path / "future.tar.gz", {"database/loa.sqlite3": body, "manifest.json": changed})


def test_damaged_archive_is_refused_and_current_data_stays(
    tmp_path: Path, current_and_archive: tuple[dict[str, str], Path, Path]
) -> None:
    env, db, archive = current_and_archive
    var = db.parent
    before = {path.name: sha256(path) for path in var.rglob("*") if path.is_file()}
    for what, (damaged, message) in damaged_archives(archive, tmp_path).items():
        result = run_loa("restore", "--force", str(damaged), env=env)
        assert result.returncode != 0, what
        assert message in result.stderr, f"{what}: {result.stderr}"
        assert "Traceback" not in result.stderr, what
        after = {path.name: sha256(path) for path in var.rglob("*") if path.is_file()}
        assert after == before, f"{what}: the current data changed"
        assert not [p for p in var.iterdir() if "restore" in p.name], f"{what}: leftovers"


def test_restore_refuses_a_database_with_data_without_force(
    current_and_archive: tuple[dict[str, str], Path, Path],
) -> None:
    env, db, archive = current_and_archive
    digest = sha256(db)
    result = run_loa("restore", str(archive), env=env)
    assert result.returncode != 0
    assert "--force" in result.stderr
    assert sha256(db) == digest


def test_restore_refuses_while_loa_runs_on_the_same_database(
    tmp_path: Path, current_and_archive: tuple[dict[str, str], Path, Path]
) -> None:
    env, db, archive = current_and_archive
    # A stand-in for `loa worker` on this var dir: the command line and environment are what count.
    fake = tmp_path / "fake" / "loa"
    fake.parent.mkdir()
    fake.write_text("import time\ntime.sleep(120)\n")
    running = subprocess.Popen([sys.executable, str(fake), "worker"], env=env, cwd=REPO)
    try:
        wait_until(lambda: bool(backup.loa_processes(database=_sqlite(db), var_dir=db.parent)), 30, "the process")
        result = run_loa("restore", "--force", str(archive), env=env)
    finally:
        running.kill()
        running.wait()
    assert result.returncode != 0
    assert f"{running.pid}" in result.stderr
    assert "đang chạy" in result.stderr
    other = loa_env(tmp_path / "elsewhere")
    assert not backup.loa_processes(
        database=_sqlite(tmp_path / "elsewhere" / "loa.sqlite3"), var_dir=Path(other["LOA_VAR_DIR"])
    )


def _sqlite(path: Path) -> backup.Database:
    return backup.Database(vendor="sqlite", name=str(path), settings={})
