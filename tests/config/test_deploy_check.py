"""`check --deploy` with the production settings reports nothing but the warnings the
production settings silence on purpose, each with its reason written beside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# The deployment checks the production settings silence; the reasons are in production.py.
EXPLAINED = {"security.W005", "security.W008", "security.W021"}


def _check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("LOA_", "DJANGO_", "DATABASE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="loa.config.settings.production",
        LOA_VAR_DIR=str(tmp_path),
        SECRET_KEY="k" * 20 + "-production-like-key-with-enough-entropy-0123456789abcdefXYZ",
        ALLOWED_HOSTS="loa.example.vn",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "loa", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"({len(EXPLAINED)} silenced)" in result.stdout + result.stderr


def test_only_the_explained_checks_are_silenced(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from loa.config.settings import production as p; print(json.dumps(p.SILENCED_SYSTEM_CHECKS))",
        ],
        env={**os.environ, "LOA_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "loa.example.vn"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert set(json.loads(result.stdout)) == EXPLAINED
