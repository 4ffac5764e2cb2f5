"""`loa text normalize|fold|refs|dates`: stdin to stdout."""

from __future__ import annotations

import json
import subprocess
import sys

LOA = [sys.executable, "-m", "loa", "text"]


def run(tool: str, data: bytes, *args: str) -> str:
    result = subprocess.run([*LOA, tool, *args], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def test_normalize_and_fold() -> None:
    assert run("normalize", "Hoà  bình\u200b uỷ ban".encode()) == "Hòa bình ủy ban\n"
    assert run("fold", "Đảng ủy Khối".encode()) == "dang uy khoi\n"


def test_normalize_reads_legacy_bytes() -> None:
    assert run("normalize", "Céng hßa x· héi chñ nghÜa ViÖt Nam".encode("cp1252")) == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\n"
    )


def test_refs_prints_one_json_object_per_reference(seed_000: str) -> None:
    lines = run("refs", seed_000.encode()).splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["symbol"] for r in records} == {
        "60-KL/ĐUK",
        "04-CT/ĐUK",
        "07-CT/TW",
        "01-KL/TW",
        "05-CT/TW",
    }
    for record in records:
        assert set(record) >= {"symbol", "number", "type", "issuer", "date", "start", "end"}
        assert seed_000[record["start"] : record["end"]].endswith(record["symbol"])
    dated = next(r for r in records if r["date"])
    assert dated == {
        **dated,
        "symbol": "04-CT/ĐUK",
        "date": "2016-09-22",
        "type": "Chỉ thị",
        "issuer": "ĐUK",
    }


def test_dates_with_reference() -> None:
    lines = run("dates", "Ngày 6/1, tại Hà Nội".encode(), "--reference", "2021-01-07").splitlines()
    assert json.loads(lines[0])["date"] == "2021-01-06"


def test_empty_input() -> None:
    assert run("refs", b"") == ""
    assert run("normalize", b"") == "\n"
