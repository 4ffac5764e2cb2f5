"""The shared news sample (../shared/data/news), read from its path, never copied."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    for candidate in (
        os.environ.get("LOA_SHARED_DIR"),
        str(REPO.parent / "shared"),
        "/work/shared",
    ):
        if candidate and (Path(candidate) / "data").is_dir():
            return Path(candidate)
    raise SystemExit("make bench needs ../shared/data (or LOA_SHARED_DIR)")


def news_articles(limit: int) -> Iterator[dict[str, Any]]:
    path = shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if count >= limit:
                return
            yield json.loads(line)
