"""Shared fixtures: the unit tree, one account per role, and access to real services."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from loa.accounts.models import Role, User
from loa.analysis.models import Organisation
from loa.devtools.inbox import Inbox
from tests.factories import Tree, make_tree, make_user

REQUIRE_SERVICES = os.environ.get("LOA_REQUIRE_SERVICES") == "1"
# `make test-shifted-clock` runs the suite under Debian's faketime years ahead and sets
# LOA_SHIFTED_CLOCK=1; a run under faketime by hand is recognised by the variable it exports.
SHIFTED_CLOCK = os.environ.get("LOA_SHIFTED_CLOCK") == "1" or bool(os.environ.get("FAKETIME"))
# A day of coverage and a press review profile, used by the digest, report and browser tests.
pytest_plugins = ["tests.digests.fixtures"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under a shifted clock, skip the tests marked `real_clock`, saying why.

    Only Python and its children see the shifted clock; Redis and PostgreSQL keep the real one,
    so a test that weighs a server's time against Python's cannot run there.
    """
    if not SHIFTED_CLOCK:
        return
    for item in items:
        marker = item.get_closest_marker("real_clock")
        if marker is not None:
            why = marker.args[0] if marker.args else "it compares a server's clock with Python's"
            item.add_marker(pytest.mark.skip(reason=f"real clock only (LOA_SHIFTED_CLOCK): {why}"))


def service_missing(what: str) -> None:
    """Skip a test whose service is absent, or fail it when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (LOA_REQUIRE_SERVICES=1) but unavailable")
    pytest.skip(f"{what} unavailable")


@pytest.fixture(autouse=True)
def _member_aware_pipeline() -> Iterator[None]:
    """Until the pipeline's member-aware matcher specs and salience judge are merged, the
    stand-ins of tests/pipeline_fakes.py (same API); a no-op once they exist. Its own patcher,
    so a test's `monkeypatch.undo()` leaves it in place."""
    from loa.pipeline import mentions, salience
    from tests import pipeline_fakes

    with pytest.MonkeyPatch.context() as patch:
        if not hasattr(mentions, "MemberSpec"):
            patch.setattr(mentions, "MemberSpec", pipeline_fakes.MemberSpec, raising=False)
            patch.setattr(mentions, "EntitySpec", pipeline_fakes.MemberAwareSpec)
        if not hasattr(salience, "judge"):
            patch.setattr(salience, "judge", pipeline_fakes.judge, raising=False)
        yield


@pytest.fixture
def tree(db: None) -> Tree:
    return make_tree()


@pytest.fixture
def users(tree: Tree) -> dict[str, User]:
    return {
        "admin": make_user(Role.ADMIN, unit=None, username="quantri"),
        "bloc_staff": make_user(Role.BLOC_STAFF, unit=tree.board, username="btg"),
        "evn_staff": make_user(Role.UNIT_STAFF, unit=tree.evn, username="evn.staff"),
        "evn_leader": make_user(Role.LEADER, unit=tree.evn, username="evn.leader"),
        "evn_viewer": make_user(Role.VIEWER, unit=tree.evn, username="evn.viewer"),
        "pvn_staff": make_user(Role.UNIT_STAFF, unit=tree.pvn, username="pvn.staff"),
        "evn_a_staff": make_user(Role.UNIT_STAFF, unit=tree.evn_a, username="evna.staff"),
    }


def login(user: User) -> Client:
    """A client logged in as `user` (the log-in form itself is tested in tests/core)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def redis_url() -> Iterator[str]:
    import redis

    url = os.environ.get("LOA_REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        connection = redis.Redis.from_url(url, socket_connect_timeout=2)
        connection.ping()
    except redis.RedisError:
        service_missing(f"Redis at {url}")
    connection.flushdb()
    yield url
    connection.flushdb()


@pytest.fixture(scope="session")
def replay() -> Iterator[Any]:
    """Local outlets built from ../shared/data/news: the only 'internet' the tests see."""
    import datetime as dt

    from loa.devtools.replay import VIETNAM, ReplayServer, build_corpus, load_sample
    from tests.shared import shared_path

    records = load_sample(shared_path("data", "news", "baomoi-articles.jsonl.gz"), 120)
    corpus = build_corpus(records, outlets=3, now=dt.datetime.now(VIETNAM), syndicate_share=0.2)
    with ReplayServer(corpus) as server:
        yield server


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind this pass tests: a SQLite file or a new PostgreSQL one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"loa_cli_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
    server = re.sub(r"/[^/]*$", "/postgres", url)
    try:
        admin = psycopg.connect(server, autocommit=True)
    except psycopg.Error:
        service_missing("PostgreSQL")
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield re.sub(r"/[^/]*$", f"/{name}", url)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def evn(tree: Tree) -> Organisation:
    from tests.factories.analysis import make_evn

    return make_evn(tree.evn)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server and HTTP receiver on loopback."""
    with Inbox() as running:
        yield running


@pytest.fixture
def smtp(settings: Any, inbox: Inbox) -> Inbox:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = inbox.host
    settings.EMAIL_PORT = inbox.smtp_port
    return inbox
