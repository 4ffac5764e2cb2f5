"""The text and document cores are plain Python: importing them must not import Django."""

from __future__ import annotations

import subprocess
import sys


def test_text_core_imports_no_django() -> None:
    code = (
        "import sys, loa.text, loa.text.encoding, loa.text.segment, loa.text.cli, "
        "loa.docformat.docx, loa.docformat.convert, loa.docformat.charts, loa.docformat.read, "
        "loa.text.directives, loa.text.lunar, loa.study.planner, loa.evaluation.grading, "
        "loa.opinion.synthesis; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
