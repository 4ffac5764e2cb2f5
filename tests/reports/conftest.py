"""A board letterhead and a month of coverage and incidents for report tests."""

from __future__ import annotations

import datetime as dt

import pytest

from loa.accounts.scoping import SYSTEM
from loa.analysis.models import Organisation
from loa.reports.models import Letterhead
from tests.digests.fixtures import covered
from tests.factories import Tree
from tests.factories.reports import make_board_letterhead

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def board(tree: Tree) -> Letterhead:
    return make_board_letterhead(
        tree.board,
        superior="ĐẢNG ỦY KHỐI DOANH NGHIỆP TRUNG ƯƠNG",
        recipients="Thường trực Đảng ủy Khối (để b/c)\nLưu VT",
        term_start=dt.date(2025, 10, 1),
    )


@pytest.fixture
def october(evn: Organisation, tree: Tree) -> None:
    from loa.analysis.services import organisation_save
    from loa.incidents.services import incident_open

    organisation_save(name="Tập đoàn Dầu khí Việt Nam", short_name="PVN", unit=tree.pvn, acronyms="PVN")
    for day, tone in ((3, "negative"), (10, "positive"), (17, "neutral"), (24, "negative")):
        covered(
            f"EVN và câu chuyện ngày {day}",
            when=dt.datetime(2026, 10, day, 9, tzinfo=VN),
            domain=f"bao{day}.vn",
            tone=tone,
            body=f"Tập đoàn Điện lực Việt Nam (EVN) có thông tin mới ngày {day}/10 về {'giá điện' if day % 2 else 'đầu tư'}.",
        )
    covered(
        "PVN khởi công dự án khí",
        when=dt.datetime(2026, 10, 12, 9, tzinfo=VN),
        domain="baodaukhi.vn",
        tone="positive",
        body="Tập đoàn Dầu khí Việt Nam (PVN) khởi công dự án khí Lô B.",
    )
    covered("EVN tin tháng chín", when=dt.datetime(2026, 9, 30, 9, tzinfo=VN), domain="cu.vn", body="EVN tháng chín.")
    incident = incident_open(
        user=SYSTEM, title="Phản ánh hóa đơn tiền điện", unit=tree.evn, now=dt.datetime(2026, 10, 3, 10, tzinfo=VN)
    )
    incident.first_response_at = dt.datetime(2026, 10, 3, 13, tzinfo=VN)
    incident.save(update_fields=["first_response_at"])
