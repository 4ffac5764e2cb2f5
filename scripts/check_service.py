"""Exit 0 when a service answers at the given URL, 1 otherwise (used by the Makefile)."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit


def postgres_up(url: str) -> bool:
    import psycopg

    # The test run creates its own database, so ask the server's maintenance database.
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(server, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    checks = {"postgres": postgres_up, "redis": redis_up}
    sys.exit(0 if checks[kind](url) else 1)
