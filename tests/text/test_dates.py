"""Vietnamese dates in documents and publication times in news."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from loa.text import find_dates, parse_news_datetime

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def values(text: str, reference: dt.date | None = None, **kwargs: bool) -> list[tuple[dt.date, str]]:
    return [(m.value, m.precision) for m in find_dates(text, reference, **kwargs)]


def test_numeric_forms() -> None:
    assert values("ngày 31/8/2021") == [(dt.date(2021, 8, 31), "day")]
    assert values("31-8-2021") == [(dt.date(2021, 8, 31), "day")]
    assert values("31.08.2021") == [(dt.date(2021, 8, 31), "day")]
    assert values("2021-08-31") == [(dt.date(2021, 8, 31), "day")]


def test_written_forms() -> None:
    assert values("ngày 22 tháng 9 năm 2016") == [(dt.date(2016, 9, 22), "day")]
    assert values("tháng 9 năm 2016") == [(dt.date(2016, 9, 1), "month")]
    assert values("tháng 9/2016") == [(dt.date(2016, 9, 1), "month")]
    assert values("năm 2020", years=True) == [(dt.date(2020, 1, 1), "year")]
    assert values("năm 2020") == []


def test_day_and_month_take_the_year_from_context() -> None:
    # Seed 003 opens "Ngày 6/1, tại Hà Nội" in an article about the 2020 review held in 2021.
    assert values("Ngày 6/1, tại Hà Nội", dt.date(2021, 1, 7)) == [(dt.date(2021, 1, 6), "day")]
    assert values("Sáng 30/12 đã họp", dt.date(2021, 1, 2)) == [(dt.date(2020, 12, 30), "day")]
    assert values("Ngày 6/1, tại Hà Nội") == []


@pytest.mark.parametrize(
    "text",
    [
        "tỷ số 2-1",
        "giá 1.000.000 đồng",
        "30/2020/NĐ-CP",
        "31/2/2021",
        "13/13/2021",
        "phiên bản 1.2.3",
    ],
)
def test_non_dates(text: str) -> None:
    assert values(text, dt.date(2021, 1, 1)) == []


def test_offsets_point_into_the_text(seed_000: str) -> None:
    found = find_dates(seed_000)
    assert found[0].text == "Ngày 31/8/2021"
    assert seed_000[found[0].start : found[0].end] == "Ngày 31/8/2021"
    assert dt.date(2016, 9, 22) in [m.value for m in found]


def test_text_without_diacritics() -> None:
    assert values("ngay 22 thang 9 nam 2016") == [(dt.date(2016, 9, 22), "day")]


NOW = dt.datetime(2021, 8, 31, 12, 0, tzinfo=HCM)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 giờ trước", dt.datetime(2021, 8, 31, 10, 0, tzinfo=HCM)),
        ("30 phút trước", dt.datetime(2021, 8, 31, 11, 30, tzinfo=HCM)),
        ("3 ngày trước", dt.datetime(2021, 8, 28, 12, 0, tzinfo=HCM)),
        ("hôm qua lúc 10:30", dt.datetime(2021, 8, 30, 10, 30, tzinfo=HCM)),
        ("Hôm kia", dt.datetime(2021, 8, 29, 0, 0, tzinfo=HCM)),
        ("vừa xong", NOW),
        ("Thứ Ba, 31/8/2021, 10:30 (GMT+7)", dt.datetime(2021, 8, 31, 10, 30, tzinfo=HCM)),
        ("10:30 31/08/2021", dt.datetime(2021, 8, 31, 10, 30, tzinfo=HCM)),
        ("31/08/2021 - 15:45", dt.datetime(2021, 8, 31, 15, 45, tzinfo=HCM)),
        ("Cập nhật: 14h20 ngày 30/8", dt.datetime(2021, 8, 30, 14, 20, tzinfo=HCM)),
        ("2021-08-31T03:30:00Z", dt.datetime(2021, 8, 31, 10, 30, tzinfo=HCM)),
        ("không có ngày tháng", None),
    ],
)
def test_news_times(text: str, expected: dt.datetime | None) -> None:
    assert parse_news_datetime(text, NOW) == expected


def test_news_time_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_news_datetime("hôm qua", dt.datetime(2021, 8, 31))  # noqa: DTZ001 - the error under test
