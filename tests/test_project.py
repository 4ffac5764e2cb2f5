"""Project-wide guards: migrations match the models; the Vietnamese catalogue is complete."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

LOCALE = Path(__file__).resolve().parent.parent / "src" / "loa" / "locale"


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()} ({exc})")


def test_vietnamese_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_compiled_catalogue_matches_the_source() -> None:
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
            f"{entry.msgid!r} differs in django.mo: run `make messages`"
        )


def test_placeholders_survive_translation() -> None:
    import re

    catalogue = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for entry in catalogue.translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # Vietnamese has one plural form, which serves every count: it carries the plural's
        # placeholders (English may write "the last day" without the number).
        source = entry.msgid_plural or entry.msgid
        for translation in translations:
            assert sorted(pattern.findall(source)) == sorted(pattern.findall(translation)), entry.msgid
