"""The import contracts of pyproject.toml (`lint-imports`, run by `make check`) hold on the tree,
and do catch a module that imports upwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter comes with the dev extras (make install)")

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LAYERS = "Monitoring layers import only downwards"


def lint_imports(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts over the `loa` package found in `src`."""
    path = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
            "--no-cache",
            str(CONFIG),
        ],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": path, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_sources(target: Path) -> Path:
    """The Python files of src/loa under `target`/loa (the contracts read nothing else)."""
    source = ROOT / "src" / "loa"
    for path in source.rglob("*.py"):
        copy = target / "loa" / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
    return target


def test_the_tree_keeps_the_contracts(tmp_path: Path) -> None:
    result = lint_imports(ROOT / "src", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    src = copy_sources(tmp_path / "src")
    models = src / "loa" / "sources" / "models.py"
    models.write_text(
        models.read_text(encoding="utf-8") + "\nimport loa.alerts.services  # upwards\n", encoding="utf-8"
    )

    result = lint_imports(src, tmp_path)

    assert result.returncode != 0
    assert f"{LAYERS} BROKEN" in result.stdout
    assert "loa.sources is not allowed to import loa.alerts" in result.stdout
    assert "loa.sources.models -> loa.alerts.services" in result.stdout
