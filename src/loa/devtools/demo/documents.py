"""Demo data: the board's letterhead and the bloc's morning press review."""

from __future__ import annotations

import datetime as dt

from loa.accounts.scoping import SYSTEM
from loa.analysis.models import Topic
from loa.digests.services import ProfileData, profile_save
from loa.reports.services import letterhead_ensure, letterhead_save
from loa.units.models import Unit

# Keys of the bloc's themes (seed/themes.yaml) the morning review follows.
DIGEST_THEMES = ("violations", "prices", "results", "party")


def load(units: dict[str, Unit]) -> None:
    """The board's letterhead and the bloc's morning press review, sent to the demo inbox."""

    board = letterhead_ensure(unit=units["duk-btg"])
    letterhead_save(
        user=SYSTEM,
        letterhead=board,
        superior="ĐẢNG ỦY KHỐI DOANH NGHIỆP TRUNG ƯƠNG",
        issuer="BAN TUYÊN GIÁO VÀ DÂN VẬN",
        symbol="BTGDV",
        signature_mode="",
        signer_position="TRƯỞNG BAN",
        signer_name="Nguyễn Thị Minh",
        recipients="Thường trực Đảng ủy Khối (để b/c)\nCác đảng ủy trực thuộc\nLưu VT, BTGDV",
        term_start=dt.date(2025, 10, 1),
    )
    profile_save(
        user=SYSTEM,
        profile=None,
        data=ProfileData(
            name="Điểm báo Đảng ủy Khối",
            unit=units["duk"],
            letterhead=board,
            build_at=dt.time(6, 30),
            max_items=10,
            recipients="lanh-dao@duk.example.vn\nban-tuyen-giao@duk.example.vn",
            enabled=True,
            topics=list(Topic.objects.filter(key__in=DIGEST_THEMES)),
        ),
    )
