"""Demo data: the bloc, its boards and member enterprises (with the 2025 merger), and accounts."""

from __future__ import annotations

import datetime as dt

from loa.accounts.models import Role, User
from loa.accounts.services import password_generate, user_create
from loa.units.models import Unit, UnitKind
from loa.units.services import unit_change, unit_create, unit_merge

START = dt.date(2016, 1, 1)
# 2025 restructuring: the propaganda and mass-mobilisation boards were merged.
MERGER = dt.date(2025, 3, 1)

# (code, name, short name, symbol, kind, subunits)
ENTERPRISES: list[tuple[str, str, str, str, list[tuple[str, str, str, str, str]]]] = [
    (
        "evn",
        "Đảng ủy Tập đoàn Điện lực Việt Nam",
        "Đảng ủy EVN",
        "ĐU",
        [
            (
                "evn-npc",
                "Đảng ủy Tổng công ty Điện lực miền Bắc",
                "Đảng ủy EVNNPC",
                "ĐU",
                UnitKind.GRASSROOTS,
            ),
            (
                "evn-npt",
                "Đảng ủy Tổng công ty Truyền tải điện Quốc gia",
                "Đảng ủy EVNNPT",
                "ĐU",
                UnitKind.GRASSROOTS,
            ),
            (
                "evn-ttt",
                "Chi bộ Ban Truyền thông EVN",
                "Chi bộ Truyền thông EVN",
                "CB",
                UnitKind.CELL,
            ),
        ],
    ),
    (
        "pvn",
        "Đảng ủy Tập đoàn Dầu khí Quốc gia Việt Nam",
        "Đảng ủy PVN",
        "ĐU",
        [
            (
                "pvn-gas",
                "Đảng ủy Tổng công ty Khí Việt Nam",
                "Đảng ủy PV GAS",
                "ĐU",
                UnitKind.GRASSROOTS,
            ),
            (
                "pvn-drilling",
                "Đảng ủy Tổng công ty Khoan và Dịch vụ khoan Dầu khí",
                "Đảng ủy PV Drilling",
                "ĐU",
                UnitKind.GRASSROOTS,
            ),
        ],
    ),
    (
        "tkv",
        "Đảng ủy Tập đoàn Công nghiệp Than – Khoáng sản Việt Nam",
        "Đảng ủy TKV",
        "ĐU",
        [
            (
                "tkv-halam",
                "Đảng ủy Công ty Than Hà Lầm",
                "Đảng ủy Than Hà Lầm",
                "ĐU",
                UnitKind.GRASSROOTS,
            ),
            (
                "tkv-maokhe",
                "Đảng ủy Công ty Than Mạo Khê",
                "Đảng ủy Than Mạo Khê",
                "ĐU",
                UnitKind.GRASSROOTS,
            ),
        ],
    ),
    (
        "vnpt",
        "Đảng ủy Tập đoàn Bưu chính Viễn thông Việt Nam",
        "Đảng ủy VNPT",
        "ĐU",
        [
            (
                "vnpt-vinaphone",
                "Đảng ủy Tổng công ty Dịch vụ Viễn thông",
                "Đảng ủy VNPT VinaPhone",
                "ĐU",
                UnitKind.GRASSROOTS,
            )
        ],
    ),
    (
        "vcb",
        "Đảng ủy Ngân hàng Thương mại cổ phần Ngoại thương Việt Nam",
        "Đảng ủy Vietcombank",
        "ĐU",
        [
            (
                "vcb-hn",
                "Đảng ủy Vietcombank Chi nhánh Hà Nội",
                "Đảng ủy VCB Hà Nội",
                "ĐU",
                UnitKind.GRASSROOTS,
            )
        ],
    ),
]

# (username, full name, role, unit code)
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("btg.chuyenvien", "Chuyên viên Ban Tuyên giáo", Role.BLOC_STAFF, "duk-btg"),
    ("duk.lanhdao", "Lãnh đạo Đảng ủy Khối", Role.LEADER, "duk"),
    ("evn.tuyengiao", "Cán bộ tuyên giáo EVN", Role.UNIT_STAFF, "evn"),
    ("evn.lanhdao", "Lãnh đạo Đảng ủy EVN", Role.LEADER, "evn"),
    ("pvn.tuyengiao", "Cán bộ tuyên giáo PVN", Role.UNIT_STAFF, "pvn"),
    ("tkv.xem", "Cán bộ TKV (chỉ xem)", Role.VIEWER, "tkv"),
]


def units_load() -> dict[str, Unit]:
    """The bloc, its two boards merged in 2025, the member enterprises and their subunits; by code."""
    bloc = unit_create(
        code="duk",
        name="Đảng ủy Khối Doanh nghiệp Trung ương",
        short_name="Đảng ủy Khối",
        symbol="ĐUK",
        kind=UnitKind.BLOC,
        valid_from=START,
    )
    propaganda = unit_create(
        code="duk-btg",
        name="Ban Tuyên giáo Đảng ủy Khối",
        short_name="Ban Tuyên giáo",
        symbol="BTG",
        kind=UnitKind.BOARD,
        parent=bloc,
        valid_from=START,
        sort_order=1,
    )
    mobilisation = unit_create(
        code="duk-bdv",
        name="Ban Dân vận Đảng ủy Khối",
        short_name="Ban Dân vận",
        symbol="BDV",
        kind=UnitKind.BOARD,
        parent=bloc,
        valid_from=START,
        sort_order=2,
    )
    unit_merge(
        units=[mobilisation],
        into=propaganda,
        effective=MERGER,
        note="Hợp nhất theo chủ trương sắp xếp tổ chức bộ máy năm 2025",
    )
    unit_change(
        unit=propaganda,
        effective=MERGER,
        name="Ban Tuyên giáo và Dân vận Đảng ủy Khối",
        short_name="Ban Tuyên giáo và Dân vận",
        symbol="BTGDV",
        note="Đổi tên sau khi hợp nhất Ban Dân vận",
    )
    for order, (code, name, short_name, symbol, subunits) in enumerate(ENTERPRISES, start=10):
        enterprise = unit_create(
            code=code,
            name=name,
            short_name=short_name,
            symbol=symbol,
            kind=UnitKind.COMMITTEE,
            parent=bloc,
            valid_from=START,
            sort_order=order,
        )
        for sub_order, (sub_code, sub_name, sub_short, sub_symbol, sub_kind) in enumerate(subunits):
            unit_create(
                code=sub_code,
                name=sub_name,
                short_name=sub_short,
                symbol=sub_symbol,
                kind=sub_kind,
                parent=enterprise,
                valid_from=START,
                sort_order=sub_order,
            )
    return {unit.code: unit for unit in Unit.objects.all()}


def accounts_load(units: dict[str, Unit], *, password: str | None) -> tuple[list[str], str]:
    """One account per role, sharing a password (generated unless given); the usernames created
    and the password."""
    secret = password or password_generate()
    created = []
    for username, full_name, role, unit_code in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            full_name=full_name,
            role=role,
            unit=units[unit_code],
            password=secret,
            validate=password is not None,
        )
        created.append(username)
    return created, secret
