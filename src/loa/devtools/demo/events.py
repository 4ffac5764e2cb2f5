"""Demo data: the calendar of anniversaries and holidays."""

from __future__ import annotations

from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.events.services import EventData, event_save

# (title, kind, calendar, day, month, first year, days)
CALENDAR = [
    ("Tết Nguyên đán", "holiday", "lunar", 1, 1, None, 3),
    ("Ngày thành lập Đảng Cộng sản Việt Nam", "anniversary", "solar", 3, 2, 1930, 1),
    ("Giỗ Tổ Hùng Vương", "holiday", "lunar", 10, 3, None, 1),
    ("Ngày Giải phóng miền Nam, thống nhất đất nước", "holiday", "solar", 30, 4, 1975, 1),
    ("Ngày Quốc tế Lao động", "holiday", "solar", 1, 5, None, 1),
    ("Ngày sinh Chủ tịch Hồ Chí Minh", "anniversary", "solar", 19, 5, 1890, 1),
    ("Ngày Báo chí cách mạng Việt Nam", "anniversary", "solar", 21, 6, 1925, 1),
    ("Ngày Thương binh – Liệt sĩ", "anniversary", "solar", 27, 7, 1947, 1),
    ("Ngày Quốc khánh", "holiday", "solar", 2, 9, 1945, 2),
    ("Tết Trung thu", "other", "lunar", 15, 8, None, 1),
    ("Ngày thành lập Đảng bộ Khối Doanh nghiệp Trung ương", "anniversary", "solar", 5, 4, 2007, 1),
    ("Ngày Nhà giáo Việt Nam", "anniversary", "solar", 20, 11, 1982, 1),
    ("Ngày thành lập Quân đội nhân dân Việt Nam", "anniversary", "solar", 22, 12, 1944, 1),
]


def load() -> None:

    for title, kind, calendar, day, month, since, days in CALENDAR:
        event_save(
            user=SYSTEM,
            event=None,
            data=EventData(
                title=title,
                kind=kind,
                calendar=calendar,
                day=day,
                month=month,
                since=since,
                days=days,
            ),
        )
    event_save(
        user=SYSTEM,
        event=None,
        data=EventData(
            title="Hội nghị Ban Chấp hành Đảng bộ Khối cuối năm",
            kind="session",
            calendar="solar",
            day=18,
            month=12,
            year=timezone.localdate().year,
            location="Hà Nội",
        ),
    )
