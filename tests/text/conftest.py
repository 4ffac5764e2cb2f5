"""Fixtures of the text core: the two seed documents in ../shared/seeds, read from their path."""

from __future__ import annotations

import pytest

from tests.shared import shared_path


def seed(prefix: str) -> str:
    matches = sorted(shared_path("seeds").glob(f"{prefix}_*.txt"))
    assert matches, f"seed {prefix} missing"
    return matches[0].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_000() -> str:
    return seed("000")


@pytest.fixture(scope="session")
def seed_003() -> str:
    return seed("003")


def _hypothesis_profiles() -> None:
    import os

    from hypothesis import settings

    # CI runs a few hundred cases per property; `HYPOTHESIS_PROFILE=thorough` hunts longer.
    settings.register_profile("ci", max_examples=300, deadline=None)
    settings.register_profile("thorough", max_examples=20000, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()
