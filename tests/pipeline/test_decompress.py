"""Bounded decoding: every encoding round-trips in any slicing, and bombs stop at the cap."""

from __future__ import annotations

import gzip
import os
import zlib

import brotli
import pytest

from loa.pipeline.decompress import (
    BoundedDecoder,
    CorruptData,
    TooLarge,
    UnsupportedEncoding,
    gunzip_bounded,
)
from tests.pipeline.hostile import brotli_bomb, double_gzip_bomb, gzip_zeros

PAGE = os.urandom(50_000).hex().encode() + "<p>Bản tin Đảng ủy Khối</p>".encode() * 2000


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": gzip.compress(PAGE),
    "x-gzip": gzip.compress(PAGE),
    "deflate": zlib.compress(PAGE),
    "deflate ": _raw_deflate(PAGE),  # raw deflate, as some servers send it (key differs only)
    "br": brotli.compress(PAGE),
    "gzip, gzip": gzip.compress(gzip.compress(PAGE)),
    "gzip, br": brotli.compress(gzip.compress(PAGE)),
    "identity": PAGE,
    "": PAGE,
}


@pytest.mark.parametrize("encoding", list(ENCODED))
@pytest.mark.parametrize("step", [1, 1000, 10**7])
def test_every_encoding_decodes_whatever_the_slicing(encoding: str, step: int) -> None:
    data = ENCODED[encoding]
    decoder = BoundedDecoder(encoding, max_bytes=10**7, max_ratio=100)
    pieces = [piece for start in range(0, len(data), step) for piece in decoder.feed(data[start : start + step])]
    pieces += decoder.finish()
    assert b"".join(pieces) == PAGE
    assert max(len(piece) for piece in pieces) <= 100 * 1024


def test_concatenated_gzip_members_are_one_body() -> None:
    data = gzip.compress(PAGE[:7000]) + gzip.compress(PAGE[7000:])
    assert BoundedDecoder("gzip", max_bytes=10**7, max_ratio=100).decode_all(data) == PAGE


@pytest.mark.parametrize(("encoding", "bomb"), [("br", brotli_bomb), ("gzip, gzip", double_gzip_bomb)])
def test_bombs_stop_at_the_byte_cap_and_the_ratio(encoding: str, bomb: object) -> None:
    assert callable(bomb)
    data = bomb()
    assert len(data) < 2048
    with pytest.raises(TooLarge) as by_ratio:
        BoundedDecoder(encoding, max_bytes=64 << 20, max_ratio=100).decode_all(data)
    assert by_ratio.value.reason == "compression_ratio"
    assert "100 times" in str(by_ratio.value)
    with pytest.raises(TooLarge) as by_size:
        BoundedDecoder(encoding, max_bytes=5 << 20, max_ratio=10**9).decode_all(data)
    assert by_size.value.reason == "too_large"
    assert str(5 << 20) in str(by_size.value)


def test_small_repetitive_pages_pass_the_ratio() -> None:
    page = b"<tr><td></td></tr>" * 40_000  # 720 KB that gzip makes 1000 times smaller
    assert BoundedDecoder("gzip", max_bytes=10**7, max_ratio=100).decode_all(gzip.compress(page)) == page


def test_unknown_and_stacked_too_deep_encodings_are_refused() -> None:
    with pytest.raises(UnsupportedEncoding):
        BoundedDecoder("zstd", max_bytes=10, max_ratio=10)
    with pytest.raises(UnsupportedEncoding):
        BoundedDecoder("gzip, gzip, gzip, gzip", max_bytes=10, max_ratio=10)
    with pytest.raises(CorruptData):
        BoundedDecoder("gzip", max_bytes=10**6, max_ratio=10).decode_all(b"\x1f\x8b not really gzip")


def test_gunzip_bounded_for_sitemaps() -> None:
    xml = b"<urlset>" + b"<url><loc>https://baomoi.example.vn/a.html</loc></url>" * 100 + b"</urlset>"
    assert gunzip_bounded(gzip.compress(xml), max_bytes=10**6, max_ratio=100) == xml
    with pytest.raises(TooLarge):
        gunzip_bounded(gzip_zeros(64), max_bytes=50 << 20, max_ratio=100)
    with pytest.raises(CorruptData):
        gunzip_bounded(xml, max_bytes=10**6, max_ratio=100)
