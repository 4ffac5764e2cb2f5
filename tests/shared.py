"""Where ../shared (seeds, training data, news sample) lives: beside the checkout, or at
LOA_SHARED_DIR, or /work/shared for clones made elsewhere on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    candidates = [os.environ.get("LOA_SHARED_DIR"), str(REPO.parent / "shared"), "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return None


def shared_path(*parts: str) -> Path:
    """A file under ../shared; a missing one fails under CI and skips elsewhere."""
    base = shared_dir()
    path = base.joinpath(*parts) if base else None
    if path is None or not path.exists():
        message = f"shared data {'/'.join(parts)} not found (set LOA_SHARED_DIR)"
        if os.environ.get("LOA_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path
