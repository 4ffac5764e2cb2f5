"""The raw-response archive: compressed WARC files, so articles can be re-extracted later.

Each process writes its own file per day (no two writers share a file), one gzip member
per record, and reports where each record starts so it can be read back directly.
"""

from __future__ import annotations

import io
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from loa.pipeline.fetch import Response

# The body is stored decoded; these headers would describe the original transfer.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class ArchivedRecord:
    path: str  # relative to the archive directory
    offset: int
    length: int


class WarcArchive:
    def __init__(self, directory: Path, *, max_file_bytes: int = 1 << 30) -> None:
        self.directory = directory
        self.max_file_bytes = max_file_bytes
        self._lock = threading.Lock()
        self._current: Path | None = None

    def _file(self) -> Path:
        today = datetime.now(UTC)
        if (
            self._current is None
            or not self._current.name.startswith(f"loa-{today:%Y%m%d}-{os.getpid()}-")
            or self._current.stat().st_size > self.max_file_bytes
        ):
            folder = self.directory / f"{today:%Y/%m/%d}"
            folder.mkdir(parents=True, exist_ok=True)
            self._current = folder / f"loa-{today:%Y%m%d}-{os.getpid()}-{secrets.token_hex(4)}.warc.gz"
            self._current.touch()
        return self._current

    def write(self, response: Response) -> ArchivedRecord:
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _TRANSFER_HEADERS]
        headers.append(("Content-Length", str(len(response.body))))
        http_headers = StatusAndHeaders(f"{response.status} -", headers, protocol=response.http_version)
        with self._lock:
            path = self._file()
            with path.open("ab") as handle:
                offset = handle.tell()
                writer = WARCWriter(handle, gzip=True)
                record = writer.create_warc_record(
                    response.final_url,
                    "response",
                    payload=io.BytesIO(response.body),
                    length=len(response.body),
                    http_headers=http_headers,
                    warc_headers_dict={
                        "WARC-Date": response.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "WARC-IP-Address": response.peer or "",
                    },
                )
                writer.write_record(record)
                length = handle.tell() - offset
        return ArchivedRecord(path=str(path.relative_to(self.directory)), offset=offset, length=length)

    def captured_at(self, record: ArchivedRecord) -> datetime | None:
        """When the archived response was fetched (its WARC-Date), in UTC."""
        with (self.directory / record.path).open("rb") as handle:
            handle.seek(record.offset)
            for item in ArchiveIterator(handle):
                stamp = item.rec_headers.get_header("WARC-Date") or ""
                try:
                    return datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
                except ValueError:
                    return None
        raise LookupError(f"no WARC record at {record}")

    def read(self, record: ArchivedRecord) -> tuple[str, dict[str, str], bytes]:
        """The URL, HTTP headers and body of an archived response."""
        with (self.directory / record.path).open("rb") as handle:
            handle.seek(record.offset)
            for item in ArchiveIterator(handle):
                headers = dict(item.http_headers.headers) if item.http_headers else {}
                return (
                    item.rec_headers.get_header("WARC-Target-URI"),
                    headers,
                    item.content_stream().read(),
                )
        raise LookupError(f"no WARC record at {record}")
