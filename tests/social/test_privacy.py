"""Privacy by construction: no private person's name, handle or id from a post, a comment or an
export reaches the database, the search index, the archive or the logs.

The test is one loop over INGESTS: each entry ingests fixtures that carry authors (names,
handles, ids, profile links, commenters and their comments' texts) the way one path into Loa
does, and lists those secrets. After it ran, every text, char and JSON column of every model, the
search index's raw tables, the WARC files under the archive directory and every log record at
DEBUG are searched for each secret, case- and diacritic-insensitively. A connector adds its
entry (its replay, its parse, its secrets) to INGESTS.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import override_settings

from loa import cli
from loa.articles import hooks, search
from loa.articles.polling import source_poll
from loa.articles.runtime import fetch_policy
from loa.articles.social import posts_store
from loa.articles.social_import import export_open, mapping_get, social_import
from loa.devtools.platforms import PlatformServer
from loa.devtools.platforms.facebook import graph_replay
from loa.devtools.platforms.forum import forum_replay
from loa.devtools.platforms.telegram import telegram_replay
from loa.devtools.platforms.youtube import youtube_replay
from loa.pipeline.fetch import Fetcher
from loa.pipeline.social import Engagement, Post, count
from loa.sources.models import SourceKind
from loa.sources.services import page_outlet, source_create
from loa.text.folding import fold
from tests.social.traces import pattern

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 6, 3, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Ingest:
    name: str
    run: Callable[[Path], None]  # ingests its fixtures; gets a scratch directory for its files
    secrets: tuple[str, ...]  # what names a person: none may be found anywhere afterwards
    kept: tuple[str, ...]  # what must be stored (the ingest did store, and the scan sees it)


# --- ingests: vendor exports --------------------------------------------------------------

EXPORT_AUTHORS = (
    "Phạm Thị Hoàiyến",
    "hoaiyen.pham.1987",
    "100077712345",
    "https://www.facebook.com/hoaiyen.pham.1987",
    "hoaiyen.pham@gmail.com",
    "0987 654 321",
    "Trịnh Quốc Vĩnhtường",
    "vinhtuong_tq",
    "6990011223344",
)

EXPORT_COLUMNS = [
    "platform",
    "page",
    "url",
    "published",
    "text",
    "reactions",
    "comments",
    "shares",
    "author",
    "author_id",
    "author_url",
    "username",
    "handle",
    "profile",
    "user",
    "Tác giả",
    "ID người dùng",
    "email",
    "phone",
]


def _export_rows() -> list[dict[str, str]]:
    return [
        {
            "platform": "Facebook Group",
            "page": "Hội cư dân Linh Đàm",
            "url": "https://www.facebook.com/groups/linhdam/posts/9001",
            "published": "2025-03-05T09:00:00+07:00",
            # What a private person writes may name others by handle, link, e-mail or phone.
            "text": "Khu Linh Đàm mất điện từ 9 giờ, hỏi @hoaiyen.pham.1987 "
            "(https://www.facebook.com/hoaiyen.pham.1987, hoaiyen.pham@gmail.com, 0987 654 321) thì chưa rõ.",
            "reactions": "210",
            "comments": "88",
            "shares": "14",
            "author": "Phạm Thị Hoàiyến",
            "author_id": "100077712345",
            "author_url": "https://www.facebook.com/hoaiyen.pham.1987",
            "username": "hoaiyen.pham.1987",
            "handle": "@hoaiyen.pham.1987",
            "profile": "https://www.facebook.com/profile.php?id=100077712345",
            "user": "Phạm Thị Hoàiyến",
            "Tác giả": "Phạm Thị Hoàiyến",
            "ID người dùng": "100077712345",
            "email": "hoaiyen.pham@gmail.com",
            "phone": "0987 654 321",
        },
        {
            "platform": "TikTok",
            "page": "evn.official",
            "url": "https://www.tiktok.com/@evn.official/video/7301",
            "published": "05/03/2025 10:15",
            "text": "Mẹo tiết kiệm điện mùa nóng, cảm ơn @vinhtuong_tq đã gợi ý.",
            "reactions": "1,2K",
            "comments": "35",
            "shares": "12",
            "author": "Trịnh Quốc Vĩnhtường",
            "author_id": "6990011223344",
            "author_url": "https://www.tiktok.com/@vinhtuong_tq",
            "username": "vinhtuong_tq",
            "handle": "@vinhtuong_tq",
            "profile": "https://www.tiktok.com/@vinhtuong_tq",
            "user": "Trịnh Quốc Vĩnhtường",
            "Tác giả": "Trịnh Quốc Vĩnhtường",
            "ID người dùng": "6990011223344",
            "email": "",
            "phone": "",
        },
    ]


def _write_csv(path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(_export_rows())
    return path


def ingest_export_csv(tmp: Path) -> None:
    export = export_open(path=_write_csv(tmp / "export.csv"), mapping=mapping_get(None))
    stats = social_import(export=export, now=NOW)
    assert stats.new == 2


def ingest_export_jsonl_nested(tmp: Path) -> None:
    """A vendor's JSON lines: the author as a nested object, and a bad line reported by number."""
    lines = []
    for row in _export_rows():
        record: dict[str, Any] = {k: v for k, v in row.items() if k in EXPORT_COLUMNS[:8]}
        record["author"] = {"name": row["author"], "id": row["author_id"], "username": row["username"]}
        record["comments_list"] = [{"from": {"name": row["author"]}, "message": "Bình luận riêng Quỳnhkhuê"}]
        lines.append(json.dumps(record, ensure_ascii=False))
    lines.append('{"author": "Phạm Thị Hoàiyến", "url": 1')  # cut: its reason must not quote it
    path = tmp / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = social_import(export=export_open(path=path, mapping=mapping_get(None)), now=NOW)
    assert (stats.new, [line for line, _ in stats.problems]) == (2, [3])


def ingest_export_command(tmp: Path) -> None:
    """The command with a vendor's saved mapping: its output, its rejects file and its logs."""
    export = _write_csv(tmp / "vendor.csv")
    columns = ["platform=platform", "page=page", "url=url", "published=published", "text=text", "reactions=reactions"]
    assert cli.main(["import-social", "--save-mapping", "vendor", *(f"--column={c}" for c in columns)]) == 0
    rejects = tmp / "rejects.jsonl"
    assert cli.main(["import-social", str(export), "--mapping", "vendor", "--rejects", str(rejects)]) == 0


# --- ingests: connectors' payloads --------------------------------------------------------
# Until a connector is merged with its replay, its payload shape is parsed here as a connector
# does: the fields of the post, the comments' texts for their tone, nothing of who wrote them.

GRAPH_POSTS = [
    {
        "id": "1122_3344",
        "message": "EVN Hà Nội thông báo lịch tạm ngừng cấp điện ngày 07/3 tại quận Hoàng Mai.",
        "permalink_url": "https://www.facebook.com/evnhanoi/posts/3344",
        "created_time": "2025-03-05T08:00:00+0000",
        "from": {"name": "Nguyễn Thịnh Khôiviên", "id": "100055566677"},
        "message_tags": [{"id": "100088899900", "name": "Đặng Hữu Phướclâm", "type": "user"}],
        "reactions": {"summary": {"total_count": 320}},
        "shares": {"count": 17},
        "comments": {
            "summary": {"total_count": 2},
            "data": [
                {"from": {"name": "Đặng Hữu Phướclâm", "id": "100088899900"}, "message": "Lại cắt điện, tệ Quỳnhkhuê"},
                {"from": {"name": "Lò Thị Mỹdiệp", "id": "100011122233"}, "message": "Cảm ơn thông báo Thuỷtiênxanh"},
            ],
        },
    }
]

YOUTUBE_ITEMS = [
    {
        "id": "vid123",
        "snippet": {
            "title": "Hướng dẫn đọc chỉ số công tơ điện tử",
            "description": "Video hướng dẫn của EVN về công tơ điện tử.",
            "publishedAt": "2025-03-04T02:00:00Z",
            "channelTitle": "EVN",
        },
        "statistics": {"viewCount": "15000", "likeCount": "420", "commentCount": "2"},
        "comments": [
            {
                "authorDisplayName": "@kimhoanguyenxyz",
                "authorChannelId": {"value": "UCx9AbCdEfGhIjKlMnOp1234"},
                "authorProfileImageUrl": "https://yt3.ggpht.com/ytc/kimhoa-avatar",
                "textDisplay": "Hay quá Ngọcthảoviên",
            }
        ],
    }
]


def _graph_post(raw: dict[str, Any]) -> Post:
    reactions = raw.get("reactions", {}).get("summary", {}).get("total_count")
    return Post(
        url=raw["permalink_url"],
        text=raw["message"],
        published=dt.datetime.fromisoformat(raw["created_time"].replace("+0000", "+00:00")),
        engagement=Engagement(
            reactions=count(reactions),
            comments=count(raw["comments"]["summary"]["total_count"]),
            shares=count(raw.get("shares", {}).get("count")),
        ),
        comment_texts=[c["message"] for c in raw["comments"]["data"]],
    )


def _youtube_post(raw: dict[str, Any]) -> Post:
    snippet, stats = raw["snippet"], raw["statistics"]
    return Post(
        url=f"https://www.youtube.com/watch?v={raw['id']}",
        title=snippet["title"],
        text=snippet["description"],
        published=dt.datetime.fromisoformat(snippet["publishedAt"].replace("Z", "+00:00")),
        engagement=Engagement(views=count(stats["viewCount"]), reactions=count(stats["likeCount"])),
        comment_texts=[c["textDisplay"] for c in raw["comments"]],
    )


def ingest_connector_payloads(tmp: Path) -> None:
    hooks.register_comment_tones(lambda texts: ["negative" if "tệ" in t else "neutral" for t in texts])
    facebook = page_outlet(key="facebook.com/evnhanoi", name="EVN Hà Nội")
    youtube = page_outlet(key="youtube.com/channel/UCevn", name="EVN", channel="video")
    for outlet, posts in (
        (facebook, [_graph_post(r) for r in GRAPH_POSTS]),
        (youtube, [_youtube_post(r) for r in YOUTUBE_ITEMS]),
    ):
        assert posts_store(source=None, outlet=outlet, posts=posts, now=NOW).new == 1
        # Seen again: a second snapshot, comments read again.
        posts_store(source=None, outlet=outlet, posts=posts, now=NOW + dt.timedelta(hours=1))


CONNECTOR_SECRETS = (
    "Nguyễn Thịnh Khôiviên",
    "100055566677",
    "Đặng Hữu Phướclâm",
    "100088899900",
    "Lò Thị Mỹdiệp",
    "100011122233",
    "kimhoanguyenxyz",
    "UCx9AbCdEfGhIjKlMnOp1234",
    "kimhoa-avatar",
    # The comments' own texts are read for their tone and forgotten.
    "Quỳnhkhuê",
    "Thuỷtiênxanh",
    "Ngọcthảoviên",
)

# --- ingests: the connectors, polled from their replays --------------------------------------


def _poll(url: str, kind: str) -> None:
    with Fetcher(fetch_policy()) as fetcher:
        source = source_create(url=url, name="Nguồn thử", kind=kind)
        for hours in (0, 1):  # seen again: a second snapshot, comments read again
            result = source_poll(source=source, fetcher=fetcher, now=NOW + dt.timedelta(hours=hours))
            assert result.error == "", result.error


def ingest_facebook(tmp: Path) -> None:
    hooks.register_comment_tones(lambda texts: ["negative" if "tệ" in t else "neutral" for t in texts])
    with (
        graph_replay(FACEBOOK) as graph,
        override_settings(
            LOA_FACEBOOK_PAGE_TOKENS={FACEBOOK_PAGE: "EAAtok-ok"}, LOA_GRAPH_API_URL=f"{graph.base}/v19.0"
        ),
    ):
        _poll(f"https://www.facebook.com/{FACEBOOK_PAGE}", SourceKind.FACEBOOK)


def ingest_forum(tmp: Path) -> None:
    for kind, path in (("xenforo", "/forums/dien-luc.12/"), ("phpbb", "/feed.php?f=12")):
        with forum_replay(FORUM, kind) as forum:
            _poll(forum.base + path, SourceKind.FORUM)


def ingest_telegram(tmp: Path) -> None:
    with PlatformServer(telegram_replay(SOCIAL_FIXTURES)) as server:
        _poll(f"{server.base}/s/evnhanoi_news", SourceKind.TELEGRAM)


def ingest_youtube(tmp: Path) -> None:
    with (
        PlatformServer(youtube_replay(SOCIAL_FIXTURES)) as server,
        override_settings(LOA_YOUTUBE_API_URL=f"{server.base}/youtube/v3", LOA_YOUTUBE_API_KEY="good-key"),
    ):
        _poll(f"{server.base}/feeds/videos.xml?channel_id=UCq7EVNdienlucVietNam001", SourceKind.YOUTUBE)


SOCIAL_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "social"
FACEBOOK = json.loads((SOCIAL_FIXTURES / "facebook_page.json").read_text("utf-8"))
FACEBOOK_PAGE = "104857362"
FORUM = json.loads((SOCIAL_FIXTURES / "forum_section.json").read_text("utf-8"))


def _people(data: object, keys: frozenset[str]) -> tuple[str, ...]:
    """Every value under a key that names a person, anywhere in a fixture; but a number of fewer
    than six digits (a forum's member id 3301) is left out: it names nobody without its forum,
    and the scan would find it as an article's id or a count."""
    return tuple(v for v in _values(data, keys) if not (v.isdigit() and len(v) < 6))


def _values(data: object, keys: frozenset[str]) -> tuple[str, ...]:
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys and isinstance(value, str | int):
                found.append(str(value))
            elif key in keys and isinstance(value, dict):
                found += [str(v) for v in value.values() if isinstance(v, str | int)]
            else:
                found += _values(value, keys)
    elif isinstance(data, list):
        for item in data:
            found += _values(item, keys)
    return tuple(dict.fromkeys(found))


CONNECTOR_INGESTS = [
    Ingest(
        "Facebook page (Graph API replay)",
        ingest_facebook,
        # Commenters and any poster who is not the page itself (the page is a source, not a
        # person), and the comments' own texts.
        _people([p.get("comments", {}) for p in FACEBOOK["pages"][FACEBOOK_PAGE]], frozenset({"from"}))
        + _people(
            [p for p in FACEBOOK["pages"][FACEBOOK_PAGE] if p["from"]["id"] != FACEBOOK_PAGE], frozenset({"from"})
        )
        + tuple(c["message"] for p in FACEBOOK["pages"][FACEBOOK_PAGE] for c in p.get("comments", {}).get("data", [])),
        (FACEBOOK["pages"][FACEBOOK_PAGE][0]["message"][:30],),
    ),
    Ingest(
        "forum section (XenForo listing, phpBB feed)",
        ingest_forum,
        _people(FORUM, frozenset({"author", "author_id"})),
        (FORUM["threads"][0]["title"][:30],),
    ),
    Ingest(
        "Telegram public channel (web preview replay)",
        ingest_telegram,
        ("Nguyễn Thị Lan", "Trần Văn Bình", "binhtran88", "Hoàng Minh Đức", "lan_nguyen"),
        ("lịch bảo trì lưới điện khu vực Hà Đông",),
    ),
    Ingest(
        "YouTube channel (feed and Data API replay)",
        ingest_youtube,
        ("Phạm Quang Huy", "UCHuyPhamPersonal", "huypham.evn", "le.thi.mai", "huy.pham@gmail"),
        ("kế hoạch cung ứng điện mùa khô 2025",),
    ),
]

INGESTS: list[Ingest] = [
    Ingest("vendor export, CSV, generic mapping", ingest_export_csv, EXPORT_AUTHORS, ("Khu Linh Đàm mất điện",)),
    Ingest(
        "vendor export, JSON lines, nested authors",
        ingest_export_jsonl_nested,
        (*EXPORT_AUTHORS, "Quỳnhkhuê"),
        ("Mẹo tiết kiệm điện mùa nóng",),
    ),
    Ingest("vendor export, loa import-social", ingest_export_command, EXPORT_AUTHORS, ("Mẹo tiết kiệm điện mùa nóng",)),
    Ingest(
        "connector payloads (Graph API, YouTube Data API)",
        ingest_connector_payloads,
        CONNECTOR_SECRETS,
        ("lịch tạm ngừng cấp điện", "công tơ điện tử"),
    ),
    *CONNECTOR_INGESTS,
]


# --- where a secret could be --------------------------------------------------------------

_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def database_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every text, char and JSON value of every model's table."""
    for model in apps.get_models(include_auto_created=True):
        names = [f.column for f in model._meta.concrete_fields if isinstance(f, _TEXT_FIELDS) and f.column]
        if not names:
            continue
        table = model._meta.db_table
        with connection.cursor() as cursor:
            # Raw rows: no manager's filter hides a row, and JSON is read as stored. The names are
            # the models' own, not input.
            columns = ", ".join(connection.ops.quote_name(n) for n in names)
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if value is not None:
                        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                        yield f"{table}.{name}", text


def search_index_texts() -> Iterator[tuple[str, str]]:
    """The search index's raw rows (FTS5 table on SQLite, tsvector documents on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT title, lead, body FROM {search.FTS_TABLE}")  # noqa: S608
        else:
            cursor.execute(f"SELECT document::text FROM {search.PG_TABLE}")  # noqa: S608
        for row in cursor.fetchall():
            yield "search index", " ".join(str(v) for v in row if v is not None)


def search_index_finds(secret: str) -> bool:
    """Whether the index answers the secret as a phrase (a tsvector's text splits it in lexemes)."""
    words = " ".join(fold(secret).replace('"', " ").split())
    return bool(words) and search.run(f'"{words}"', limit=5).total > 0


def archive_texts(directory: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            yield str(path), data.decode("utf-8", errors="replace")


def leaks(secrets: tuple[str, ...], texts: Iterator[tuple[str, str]]) -> list[str]:
    patterns = [(s, pattern(fold(s))) for s in secrets]
    found = []
    for where, text in texts:
        haystack = fold(text)
        found += [f"{secret!r} in {where}" for secret, pattern in patterns if pattern.search(haystack)]
    return found


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger at DEBUG into caplog, those that do not propagate too."""
    caplog.set_level(logging.DEBUG)
    saved = []
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            saved.append((logger, logger.level, logger.disabled))
            logger.setLevel(logging.DEBUG)
            logger.disabled = False
            if not logger.propagate:
                logger.addHandler(caplog.handler)
    yield caplog
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        if caplog.handler in logger.handlers:
            logger.removeHandler(caplog.handler)


def log_texts(caplog: pytest.LogCaptureFixture) -> Iterator[tuple[str, str]]:
    for record in caplog.records:
        yield f"log {record.name}", record.getMessage()
    yield "log (formatted, with tracebacks)", caplog.text


@pytest.mark.parametrize("ingest", INGESTS, ids=[i.name for i in INGESTS])
def test_no_author_reaches_storage_index_archive_or_logs(
    ingest: Ingest,
    tmp_path: Path,
    all_logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hooks, "_COMMENT_TONES", list(hooks._COMMENT_TONES))
    archive = tmp_path / "archive"
    archive.mkdir()
    scratch = tmp_path / "in"
    scratch.mkdir()
    with override_settings(LOA_ARCHIVE_DIR=archive):
        ingest.run(scratch)
    output = capsys.readouterr()
    stored = list(database_texts())
    # The scan sees what was stored: the ingest did store, and a miss is not a blind scan.
    assert not [k for k in ingest.kept if not leaks((k,), iter(stored))]
    assert all(search_index_finds(k) for k in ingest.kept)
    assert leaks(ingest.kept, search_index_texts()) or connection.vendor != "sqlite"
    found = leaks(ingest.secrets, iter(stored))
    found += leaks(ingest.secrets, search_index_texts())
    found += [f"{s!r} found by the search index" for s in ingest.secrets if search_index_finds(s)]
    found += leaks(ingest.secrets, archive_texts(archive))
    found += leaks(ingest.secrets, log_texts(all_logs))
    found += leaks(ingest.secrets, iter([("standard output", output.out), ("standard error", output.err)]))
    assert found == []


def test_the_scans_find_a_planted_secret(tmp_path: Path, all_logs: pytest.LogCaptureFixture) -> None:
    """The scans are not blind: a name put in each place is found there."""
    secret = ("Hoàng Văn Cắmthạch",)
    outlet = page_outlet(key="facebook.com/page", name="Trang có Hoàng Văn Cắmthạch")
    posts_store(
        source=None,
        outlet=outlet,
        posts=[Post(url="https://www.facebook.com/page/posts/1", text="Bài nhắc Hoàng Văn Cắmthạch.")],
        now=NOW,
    )
    assert any("sources_outlet.name" in f for f in leaks(secret, database_texts()))
    assert leaks(secret, search_index_texts()) or connection.vendor != "sqlite"
    assert search_index_finds(secret[0])
    (tmp_path / "a.warc.gz").write_bytes(gzip.compress("Hoàng Văn Cắmthạch".encode()))
    assert leaks(secret, archive_texts(tmp_path))
    logging.getLogger("loa.some.module").debug("người dùng %s", "Hoàng Văn Cắmthạch")
    assert leaks(secret, log_texts(all_logs))
