"""The demo's past coverage: sample articles about the monitored organisations, stored and
analysed by the pipeline over the weeks before the demo's day, so the dashboard has a usual level."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from loa.accounts.scoping import SYSTEM
from loa.alerts.models import Alert
from loa.analysis.models import RELEVANT_SALIENCES, ArticleEntity
from loa.articles.models import Article
from loa.core.dashboard import coverage_today
from loa.devtools.demo import demo_load, demo_sources
from loa.devtools.history import HISTORY_DAYS, history_load, history_sample, published_times, read_records
from loa.devtools.replay import VIETNAM

FILLER = "Thời tiết các tỉnh phía Bắc chuyển lạnh, nhiều nơi có mưa nhỏ vào sáng sớm. " * 6
# A fixed day: nothing here reads the clock.
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=VIETNAM)


def _about_evn(n: int) -> str:
    return (
        f"Tập đoàn Điện lực Việt Nam (EVN) cho biết sản lượng điện tháng {n} tăng mạnh. "
        "Theo EVN, hệ thống điện vận hành an toàn, đáp ứng nhu cầu của người dân và doanh nghiệp. "
        f"EVN đã đưa vào vận hành {n} công trình lưới điện mới trong tháng. "
        "Lãnh đạo EVN yêu cầu các đơn vị tiếp tục bảo đảm cung ứng điện mùa khô. " + FILLER
    )


def _record(n: int, title: str, text: str, lead: str = "") -> dict[str, Any]:
    return {"id": str(n), "url": f"https://bao.example.vn/{n}", "title": title, "lead": lead, "text": text}


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return path


def test_the_history_takes_articles_naming_an_organisation_twice_that_the_replay_does_not_serve(
    tmp_path: Path,
) -> None:
    sample = _write(
        tmp_path / "sample.jsonl.gz",
        [
            _record(1, "EVN đề xuất điều chỉnh giá điện", _about_evn(1)),  # named in the title: the replay's
            _record(2, "Sản lượng điện tháng Hai tăng", _about_evn(2)),
            _record(3, "Thời tiết nắng nóng", FILLER + " Theo EVN, phụ tải tăng."),  # once: in passing
            _record(4, "Sản lượng điện tháng Ba tăng", _about_evn(3)),  # served by the replay
            _record(5, "Giá vàng hôm nay", FILLER),
            _record(6, "Điện cho mùa khô", _about_evn(4)),
        ],
    )
    replay = _write(tmp_path / "replay.jsonl.gz", [_record(1, "", ""), _record(4, "", "")])
    chosen = history_sample(sample, tmp_path / "history.jsonl.gz", replay=replay)
    assert [r["id"] for r in read_records(chosen)] == ["2", "6"]


def test_publication_times_fill_the_weeks_before_the_day_the_same_way_each_time() -> None:
    times = published_times(120, now=NOW)
    assert times == published_times(120, now=NOW)
    assert times == sorted(times)
    today = NOW.replace(hour=0, minute=0)
    assert all(today - dt.timedelta(days=HISTORY_DAYS) <= t < today for t in times)
    days = {t.date() for t in times}
    assert len(days) == HISTORY_DAYS
    assert all(6 <= t.hour < 22 for t in times)


@pytest.mark.django_db
def test_the_history_is_stored_and_analysed_once_as_past_coverage_without_alerts() -> None:
    demo_load(password="mật-khẩu-demo-đủ-dài-42")
    demo_sources(host="127.0.0.1", first_port=8801)
    records = [_record(10 + n, f"Điện lực: tin tháng {n}", _about_evn(n)) for n in range(1, 29)]
    assert history_load(records=records, first_port=8801, now=NOW) == 28
    articles = list(Article.objects.all())
    assert len(articles) == 28
    for article in articles:
        assert article.published_at is not None
        assert article.published_at < NOW.replace(hour=0, minute=0)
        # Stored back then: the alert sweeps, which look at what was stored recently, leave it.
        assert article.created_at == article.fetched_at == article.published_at + dt.timedelta(minutes=5)
        assert article.source is not None
        assert article.source.outlet_id == article.outlet_id
    # The pipeline's own analysis: EVN is what these articles are about.
    evn = ArticleEntity.objects.filter(organisation__short_name="EVN", salience__in=RELEVANT_SALIENCES)
    assert evn.count() == 28
    assert not Alert.objects.exists()
    # The dashboard has something to compare today with.
    row = next(o for o in coverage_today(user=SYSTEM, now=NOW) if o.name == "EVN")
    assert row.today == 0
    assert row.usual > 0
    assert history_load(records=records, first_port=8801, now=NOW) == 0
    assert Article.objects.count() == 28
