"""Hostile HTTP servers on loopback for the fetcher's tests, and compression bombs made here."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import zlib
from collections.abc import Callable
from functools import cache

import brotli

Handler = Callable[["RawServer", socket.socket], None]
BOMB_MB = 512


class RawServer:
    """Accepts connections on 127.0.0.1 and hands each, in a thread, to `handler`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0
        self.requests: list[bytes] = []
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _address = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        # The client giving up (a reset) is what these servers are for.
        with conn, contextlib.suppress(OSError):
            self.handler(self, conn)

    def read_request(self, conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        self.requests.append(data)
        return data

    def close(self) -> None:
        self._stop.set()
        self._sock.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_body(body: bytes, encoding: str, *, content_type: str = "text/html; charset=utf-8") -> Handler:
    def handler(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        head = (
            "HTTP/1.1 200 OK\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Encoding: {encoding}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    return handler


@cache
def brotli_bomb(megabytes: int = BOMB_MB) -> bytes:
    compressor = brotli.Compressor(quality=5)
    zeros = b"\0" * (1 << 20)
    parts = [compressor.process(zeros) for _ in range(megabytes)]
    return b"".join(parts) + bytes(compressor.finish())


@cache
def gzip_zeros(megabytes: int = BOMB_MB) -> bytes:
    """gzip of `megabytes` MB of zeros, built from one repeated block: after a full flush
    the compressor's output for the same input is the same bytes, so only three blocks are
    compressed and the rest copied (compressing 512 MB would take seconds)."""
    zeros = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    final_block = b"\x03\x00"  # an empty final block
    trailer = struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)
    return first + repeated * (megabytes - 1) + final_block + trailer


@cache
def double_gzip_bomb(megabytes: int = BOMB_MB) -> bytes:
    return zlib.compress(gzip_zeros(megabytes), 9, wbits=16 + zlib.MAX_WBITS)
