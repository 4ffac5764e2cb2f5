"""Bounded, incremental decoding of compressed bodies (HTTP Content-Encoding, `.gz` files).

A decompression bomb is a few kilobytes that inflate to gigabytes. Decoding a whole
network chunk at once (as httpx does) allocates the full output before anyone can count
it, so every decoder here is fed in small pieces and asked for at most `PIECE` bytes of
output per call; the running total is checked after every piece, against an absolute
cap (`max_bytes`) and a ratio to the compressed input (`max_ratio`).

Encodings: gzip (and x-gzip, with concatenated members), deflate (zlib-wrapped or the
raw deflate some servers send), br, identity, and stacks of them ("gzip, br"), applied
in reverse order of the header as HTTP prescribes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, Protocol

import brotli  # a dependency of Loa's (httpx would also take brotlicffi; Loa pins brotli)

# Output asked of a decoder per call: small enough that a bomb never allocates much
# before the running total is checked, large enough that ordinary pages take few calls.
PIECE = 64 * 1024
# Compressed input handed to brotli per call when the binding cannot cap output itself
# (brotli < 1.2): one byte of brotli can still expand to a few megabytes at most.
BROTLI_SLICE = 1
# More stacked encodings than this is an attack, not a server configuration.
MAX_LAYERS = 3
# The ratio is checked only past this much output: a small page of repeated markup may
# compress 200:1 without harm, while a bomb's ratio shows long before memory matters.
RATIO_FLOOR = 1024 * 1024

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_GZIP_MAGIC = b"\x1f\x8b"


class DecompressError(ValueError):
    """A body could not be decoded within bounds; `reason` is the pipeline's reason code."""

    reason = "bad_encoding"


class TooLarge(DecompressError):
    """Decoding went past `max_bytes` (reason "too_large") or past `max_ratio`
    ("compression_ratio")."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class UnsupportedEncoding(DecompressError):
    reason = "unsupported_encoding"


class CorruptData(DecompressError):
    reason = "bad_encoding"


def _brotli_caps_output() -> bool:
    try:
        brotli.Decompressor().process(b"", output_buffer_limit=PIECE)
    except TypeError:
        return False
    return True


_BROTLI_CAPS_OUTPUT = _brotli_caps_output()


class _Layer(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), PIECE):
            yield data[start : start + PIECE]

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip or deflate through `zlib.decompressobj(...).decompress(data, max_length)`."""

    def __init__(self, *, gzip: bool) -> None:
        self._gzip = gzip
        self._obj: Any = zlib.decompressobj(_GZIP_WBITS) if gzip else None
        self._head = b""  # deflate: the first two bytes tell zlib-wrapped from raw
        self._tail = b""  # gzip: bytes after a member, perhaps the start of another
        self._stopped = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._stopped or not data:
            return
        if self._obj is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(data) else -zlib.MAX_WBITS)
        yield from self._drain(data)

    def finish(self) -> Iterator[bytes]:
        if self._obj is None and self._head:
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            head, self._head = self._head, b""
            yield from self._drain(head)
        # Truncated streams are accepted, as browsers and httpx accept them.

    def _drain(self, data: bytes) -> Iterator[bytes]:
        pending = True
        while (data or pending) and not self._stopped:
            obj = self._obj
            if obj.eof:
                data = self._next_member(data)
                if not data:
                    return
                obj = self._obj
            try:
                out = obj.decompress(data, PIECE)
            except zlib.error as exc:
                raise CorruptData(f"invalid {'gzip' if self._gzip else 'deflate'} data: {exc}") from exc
            data = obj.unused_data if obj.eof else obj.unconsumed_tail
            # A full piece may leave output inside zlib although all input was consumed.
            pending = len(out) == PIECE
            if out:
                yield out

    def _next_member(self, data: bytes) -> bytes:
        """After the end of a stream: gzip may go on with another member; anything else
        (zero padding, garbage) is ignored, as httpx ignores it."""
        if not self._gzip:
            self._stopped = True
            return b""
        self._tail += data
        if len(self._tail) < 2:
            return b""
        if not self._tail.startswith(_GZIP_MAGIC):
            self._stopped = True
            return b""
        data, self._tail = self._tail, b""
        self._obj = zlib.decompressobj(_GZIP_WBITS)
        return data


def _zlib_header(data: bytes) -> bool:
    """RFC 1950: compression method 8 and a header checksum divisible by 31."""
    return data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0


class _Brotli:
    def __init__(self) -> None:
        self._obj: Any = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not data or self._obj.is_finished():
            return  # bytes after the end of the stream are ignored
        try:
            if _BROTLI_CAPS_OUTPUT:
                out = self._obj.process(data, output_buffer_limit=PIECE)
                yield out
                yield from self._drain(out)
            else:  # pragma: no cover - brotli < 1.2
                for start in range(0, len(data), BROTLI_SLICE):
                    if self._obj.is_finished():
                        return
                    yield self._obj.process(data[start : start + BROTLI_SLICE])
        except brotli.error as exc:
            raise CorruptData(f"invalid brotli data: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        if _BROTLI_CAPS_OUTPUT and not self._obj.is_finished():
            try:
                yield from self._drain(None)
            except brotli.error as exc:
                raise CorruptData(f"invalid brotli data: {exc}") from exc

    def _drain(self, out: bytes | None) -> Iterator[bytes]:
        # A full piece may leave output inside the decoder even when it says it can take
        # more input, so it is asked again until it gives less than a piece (or nothing).
        full = out is None or len(out) >= PIECE
        while full or not self._obj.can_accept_more_data():
            out = self._obj.process(b"", output_buffer_limit=PIECE)
            if not out:
                return
            yield out
            full = len(out) >= PIECE


def _layer(coding: str) -> _Layer:
    if coding in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if coding == "deflate":
        return _Zlib(gzip=False)
    if coding == "br":
        return _Brotli()
    if coding == "identity":
        return _Identity()
    raise UnsupportedEncoding(f"unsupported content-encoding {coding!r}")


def parse_content_encoding(header: str) -> list[str]:
    """The codings of a Content-Encoding header, in the order they were applied."""
    return [token.strip().lower() for token in header.split(",") if token.strip()]


class BoundedDecoder:
    """Decodes a Content-Encoding incrementally: `feed` raw bytes as they arrive, then
    `finish`; both yield decoded pieces of at most `PIECE` bytes and raise `TooLarge`
    as soon as the output passes `max_bytes`, or `max_ratio` times the input consumed
    (once the output is past `ratio_floor`)."""

    def __init__(
        self,
        content_encoding: str,
        *,
        max_bytes: int,
        max_ratio: int,
        ratio_floor: int = RATIO_FLOOR,
    ) -> None:
        tokens = parse_content_encoding(content_encoding)
        if len(tokens) > MAX_LAYERS:
            raise UnsupportedEncoding(f"{len(tokens)} stacked content-encodings ({content_encoding!r})")
        # The last coding applied is the first to undo.
        self._layers = [_layer(token) for token in reversed(tokens)] or [_Identity()]
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.ratio_floor = ratio_floor
        self.consumed = 0
        self.produced = 0

    @property
    def identity(self) -> bool:
        return all(isinstance(layer, _Identity) for layer in self._layers)

    def feed(self, data: bytes) -> Iterator[bytes]:
        self.consumed += len(data)
        for piece in self._through(data, 0):
            yield self._count(piece)

    def finish(self) -> Iterator[bytes]:
        for index, layer in enumerate(self._layers):
            for piece in layer.finish():
                for out in self._through(piece, index + 1):
                    yield self._count(out)

    def decode_all(self, data: bytes) -> bytes:
        pieces: list[bytes] = []
        for start in range(0, len(data), PIECE):
            pieces.extend(self.feed(data[start : start + PIECE]))
        pieces.extend(self.finish())
        return b"".join(pieces)

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        for piece in self._layers[index].feed(data):
            yield from self._through(piece, index + 1)

    def _count(self, piece: bytes) -> bytes:
        self.produced += len(piece)
        if self.produced > self.max_bytes:
            raise TooLarge("too_large", f"decompressed body larger than {self.max_bytes} bytes")
        if self.produced > self.ratio_floor and self.produced > self.max_ratio * max(self.consumed, 1):
            raise TooLarge(
                "compression_ratio",
                f"decompressed body more than {self.max_ratio} times its compressed size "
                f"({self.produced} bytes from {self.consumed})",
            )
        return piece


def gunzip_bounded(data: bytes, *, max_bytes: int, max_ratio: int, ratio_floor: int = RATIO_FLOOR) -> bytes:
    """Gunzip `data` (e.g. a sitemap `.gz`) without ever holding more than `max_bytes`
    of output; raises `TooLarge` past `max_bytes` or `max_ratio`, `CorruptData` when the
    bytes are not gzip."""
    if not data.startswith(_GZIP_MAGIC):
        raise CorruptData("not gzip data")
    decoder = BoundedDecoder("gzip", max_bytes=max_bytes, max_ratio=max_ratio, ratio_floor=ratio_floor)
    return decoder.decode_all(data)
