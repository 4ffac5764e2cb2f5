"""Demo data: opinion topics and three months of opinion reports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.opinion.services import Stream, report_save, report_submit, topic_create
from loa.units.models import Unit


def load(units: dict[str, Unit]) -> None:
    """The list of opinion topics; three months of aggregate opinion reports from the bloc's
    committees, one topic rising and a synonym proposed by a unit (for staff to merge); this
    month only EVN has reported so far, a period the synthesis marks as short of reports."""

    for name, description in (
        ("Sắp xếp, tinh gọn tổ chức bộ máy", "Sắp xếp, hợp nhất cơ quan, đơn vị; chế độ, chính sách cho người dôi dư."),
        ("Giá điện, giá xăng dầu", "Điều chỉnh giá năng lượng và tác động tới chi phí sinh hoạt, sản xuất."),
        ("Chuyển đổi số", ""),
    ):
        topic_create(user=SYSTEM, name=name, description=description)
    today = timezone.localdate()
    months = []
    first = today.replace(day=1)
    for _ in range(3):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first.strftime("%Y-%m"))
    months.reverse()
    committees = ("evn", "pvn", "vnpt", "tkv", "vcb")
    for index, month in enumerate(months):
        for offset, code in enumerate(committees):
            if code not in units:
                continue
            # Last month VCB worded the restructuring its own way: a proposal staff can merge.
            restructuring = (
                "Sắp xếp tổ chức bộ máy" if code == "vcb" and index == 2 else "Sắp xếp, tinh gọn tổ chức bộ máy"
            )
            streams = [
                Stream(restructuring, "agree", "da_so", 2, proposals="Sớm ban hành hướng dẫn về chế độ, chính sách.")
            ]
            if offset <= index:  # more committees report it each month
                streams.append(
                    Stream(
                        "Giá điện, giá xăng dầu",
                        "hesitant" if offset else "oppose",
                        "nhieu",
                        2,
                        summary="Lo ngại tác động tới chi phí sinh hoạt.",
                    )
                )
            report = report_save(user=SYSTEM, unit=units[code], kind="monthly", period=month, streams=streams)
            report_submit(user=SYSTEM, report=report)
    if "evn" in units:
        report = report_save(
            user=SYSTEM,
            unit=units["evn"],
            kind="monthly",
            period=today.strftime("%Y-%m"),
            streams=[Stream("Giá điện, giá xăng dầu", "oppose", "nhieu", 2)],
        )
        report_submit(user=SYSTEM, report=report)
