"""The demo's replay publishes first the sample's articles that name the monitored organisations."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from loa.analysis.models import Organisation
from loa.devtools.demo import analysis as demo_analysis
from loa.devtools.demo import units as demo_units
from loa.devtools.monitored import Picker, demo_order, load_monitored_first, seed_entries
from loa.devtools.replay import VIETNAM, build_corpus

BODY = "Nội dung bài viết đủ dài để máy chủ phát lại phục vụ. " * 12


def _record(n: int, title: str, lead: str = "", text: str = BODY) -> dict[str, Any]:
    return {"id": str(n), "url": f"https://bao.example.vn/{n}", "title": title, "lead": lead, "text": text}


@pytest.mark.django_db
def test_the_replay_picks_by_every_organisation_the_demo_follows() -> None:
    demo_analysis.load(demo_units.units_load())
    followed = set(Organisation.objects.values_list("name", flat=True))
    assert followed
    assert followed <= {entry["name"] for entry in seed_entries()}


def test_an_article_is_picked_by_a_monitored_name_in_its_title_or_lead() -> None:
    picker = Picker.from_seed()
    assert picker.named(_record(1, "EVN đề xuất điều chỉnh giá điện")) == {"evn"}
    assert picker.named(_record(2, "Mất điện diện rộng", lead="EVNNPC khắc phục sự cố lưới điện")) == {"evn"}
    assert picker.named(_record(3, "Vietcombank và PVN ký kết hợp tác")) == {"vcb", "pvn"}
    # Named only deep in the body: most often in passing.
    assert picker.named(_record(4, "Thời tiết nắng nóng", text=BODY + " EVN.")) == set()
    # Look-alikes: another country's national oil company, the film industry, nobody the bloc follows.
    assert picker.named(_record(5, "Tập đoàn Dầu khí quốc gia Malaysia báo lãi lớn")) == set()
    assert picker.named(_record(6, "Ngành điện ảnh tìm lại khán giả", lead="Giá điện không liên quan")) == set()
    assert picker.named(_record(7, "Giá vàng hôm nay tăng mạnh")) == set()


def test_monitored_articles_are_the_newest_of_the_past_and_the_first_live_ones() -> None:
    monitored = [_record(100 + n, f"EVN tin {n}") for n in range(9)]
    others = [_record(n, f"Tin khác {n}") for n in range(21)]
    ordered = demo_order(monitored, others, live=10)
    assert len(ordered) == 30
    ids = [r["id"] for r in ordered]
    # Past: 20 records, the newest six are monitored; live: three monitored ones first, one in two.
    assert ids[14:20] == [str(100 + n) for n in range(6)]
    assert all(not i.startswith("1") or len(i) < 3 for i in ids[:14])
    assert ids[20:26:2] == ["106", "107", "108"]
    corpus = build_corpus(ordered, outlets=3, now=dt.datetime(2026, 12, 7, 9, tzinfo=VIETNAM), live=10)
    released = sorted(
        (a for a in corpus.articles if a.syndicated_from is None and a.published < corpus.started),
        key=lambda a: a.published,
        reverse=True,
    )
    assert {a.id for a in released[:6]} == {str(100 + n) for n in range(6)}


def test_the_sample_is_read_monitored_first(tmp_path: Path) -> None:
    path = tmp_path / "sample.jsonl.gz"
    rows = [_record(n, "EVN khánh thành trạm biến áp" if n % 5 == 0 else f"Tin thời sự {n}") for n in range(40)]
    rows.insert(3, {"id": "short", "title": "EVN", "lead": "", "text": "ngắn"})  # too short to serve
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    records = load_monitored_first(path, 20, live=6)
    picker = Picker.from_seed()
    assert len(records) == 20
    assert "short" not in {r["id"] for r in records}
    chosen = [r["id"] for r in records if picker.named(r)]
    assert sorted(chosen, key=int) == [str(n) for n in range(0, 40, 5)]  # all 8 of the sample (share 0.5: up to 10)
    past = records[:14]
    assert [bool(picker.named(r)) for r in past][-6:] == [True] * 6


def test_loa_up_serves_a_prepared_sample_the_replay_reads_as_is(tmp_path: Path) -> None:
    from loa.devtools.monitored import demo_sample
    from loa.devtools.replay import load_sample

    source = tmp_path / "sample.jsonl.gz"
    rows = [_record(n, "PVN ký hợp đồng khí" if n % 4 == 0 else f"Tin kinh tế {n}") for n in range(30)]
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    target = tmp_path / "var" / "demo-replay.jsonl.gz"
    assert demo_sample(source, target, articles=12, live=4) == target
    served = load_sample(target, 600)
    assert [r["id"] for r in served] == [r["id"] for r in load_monitored_first(source, 12, live=4)]
    # Kept while the sample does not change.
    stamp = target.stat().st_mtime_ns
    demo_sample(source, target, articles=12, live=4)
    assert target.stat().st_mtime_ns == stamp
