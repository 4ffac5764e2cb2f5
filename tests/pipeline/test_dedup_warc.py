"""Fingerprints find syndicated copies; the WARC archive gives back what it stored."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
from pathlib import Path
from typing import Any

from loa.pipeline import dedup
from loa.pipeline.fetch import Response
from loa.pipeline.warc import WarcArchive


def bodies(replay: Any) -> tuple[list[tuple[str, str]], list[str]]:
    by_id = {a.id: a for a in replay.corpus.articles}
    pairs = [
        ("\n".join(by_id[a.syndicated_from].paragraphs), "\n".join(a.paragraphs))
        for a in replay.corpus.articles
        if a.syndicated_from
    ]
    originals = ["\n".join(a.paragraphs) for a in replay.corpus.articles if not a.syndicated_from]
    return pairs, originals


def test_content_hash_ignores_case_diacritics_punctuation_and_spacing() -> None:
    assert dedup.content_hash("Đảng ủy   Khối, họp.") == dedup.content_hash("dang uy khoi hop")
    assert dedup.content_hash("Đảng ủy Khối họp") != dedup.content_hash("Đảng ủy Khối không họp")


def test_syndicated_copies_are_near_duplicates_and_others_are_not(replay: Any) -> None:
    pairs, originals = bodies(replay)
    assert len(pairs) >= 10
    for original, copy in pairs:
        values = dedup.signature(copy)
        assert dedup.similarity(dedup.signature(original), values) >= dedup.NEAR_DUPLICATE
        shared_bands = set(dedup.bands(dedup.signature(original))) & set(dedup.bands(values))
        assert shared_bands, "a copy must share at least one LSH band with its original"
    unrelated = [
        dedup.similarity(dedup.signature(a), dedup.signature(b)) for a, b in itertools.pairwise(originals[:41])
    ]
    assert max(unrelated) < dedup.NEAR_DUPLICATE


def test_signatures_round_trip_through_bytes() -> None:
    values = dedup.signature("Tập đoàn Điện lực Việt Nam tăng giá điện bình quân")
    assert dedup.similarity(dedup.signature_bytes(values), values) == 1.0


def test_warc_records_are_compressed_and_read_back(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    records = []
    for number in range(3):
        response = Response(
            url=f"https://bao.vn/{number}.html",
            final_url=f"https://bao.vn/{number}.html",
            status=200,
            headers={"content-type": "text/html; charset=utf-8", "content-encoding": "br"},
            body=f"<html><body>Bài {number} – Đảng ủy Khối</body></html>".encode(),
            fetched_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
            elapsed=0.1,
            peer="203.162.4.190",
        )
        records.append((response, archive.write(response)))
    for response, record in records:
        url, headers, body = archive.read(record)
        assert url == response.final_url
        assert body == response.body
        assert "content-encoding" not in {k.lower() for k in headers}  # stored decoded
    path = tmp_path / records[0][1].path
    with gzip.open(path, "rb") as handle:
        assert handle.read().count(b"WARC/1") >= 3
