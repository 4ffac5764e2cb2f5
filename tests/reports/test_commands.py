"""`loa digest` and `loa report` from the shell, on a fresh database with the demo bloc."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from loa.docformat.layout import date_line
from tests.documents import need, ocr, pdf_to_png, read_as

LOA = [sys.executable, "-m", "loa"]
VN = dt.timezone(dt.timedelta(hours=7))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LOA, *args], capture_output=True, text=True, timeout=600, check=False, env=env)


@pytest.fixture
def demo_env(tmp_path: Path, fresh_database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "LOA_"))}
    env.update(LOA_VAR_DIR=str(tmp_path / "var"), DATABASE_URL=fresh_database_url)
    assert run("manage", "migrate", "--noinput", "-v", "0", env=env).returncode == 0
    assert run("demo", env=env).returncode == 0
    now = dt.datetime.now(VN)
    # Today's review covers the 24 hours before 06:30 (the demo profile's hour); before that hour
    # the window still runs up to now. Anchor the articles inside it whatever the time of day.
    anchor = min(now, now.replace(hour=6, minute=30, second=0, microsecond=0))
    rows = [
        {
            "url": f"https://vnexpress.net/evn-{n}.html",
            "title": title,
            # One sentence naming EVN and one of its own: two events, not one story.
            "text": f"Tập đoàn Điện lực Việt Nam (EVN) {text}",
            "published": (anchor - dt.timedelta(hours=hours)).isoformat(),
        }
        for n, (title, text, hours) in enumerate(
            [
                (
                    "EVN bị phản ánh hóa đơn tiền điện tăng vọt",
                    "bị người dân phản ánh hóa đơn tăng bất thường. Nhiều hộ dân cho biết số tiền tăng gấp đôi.",
                    1,
                ),
                (
                    "EVN khánh thành trạm biến áp 500 kV",
                    "khánh thành trạm biến áp, bảo đảm cấp điện. Công trình hoàn thành sớm hai tháng.",
                    10,
                ),
            ]
        )
    ]
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    assert run("import-jsonl", str(source), "--quiet", env=env).returncode == 0
    return env


def test_digest_and_report_files(demo_env: dict[str, str], tmp_path: Path) -> None:
    today = dt.datetime.now(VN).date()
    docx_path = tmp_path / "diem-bao.docx"
    result = run("digest", "--date", today.isoformat(), "--format", "docx", "--output", str(docx_path), env=demo_env)
    assert result.returncode == 0, result.stderr
    doc = Document(io.BytesIO(docx_path.read_bytes()))
    texts = [paragraph.text for paragraph in doc.paragraphs]
    assert "ĐIỂM BÁO" in texts
    assert any("EVN bị phản ánh hóa đơn tiền điện tăng vọt" in text for text in texts), texts
    html = run("digest", "--date", today.isoformat(), "--format", "html", "--output", "-", env=demo_env)
    assert html.returncode == 0, html.stderr
    assert "EVN khánh thành trạm biến áp 500 kV" in html.stdout

    next_week = (today + dt.timedelta(days=7)).isoformat()
    future = run("digest", "--date", next_week, "--output", str(tmp_path / "x.docx"), env=demo_env)
    assert future.returncode == 2
    assert "future" in future.stderr
    missing = run("digest", "--date", "2020-01-01", "--no-build", "--output", str(tmp_path / "x.docx"), env=demo_env)
    assert missing.returncode == 3
    assert not (tmp_path / "x.docx").exists()
    bad = run("report", "--period", "quý ba", "--output", str(tmp_path / "r.pdf"), env=demo_env)
    assert bad.returncode == 2
    assert "2026-Q3" in bad.stderr

    need("soffice", "pdftoppm", "tesseract")
    pdf_path = tmp_path / "bao-cao.pdf"
    period = f"{today:%Y-%m}"
    result = run("report", "--period", period, "--format", "pdf", "--issue", "--output", str(pdf_path), env=demo_env)
    assert result.returncode == 0, result.stderr
    assert "1-BC/BTGDV" in result.stderr
    png = pdf_to_png(pdf_path)
    right = ocr(png, crop=(0.5, 0.0, 1.0, 0.2))
    left = ocr(png, crop=(0.0, 0.0, 0.52, 0.22))
    assert read_as(right, "ĐẢNG CỘNG SẢN VIỆT NAM"), right
    assert read_as(right, date_line("Hà Nội", today)), right
    assert read_as(left, "BAN TUYÊN GIÁO VÀ DÂN VẬN"), left
    assert read_as(left, "Số 1-BC/BTGDV"), left
    # Asked again, the same report is written, not a new one with a new number.
    again = run("report", "--period", period, "--issue", "--output", str(tmp_path / "r.docx"), env=demo_env)
    assert again.returncode == 0, again.stderr
    assert "1-BC/BTGDV" in again.stderr
