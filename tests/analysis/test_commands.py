"""File-in/file-out commands for evaluation: classify, mentions, model train, reanalyze."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

LOA = [sys.executable, "-m", "loa"]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LOA, *args], capture_output=True, text=True, timeout=600, check=False, env=env)


def write_jsonl(path: Path, rows: Sequence[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {
        "id": "a",
        "title": "Cháy lớn, 3 người tử vong",
        "text": "Vụ cháy gây thiệt hại nặng, cơ quan chức năng điều tra.",
    },
    {"id": "b", "title": "Doanh nghiệp được vinh danh", "text": "Đơn vị nhận bằng khen và giải thưởng."},
    {
        "id": 7,
        "title": "EVN và PVN ký kết hợp tác",
        "lead": "Tập đoàn Điện lực Việt Nam ký với PVN.",
        "text": "Viettel thắng trận. VNPT khai trương.",
    },
]


def test_classify_sentiment_and_topics(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ROWS)
    result = run("classify", "sentiment", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["id"] for row in lines] == ["a", "b", 7]
    assert lines[0]["sentiment"] == "negative"
    assert lines[1]["sentiment"] == "positive"
    assert all(0 <= row["score"] <= 1 for row in lines)
    topics = run("classify", "topics", "--input", str(source))
    assert topics.returncode == 0, topics.stderr
    first = json.loads(topics.stdout.splitlines()[0])
    assert first["id"] == "a"
    assert first["topics"]
    assert set(first["scores"]) == set(first["topics"])


def test_mentions_with_an_entities_file(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ROWS)
    result = run("mentions", "--entities", str(FIXTURES / "monitored_organisations.yaml"), "--input", str(source))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["mentions"] for r in rows[:2]] == [[], []]
    found = {(m["entity"], m["field"]) for m in rows[2]["mentions"]}
    assert found == {("evn", "title"), ("pvn", "title"), ("evn", "lead"), ("pvn", "lead"), ("vnpt", "text")}
    assert rows[2]["prominence"]["evn"] == 1.0
    text_mention = next(m for m in rows[2]["mentions"] if m["entity"] == "vnpt")
    assert ROWS[2]["text"][text_mention["start"] : text_mention["end"]] == "VNPT"  # type: ignore[index]
    assert rows[0]["entities"] == {}
    entities = rows[2]["entities"]
    assert set(entities) == {"evn", "pvn", "vnpt"}
    assert entities["evn"]["salience"] == "main"  # in the title
    assert entities["vnpt"]["salience"] == "passing"  # one body sentence among several names
    for judged in entities.values():
        assert judged["tone"] in {"negative", "neutral", "positive"}
        assert -1 <= judged["score"] <= 1


def test_mentions_of_member_companies_and_tickers(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "src" / "loa" / "analysis" / "seed" / "organisations.yaml"
    rows = [
        {
            "id": 1,
            "title": "EVNNPC bảo đảm cấp điện mùa nắng nóng",
            "lead": "Tổng công ty Điện lực miền Bắc huy động lực lượng.",
            "text": "EVNNPC cho biết đã sẵn sàng. Trên sàn, cổ phiếu VCB, BID, CTG đều tăng.",
        },
        {"id": 2, "title": "Cục Hàng không Việt Nam họp báo", "text": "Cục Hàng không Việt Nam công bố số liệu."},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    result = run("mentions", "--entities", str(seed), "--input", str(source))
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["entities"]["evn"]["salience"] == "main"
    assert {m["member"] for m in first["mentions"] if m["entity"] == "evn"} == {"Tổng công ty Điện lực miền Bắc"}
    assert first["entities"]["vcb"]["salience"] == "passing"
    assert first["entities"]["bidv"]["salience"] == "passing"
    assert second["mentions"] == []
    assert second["entities"] == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json}\n", "không phải JSON"), ("[1, 2]\n", "đối tượng JSON")],
)
def test_bad_input_files_are_reported_by_line(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1, "title": "x", "text": "y"}\n' + content, encoding="utf-8")
    result = run("classify", "sentiment", "--input", str(source))
    assert result.returncode != 0
    assert "dòng 2" in result.stderr
    assert message in result.stderr
    missing = run("classify", "sentiment", "--input", str(tmp_path / "nope.jsonl"))
    assert missing.returncode != 0
    assert "Không có tệp" in missing.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- aliases: [x]\n", "mục 1"),
        ("- key: a\n  name: A\n  nicknames: [x]\n", "nicknames"),
        ("- key: a\n  name: A\n- key: a\n  name: B\n", "duplicate key"),
    ],
)
def test_bad_entities_file_is_reported(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "e.yaml").write_text(content, encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", ROWS)
    result = run("mentions", "--entities", str(tmp_path / "e.yaml"), "--input", str(source))
    assert result.returncode != 0
    assert message in result.stderr


def test_model_train_writes_an_artefact_and_scores(tmp_path: Path) -> None:
    rows = []
    for n in range(12):
        rows += [
            {
                "title": f"Tai nạn nghiêm trọng {n}",
                "description": "Nhiều người tử vong.",
                "sentiment": "negative",
                "topics": ["Xã hội"],
            },
            {
                "title": f"Vinh danh doanh nghiệp {n}",
                "description": "Nhận bằng khen.",
                "sentiment": "positive",
                "topics": ["Kinh tế"],
            },
            {
                "title": f"Họp giao ban {n}",
                "description": "Triển khai nhiệm vụ.",
                "sentiment": "neutral",
                "topics": ["Chính trị"],
            },
        ]
    data = write_jsonl(tmp_path / "train.jsonl", rows)
    output = tmp_path / "models" / "m.joblib"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "LOA_"))}
    env["LOA_VAR_DIR"] = str(tmp_path / "var")
    result = run(
        "model", "train", "--data", str(data), "--output", str(output), "--folds", "3", "--no-corrections", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "macro-F1" in result.stdout
    assert output.is_file()
    card = json.loads(output.with_suffix(".json").read_text())
    assert card["examples"] == 36
    env["LOA_MODEL_PATH"] = str(output)
    check = run(
        "classify",
        "sentiment",
        "--input",
        str(write_jsonl(tmp_path / "x.jsonl", [{"id": 1, "title": "Tai nạn mới", "text": "Hai người tử vong."}])),
        env=env,
    )
    assert json.loads(check.stdout)["sentiment"] == "negative"


def test_reanalyze_runs_over_stored_articles(tmp_path: Path, fresh_database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "LOA_"))}
    env.update(LOA_VAR_DIR=str(tmp_path / "var"), DATABASE_URL=fresh_database_url)
    assert run("manage", "migrate", "--noinput", "-v", "0", env=env).returncode == 0
    articles = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "url": f"https://bao.vn/{n}.html",
                "title": f"EVN khánh thành công trình số {n}",
                "text": f"Tập đoàn Điện lực Việt Nam khánh thành trạm biến áp số {n}. " * 5,
                "published": "2026-11-01",
            }
            for n in range(3)
        ],
    )
    assert run("import-jsonl", str(articles), "--quiet", env=env).returncode == 0
    result = run("reanalyze", "--since", "2026-10-01", "--sync", env=env)
    assert result.returncode == 0, result.stderr
    assert "Đã phân tích lại 3 bài" in result.stdout
    queued = run("reanalyze", "--chunk", "2", env=env)
    assert "2 lô (3 bài)" in queued.stdout
