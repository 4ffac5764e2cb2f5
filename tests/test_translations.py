"""Every string marked for translation has a Vietnamese translation, and the compiled catalogue
says what the .po says.

The strings are extracted by Django's own `makemessages` (the rules `make messages` uses), run
on a copy of the source into a temporary directory, so the real catalogue is never rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

import loa

PACKAGE = Path(loa.__file__).resolve().parent
CATALOGUE = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"
EXTENSIONS = {".py", ".html", ".txt"}

Key = tuple[str | None, str]  # (msgctxt, msgid)


def _key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(value.strip() for value in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def _extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[Key, polib.POEntry]:
    """The msgids `make messages` would find, from a copy of the source tree."""
    source = tmp_path / "loa"
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE)
        if path.is_file() and path.suffix in EXTENSIONS and "locale" not in relative.parts:
            target = source / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    out = tmp_path / "out" / "locale"
    out.mkdir(parents=True)
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[str(out)]):
        call_command("makemessages", locale=["vi"], no_obsolete=True, no_location=True, verbosity=0)
    extracted = polib.pofile(str(out / "vi" / "LC_MESSAGES" / "django.po"))
    return {_key(entry): entry for entry in extracted if entry.msgid}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (make system-deps)")
def test_every_marked_string_has_a_vietnamese_translation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = {_key(entry): entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    missing = []
    for key, found in sorted(
        _extracted(tmp_path, monkeypatch).items(), key=lambda item: (item[0][1], item[0][0] or "")
    ):
        entry = catalogue.get(key)
        if entry is None or not _translated(entry) or bool(found.msgid_plural) != bool(entry.msgid_plural):
            context, msgid = key
            missing.append(f"{msgid!r}" + (f" (context {context!r})" if context else ""))
    assert not missing, (
        f"{len(missing)} msgid(s) without a Vietnamese translation in {CATALOGUE.name} "
        "(add them at the end of the file, then run scripts/compile_messages.py):\n" + "\n".join(missing)
    )


def test_the_compiled_catalogue_matches_the_po() -> None:
    """The .mo Django reads says what the .po says (scripts/compile_messages.py after every edit)."""
    po = polib.pofile(str(CATALOGUE))
    mo_path = CATALOGUE.with_suffix(".mo")
    assert mo_path.exists(), "django.mo is missing: run scripts/compile_messages.py"
    mo = polib.mofile(str(mo_path))

    def table(entries: list[polib.POEntry] | list[polib.MOEntry]) -> dict[Key, object]:
        rows: dict[Key, object] = {}
        for entry in entries:
            if entry.msgid and not getattr(entry, "obsolete", False) and not getattr(entry, "fuzzy", False):
                value = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
                if value:
                    rows[_key(entry)] = value
        return rows

    expected, compiled = table(po.translated_entries()), table(list(mo))
    stale = sorted(
        msgid for key, value in expected.items() if compiled.get(key) != value for msgid in [key[1]]
    ) + sorted(key[1] for key in compiled.keys() - expected.keys())
    assert not stale, "django.mo is out of date with django.po (run scripts/compile_messages.py):\n" + "\n".join(
        stale[:50]
    )
