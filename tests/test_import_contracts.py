"""The import contracts of pyproject.toml (`lint-imports`, run by `make check`) hold on the tree,
and do catch a module that imports upwards; an import between apps inside a function says why."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LAYERS = "Monitoring layers import only downwards"


def lint_imports(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts over the `loa` package found in `src`."""
    pytest.importorskip("importlinter", reason="import-linter comes with the dev extras (make install)")
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
    assert "5 kept, 0 broken" in result.stdout


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


def _imported_apps(node: ast.Import | ast.ImportFrom, apps: set[str]) -> set[str]:
    """The apps of loa that an import statement reaches (`from loa.x… import`, `from loa import x`,
    `import loa.x…`)."""
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module:
            return set()
        if node.module == "loa":
            return {alias.name for alias in node.names} & apps
        modules = [node.module]
    else:
        modules = [alias.name for alias in node.names]
    return {parts[1] for parts in (m.split(".") for m in modules) if parts[0] == "loa" and len(parts) > 1} & apps


def _said_why(node: ast.stmt, body: list[ast.stmt], lines: list[str]) -> bool:
    """A `#` line directly above the import, or above an earlier statement of the run of imports
    (blank lines allowed) it belongs to: a comment speaks for the imports that follow it."""
    index = next(i for i, stmt in enumerate(body) if stmt is node)
    while True:
        line = body[index].lineno
        if line >= 2 and lines[line - 2].strip().startswith("#"):
            return True
        if index == 0 or not isinstance(body[index - 1], ast.Import | ast.ImportFrom):
            return False
        index -= 1


def local_imports_without_reason(package: Path) -> list[str]:
    """`path:line module` of every import, inside a function body, of another app of the package
    (any directory with an `__init__.py`; core, accounts and units are apps too) that has no comment
    saying why it is not at the top of the module. Migrations are Django's."""
    apps = {path.parent.name for path in package.glob("*/__init__.py")}
    found: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for block in ast.walk(function):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    body = getattr(block, field, None)
                    if not isinstance(body, list):
                        continue
                    for node in body:
                        if not isinstance(node, ast.Import | ast.ImportFrom):
                            continue
                        if not _imported_apps(node, apps) - {parts[0]}:
                            continue
                        if not _said_why(node, body, lines):
                            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                            found.add(f"{path.relative_to(package.parent)}:{node.lineno} {module}")
    return sorted(found)


def test_local_imports_between_apps_say_why() -> None:
    missing = local_imports_without_reason(ROOT / "src" / "loa")
    assert not missing, "Import at the top of the module, or say why not in a # comment above:\n" + "\n".join(missing)


def test_a_local_import_without_a_reason_is_found(tmp_path: Path) -> None:
    for app in ("study", "people", "units", "reports"):
        (tmp_path / "loa" / app).mkdir(parents=True)
        (tmp_path / "loa" / app / "__init__.py").write_text("", encoding="utf-8")
    module = tmp_path / "loa" / "study" / "extra.py"
    module.write_text(
        "def a() -> None:\n"
        "    from loa.study.models import Plan  # own app\n"
        "    from loa.people.models import Person\n"
        "\n\n"
        "def b() -> None:\n"
        "    # Lazy: a reason.\n"
        "    from django.conf import settings\n"
        "\n"
        "    from loa.people.models import Person\n"
        "    from loa import units\n"
        "    if settings:\n"
        "        import loa.reports.sections\n",
        encoding="utf-8",
    )

    assert local_imports_without_reason(tmp_path / "loa") == [
        "loa/study/extra.py:13 loa.reports.sections",
        "loa/study/extra.py:3 loa.people.models",
    ]
