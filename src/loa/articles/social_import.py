"""Importing a social-listening vendor's export (`loa import-social`): posts of platforms Loa does
not collect itself (TikTok, groups…), from CSV or JSON lines, stored as posts of their pages.

A mapping says which column of the export holds each field of a post (FIELDS); mappings are saved
per vendor (`ImportMapping`), and the built-in `generic` one reads the columns named as the fields.
Only the mapped columns are read: an export's author, user, handle and profile columns are dropped
where the row is read and never reach a `Post`, the database or the logs. A row that cannot be
read is reported with its line number and reason; it never stops the import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from loa.articles.social import posts_store
from loa.pipeline.social import Engagement, Post, clean_post, count
from loa.sources.models import Channel, ImportMapping, Outlet
from loa.sources.services import page_outlet
from loa.text.dates import parse_news_datetime
from loa.text.encoding import decode
from loa.text.folding import fold
from loa.text.normalization import normalize

logger = logging.getLogger(__name__)

FIELDS = ("platform", "page", "url", "published", "text", "title", "views", "reactions", "comments", "shares")
REQUIRED = ("url", "page", "text")
GENERIC = "generic"
# The built-in mapping: each field from the column of its name (title and views when present).
GENERIC_COLUMNS = {name: name for name in FIELDS}
OPTIONAL_IN_GENERIC = frozenset({"platform", "published", "title", "views", "reactions", "comments", "shares"})

# Bounds: an export larger than these is refused before anything is stored, a row larger is
# rejected alone. An export of a month of a topic is a few hundred thousand rows at most.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 500_000
MAX_ROW_CHARS = 200_000
BATCH = 200
_SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")

# A column whose name says it holds a person cannot be mapped to a field (e.g. page="Tác giả"):
# the mapping would store people as pages. ("Tài khoản", a TikTok export's account, is its page.)
_PERSON_COLUMN = re.compile(
    r"author|tac ?gia|nguoi ?(dang|viet|binh luan|dung)|user|handle|profile|ho ?so|commenter|nickname"
)

# Platforms by their folded name, with the host of their pages and the channel they publish on.
PLATFORMS: dict[str, tuple[str, str]] = {
    "facebook": ("facebook.com", Channel.SOCIAL),
    "fb": ("facebook.com", Channel.SOCIAL),
    "tiktok": ("tiktok.com", Channel.VIDEO),
    "youtube": ("youtube.com", Channel.VIDEO),
    "yt": ("youtube.com", Channel.VIDEO),
    "instagram": ("instagram.com", Channel.SOCIAL),
    "threads": ("threads.net", Channel.SOCIAL),
    "telegram": ("t.me", Channel.SOCIAL),
    "zalo": ("zalo.me", Channel.SOCIAL),
    "twitter": ("x.com", Channel.SOCIAL),
    "x": ("x.com", Channel.SOCIAL),
    "linkedin": ("linkedin.com", Channel.SOCIAL),
    "forum": ("", Channel.FORUM),
    "diendan": ("", Channel.FORUM),
}


class ImportRefused(Exception):
    """The export or the mapping as a whole cannot be imported (nothing was stored)."""


class RowError(ValueError):
    """One row cannot be read; the message is its reason (never the row's content)."""


# --- mappings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    name: str
    columns: dict[str, str]
    builtin: bool = False
    updated_at: dt.datetime | None = None

    def optional(self, field_name: str) -> bool:
        """A mapped column that may be absent from an export (only the generic mapping's)."""
        return self.builtin and field_name in OPTIONAL_IN_GENERIC


def generic_mapping() -> Mapping:
    return Mapping(GENERIC, dict(GENERIC_COLUMNS), builtin=True)


def mapping_get(name: str | None) -> Mapping:
    """The mapping of this name (the generic one when None)."""
    if not name or name == GENERIC:
        return generic_mapping()
    saved = ImportMapping.objects.filter(name=name).first()
    if saved is None:
        known = ", ".join([GENERIC, *ImportMapping.objects.values_list("name", flat=True)])
        raise ImportRefused(f"Không có bảng ánh xạ “{name}” (no such mapping); có: {known}")
    return Mapping(saved.name, dict(saved.columns), updated_at=saved.updated_at)


def mappings_list() -> list[Mapping]:
    saved = [Mapping(m.name, dict(m.columns), updated_at=m.updated_at) for m in ImportMapping.objects.all()]
    return [generic_mapping(), *saved]


def columns_from_pairs(pairs: list[str]) -> dict[str, str]:
    """`field=Column` pairs (as `--column` gives them) as a mapping's columns."""
    columns: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep:
            raise ImportRefused(f'“{pair}”: cần dạng trường=cột, ví dụ text="Nội dung" (expected field=column)')
        name = name.strip().lower()
        if name in columns:
            raise ImportRefused(f"Trường “{name}” được ánh xạ hai lần (field mapped twice)")
        columns[name] = column.strip()
    return columns


def mapping_save(*, name: str, columns: dict[str, str]) -> tuple[Mapping, bool]:
    """Save a vendor's mapping (replacing its columns if it exists); True when created."""
    name = name.strip()
    if not name or len(name) > 60:
        raise ImportRefused("Tên bảng ánh xạ cần từ 1 đến 60 ký tự (mapping name: 1 to 60 characters)")
    if name == GENERIC:
        raise ImportRefused("“generic” là bảng ánh xạ có sẵn, không sửa được (built-in mapping)")
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise ImportRefused(f"Trường không có: {', '.join(unknown)}; các trường: {', '.join(FIELDS)} (unknown fields)")
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise ImportRefused(f"Thiếu cột cho trường bắt buộc: {', '.join(missing)} (required fields)")
    for field_name, column in columns.items():
        if not column or len(column) > 200:
            raise ImportRefused(f"Cột của “{field_name}” cần từ 1 đến 200 ký tự (column name length)")
        if _PERSON_COLUMN.search(fold(column)):
            raise ImportRefused(
                f"Cột “{column}” là thông tin người dùng, Loa không đọc (a person's column cannot be mapped)"
            )
    ordered = {f: columns[f] for f in FIELDS if f in columns}
    saved, created = ImportMapping.objects.update_or_create(name=name, defaults={"columns": ordered})
    return Mapping(saved.name, dict(saved.columns), updated_at=saved.updated_at), created


def mapping_delete(name: str) -> bool:
    deleted, _ = ImportMapping.objects.filter(name=name).delete()
    return deleted > 0


# --- reading an export ------------------------------------------------------------------


@dataclass
class Export:
    """An export opened for import: its format, encoding and delimiter, its rows counted, and
    where each mapped field is (a CSV column's index, or a JSON key)."""

    path: Path
    mapping: Mapping
    format: str  # "csv" or "jsonl"
    encoding: str
    delimiter: str = ""
    rows: int = 0
    indexes: dict[str, int] = field(default_factory=dict)  # CSV: field -> column index
    warnings: list[str] = field(default_factory=list)


def _encoding(head: bytes) -> str:
    """The export's encoding, judged by loa.text's decoder on its first lines."""
    if len(head) == _SNIFF_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # no character cut in two
    name = decode(head).encoding
    return "utf-8-sig" if name == "utf-8" else name  # a BOM further on is not text


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        for line in stream:
            # The csv module refuses NUL; a spreadsheet's stray NUL is not text either.
            yield line.replace("\x00", "")


def _header_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _delimiter(header: str) -> str:
    """The delimiter that splits the header into the most columns (a comma on a tie)."""
    best, best_count = ",", 0
    for candidate in DELIMITERS:
        found = len(next(csv.reader([header], delimiter=candidate), []))
        if found > best_count:
            best, best_count = candidate, found
    return best


def _csv_records(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its cells) for each record, the header first."""
    limit = csv.field_size_limit()
    # A record is bounded by the file's size; its own bound is checked on its cells, so that an
    # oversized cell is one rejected row, not a reader out of step with the file.
    csv.field_size_limit(MAX_FILE_BYTES)
    try:
        reader = csv.reader(_text_lines(path, encoding), delimiter=delimiter)
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(limit)


def _json_lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(_text_lines(path, encoding), start=1):
        if line.strip():
            yield number, line


def export_open(*, path: Path, mapping: Mapping, fmt: str = "auto", delimiter: str | None = None) -> Export:
    """Open an export: check its size, format and columns against the mapping, count its rows.
    Raises ImportRefused with the reason when it cannot be imported at all."""
    if not path.is_file():
        raise ImportRefused(f"Không có tệp {path} (file not found)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"Tệp quá lớn: {size // (1024 * 1024)} MB, tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB; "
            "hãy chia nhỏ (file too large)"
        )
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    encoding = _encoding(head)
    if fmt == "auto":
        suffix = path.suffix.lower()
        if suffix in {".jsonl", ".ndjson", ".json"}:
            fmt = "jsonl"
        elif suffix in {".csv", ".tsv", ".txt"}:
            fmt = "csv"
        else:
            first = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")[:1]
            fmt = "jsonl" if first == "{" else "csv"
    if fmt not in {"csv", "jsonl"}:
        raise ImportRefused(f"Định dạng không hỗ trợ: {fmt} (csv or jsonl)")
    export = Export(path=path, mapping=mapping, format=fmt, encoding=encoding)
    if fmt == "jsonl":
        first_line = next(_json_lines(path, encoding), None)
        if first_line is not None and first_line[1].lstrip("\ufeff \t").startswith("["):
            raise ImportRefused("Tệp là một mảng JSON: cần JSON lines, mỗi dòng một đối tượng (JSON lines expected)")
        export.rows = _bounded_count(1 for _ in _json_lines(path, encoding))
        return export
    first_text = next(_text_lines(path, encoding), "")
    if not first_text.strip():
        raise ImportRefused("Tệp trống hoặc dòng đầu không có tên cột (no header)")
    export.delimiter = delimiter or _delimiter(first_text.rstrip("\r\n"))
    records = _csv_records(path, encoding, export.delimiter)
    _line, header = next(records)
    positions = {_header_key(name): index for index, name in enumerate(header)}
    missing = []
    for field_name, column in mapping.columns.items():
        index = positions.get(_header_key(column))
        if index is not None:
            export.indexes[field_name] = index
        elif mapping.optional(field_name) or field_name not in REQUIRED:
            if not mapping.builtin:
                export.warnings.append(f"Không có cột “{column}” ({field_name}): bỏ qua (column absent)")
        else:
            missing.append(f"“{column}” ({field_name})")
    if missing:
        present = ", ".join(f"“{name}”" for name in header[:40])
        raise ImportRefused(
            f"Thiếu cột {', '.join(missing)} theo bảng ánh xạ “{mapping.name}”; tệp có các cột: {present} "
            "(mapped columns missing)"
        )
    export.rows = _bounded_count(1 for _line, cells in records if any(c.strip() for c in cells))
    return export


def _bounded_count(rows: Iterator[int]) -> int:
    total = sum(1 for _ in itertools.islice(rows, MAX_ROWS + 1))
    if total > MAX_ROWS:
        raise ImportRefused(f"Tệp có hơn {MAX_ROWS} dòng: hãy chia nhỏ (too many rows)")
    return total


def _lookup(record: dict[str, object], key: str) -> object:
    """A JSON record's value for a mapped key: the key itself, in any case, or a dotted path
    into nested objects ("stats.likes")."""
    if key in record:
        return record[key]
    wanted = key.casefold()
    for name, found in record.items():
        if name.casefold() == wanted:
            return found
    value: object = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def rows_read(export: Export) -> Iterator[tuple[int, dict[str, object] | RowError]]:
    """(line, the mapped fields' values) for each row, or (line, why it cannot be read). Only the
    mapped columns leave this function: the rest of a row is dropped here."""
    if export.format == "jsonl":
        for number, line in _json_lines(export.path, export.encoding):
            if len(line) > MAX_ROW_CHARS:
                yield number, RowError(f"dòng quá dài ({len(line)} ký tự, tối đa {MAX_ROW_CHARS})")
                continue
            try:
                record = json.loads(line.lstrip("\ufeff"))
            except json.JSONDecodeError as error:
                yield number, RowError(f"không phải JSON hợp lệ (cột {error.colno}: {error.msg})")
                continue
            if not isinstance(record, dict):
                yield number, RowError("không phải đối tượng JSON (not a JSON object)")
                continue
            yield number, {name: _lookup(record, key) for name, key in export.mapping.columns.items()}
        return
    records = _csv_records(export.path, export.encoding, export.delimiter)
    next(records, None)  # the header
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        size = sum(len(cell) for cell in cells)
        if size > MAX_ROW_CHARS:
            yield number, RowError(f"dòng quá dài ({size} ký tự, tối đa {MAX_ROW_CHARS})")
            continue
        yield number, {name: cells[index] if index < len(cells) else "" for name, index in export.indexes.items()}


# --- rows as posts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    key: str  # the outlet's key, "host/page"
    name: str
    channel: str


def _string(values: dict[str, object], name: str) -> str:
    value = values.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError(f"trường {name} không phải chuỗi (not text)")
    return str(value).strip()


def _page(values: dict[str, object], url: str, platform_default: str) -> Page:
    platform = _string(values, "platform") or platform_default
    folded = re.sub(r"[^a-z0-9]", "", fold(platform))
    host, channel = PLATFORMS.get(folded, ("", Channel.SOCIAL))
    if not host and folded:
        host, channel = next(((h, c) for name, (h, c) in PLATFORMS.items() if folded.startswith(name)), ("", channel))
    url_host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
    page = normalize(_string(values, "page"))
    if not page:
        raise RowError("thiếu trang (missing page)")
    if page.startswith(("http://", "https://")):
        # A page given by its address: its host and path are its key.
        parts = urlsplit(page)
        page_host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        path = parts.path.strip("/")
        if not page_host or not path:
            raise RowError("địa chỉ trang không hợp lệ (page address without a path)")
        return Page(key=f"{page_host}/{path}", name=path.rsplit("/", 1)[-1], channel=channel)
    return Page(key=f"{host or url_host}/{page}", name=page, channel=channel)


def _published(values: dict[str, object], now: dt.datetime) -> dt.datetime | None:
    value = values.get("published")
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 100_000_000_000 else value  # epoch milliseconds
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise RowError("ngày đăng không đọc được (unreadable date)") from error
    text = _string(values, "published")
    if not text:
        return None
    parsed = parse_news_datetime(text, now)
    if parsed is None:
        raise RowError(f"ngày đăng không đọc được: “{text[:40]}” (unreadable date)")
    return parsed


def row_post(values: dict[str, object], *, now: dt.datetime, platform: str = "") -> tuple[Page, Post]:
    """The page and the post of a row's mapped values; RowError with the reason if it has none."""
    url = _string(values, "url")
    if not url:
        raise RowError("thiếu địa chỉ bài (missing url)")
    if not url.startswith(("http://", "https://")) or not urlsplit(url).hostname or len(url) > 2000:
        raise RowError("địa chỉ bài không hợp lệ (invalid url)")
    text = _string(values, "text")
    if not text:
        raise RowError("thiếu nội dung (missing text)")
    counts = Engagement(
        views=count(values.get("views")),
        reactions=count(values.get("reactions")),
        comments=count(values.get("comments")),
        shares=count(values.get("shares")),
    )
    post = Post(
        url=url,
        text=text,
        title=_string(values, "title"),
        published=_published(values, now),
        engagement=counts if counts != Engagement() else None,
    )
    if not clean_post(post).text:
        raise RowError("nội dung trống sau khi bỏ tên tài khoản, liên kết hồ sơ, thư, số điện thoại (empty text)")
    return _page(values, url, platform), post


# --- the import -------------------------------------------------------------------------


@dataclass
class SocialImportStats:
    read: int = 0
    new: int = 0
    seen_again: int = 0
    rejected: int = 0
    pages: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    # Posts read but not stored, by reason (e.g. duplicate_content: the same text on the page).
    reasons: Counter[str] = field(default_factory=Counter)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        self.problems.append((line, reason[:200]))


def social_import(
    *,
    export: Export,
    platform: str = "",
    now: dt.datetime | None = None,
    progress: Callable[[int], object] | None = None,
) -> SocialImportStats:
    """Store each row of an opened export as a post of its page (`posts_store`), with an
    engagement snapshot observed now. Every row is accounted for: new, seen again (a snapshot),
    or rejected with its line number and reason."""
    now = now or timezone.now()
    stats = SocialImportStats()
    outlets: dict[str, Outlet] = {}
    pending: list[tuple[int, Page, Post]] = []

    def store(outlet: Outlet, rows: list[tuple[int, Post]]) -> None:
        try:
            with transaction.atomic():
                stored = posts_store(source=None, outlet=outlet, posts=[post for _n, post in rows], now=now)
        except Exception as error:  # one bad post must not lose the others: store them one by one
            if len(rows) == 1:
                # The type only: a database error's message may quote the row.
                logger.error("import-social: line %d not stored: %s", rows[0][0], type(error).__name__)
                stats.reject(rows[0][0], "không lưu được (storage error)")
                return
            for row in rows:
                store(outlet, [row])
            return
        stats.new += stored.new
        stats.seen_again += stored.seen_again
        stats.rejected += stored.rejected
        stats.reasons.update(stored.reasons)

    def flush() -> None:
        groups: dict[str, list[tuple[int, Post]]] = {}
        for number, page, post in pending:
            if page.key not in outlets:
                outlets[page.key] = page_outlet(key=page.key, name=page.name, channel=page.channel)
            groups.setdefault(page.key, []).append((number, post))
        for key, rows in groups.items():
            store(outlets[key], rows)
        pending.clear()

    for number, values in rows_read(export):
        stats.read += 1
        if progress is not None:
            progress(1)
        if isinstance(values, RowError):
            stats.reject(number, str(values))
            continue
        try:
            page, post = row_post(values, now=now, platform=platform)
        except RowError as error:
            stats.reject(number, str(error))
            continue
        pending.append((number, page, post))
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    stats.pages = len(outlets)
    logger.info(
        "import-social %s (%s): %d rows, %d new, %d seen again, %d rejected, %d pages",
        export.path.name,
        export.mapping.name,
        stats.read,
        stats.new,
        stats.seen_again,
        stats.rejected,
        stats.pages,
    )
    return stats
