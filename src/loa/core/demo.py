"""Demo data for `make run`: the bloc of the seed documents, member enterprises, accounts.

Built through the services, so the demo also exercises revisions and the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

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


@dataclass(frozen=True)
class DemoResult:
    created: bool
    accounts: list[str]
    password: str | None


@transaction.atomic
def demo_load(*, password: str | None = None, webhook_url: str = "") -> DemoResult:
    """Load the demo bloc once; a second call changes nothing."""
    if Unit.objects.filter(code="duk").exists():
        return DemoResult(created=False, accounts=[], password=None)
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
    secret = password or password_generate()
    units = {unit.code: unit for unit in Unit.objects.all()}
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
    _demo_analysis(units)
    _demo_alerts(units, webhook_url=webhook_url)
    _demo_documents(units)
    _demo_calendar()
    _demo_directives(units)
    _demo_plans(units)
    _demo_opinion(units)
    _demo_people(units)
    _demo_study(units)
    _demo_evaluation(units)
    return DemoResult(created=True, accounts=created, password=None if password else secret)


# (unit code, full name, short name, aliases, acronyms, ambiguous, context, exclusions)
ORGANISATIONS = [
    (
        "evn",
        "Tập đoàn Điện lực Việt Nam",
        "EVN",
        "Điện lực Việt Nam\nTập đoàn EVN",
        "EVN",
        "Điện lực\nngành điện",
        "giá điện\ntiền điện\ncấp điện\nmất điện\nEVN",
        "Luật Điện lực\nHàn Quốc",
    ),
    (
        "pvn",
        "Tập đoàn Dầu khí Quốc gia Việt Nam",
        "PVN",
        "Tập đoàn Dầu khí Việt Nam\nTập đoàn Dầu khí\nPetrovietnam",
        "PVN",
        "",
        "",
        "",
    ),
    (
        "tkv",
        "Tập đoàn Công nghiệp Than – Khoáng sản Việt Nam",
        "TKV",
        "Tập đoàn Than khoáng sản Việt Nam\nTập đoàn Than – Khoáng sản Việt Nam\nVinacomin",
        "TKV",
        "",
        "",
        "",
    ),
    ("vnpt", "Tập đoàn Bưu chính Viễn thông Việt Nam", "VNPT", "", "VNPT", "", "", ""),
    (
        "vcb",
        "Ngân hàng TMCP Ngoại thương Việt Nam",
        "Vietcombank",
        "Ngân hàng Ngoại thương Việt Nam\nVietcombank",
        "VCB",
        "",
        "",
        "",
    ),
]


def _demo_analysis(units: dict[str, Unit]) -> None:
    from loa.analysis.services import organisation_save, saved_query_save

    for code, name, short, aliases, acronyms, ambiguous, context, exclusions in ORGANISATIONS:
        organisation_save(
            name=name,
            short_name=short,
            unit=units[code],
            aliases=aliases,
            acronyms=acronyms,
            ambiguous_aliases=ambiguous,
            context_terms=context,
            exclusion_terms=exclusions,
        )
    saved_query_save(name="Giá điện, tiền điện", query='"giá điện" OR "tiền điện" OR "hóa đơn điện"', unit=units["evn"])
    saved_query_save(name="Doanh nghiệp nhà nước", query='"doanh nghiệp nhà nước" OR "vốn nhà nước"', unit=units["duk"])
    saved_query_save(
        name="Sai phạm, tiêu cực",
        query='"sai phạm" OR "tham nhũng" OR "tiêu cực" OR "khởi tố" OR "vi phạm"',
        unit=units["duk"],
    )


# (outlet index on the replay server, path, kind, name, prominence)
REPLAY_SOURCES: list[tuple[int, str, str, str, int]] = [
    (0, "/rss/tin-moi.rss", "feed", "Tin mới (RSS)", 1),
    (1, "/atom.xml", "feed", "Tin mới (Atom)", 1),
    (2, "/rss/tin-moi.rss", "feed", "Tin mới (RSS)", 2),
    (3, "/sitemap.xml", "sitemap", "Sitemap tin tức", 2),
    (4, "/rss/tin-moi.rss", "feed", "Tin mới (RSS)", 2),
    (5, "/chuyen-muc/thoi-su", "html", "Chuyên mục Thời sự", 3),
]


@transaction.atomic
def demo_sources(*, host: str, first_port: int, interval_minutes: int = 2) -> int:
    """Register the replay server's outlets as sources (once); returns how many were added."""
    from loa.devtools.replay import OUTLETS
    from loa.sources.models import Source
    from loa.sources.services import source_create

    added = 0
    for outlet, path, kind, name, tier in REPLAY_SOURCES:
        url = f"http://{host}:{first_port + outlet}{path}"
        if Source.objects.filter(url=url).exists():
            continue
        source_create(
            url=url,
            name=name,
            kind=kind,
            outlet_name=OUTLETS[outlet][1],
            tier=tier,
            interval_minutes=interval_minutes,
        )
        added += 1
    return added


# (name, when to use it, severity, first statement within hours, steps: (title, owner, hours, guidance))
PLAYBOOKS: list[tuple[str, str, str, int, list[tuple[str, str, int, str]]]] = [
    (
        "Thông tin sai sự thật về doanh nghiệp",
        "Báo chí, mạng xã hội đăng tin không đúng sự thật, xuyên tạc về hoạt động, lãnh đạo "
        "hoặc sản phẩm của doanh nghiệp; tin lan nhanh sang nhiều cơ quan báo chí.",
        "high",
        4,
        [
            (
                "Xác minh thông tin, thu thập bằng chứng, báo cáo Thường trực Đảng ủy",
                "Văn phòng Đảng ủy",
                1,
                "Đối chiếu với hồ sơ, số liệu chính thức; lưu bài báo và ảnh chụp màn hình.",
            ),
            (
                "Họp nhóm xử lý khủng hoảng, thống nhất thông điệp chính",
                "Ban Tuyên giáo",
                2,
                "Ba thông điệp chính, số liệu được phép công bố, người phát ngôn.",
            ),
            (
                "Dự thảo thông cáo báo chí, trình lãnh đạo duyệt",
                "Ban Tuyên giáo",
                3,
                "Ngắn gọn, đúng sự thật, không tranh luận; nêu rõ nguồn chính thức.",
            ),
            (
                "Người phát ngôn cung cấp thông tin cho báo chí",
                "Người phát ngôn",
                4,
                "Theo Nghị định 09/2017/NĐ-CP và quy chế phát ngôn của đơn vị.",
            ),
            (
                "Đề nghị cơ quan báo chí cải chính, gỡ bỏ tin sai",
                "Ban Tuyên giáo",
                8,
                "Văn bản gửi tòa soạn, nêu căn cứ theo Luật Báo chí 2016 (Điều 42).",
            ),
            (
                "Theo dõi dư luận 72 giờ, báo cáo kết quả xử lý",
                "Ban Tuyên giáo",
                72,
                "Số bài mới, sắc thái, các trang đã cải chính.",
            ),
        ],
    ),
    (
        "Sự cố an toàn lao động, tai nạn, sự cố kỹ thuật",
        "Tai nạn lao động, cháy nổ, sự cố lưới điện, đường ống hoặc công trình gây thiệt hại, được báo chí đưa tin.",
        "critical",
        2,
        [
            (
                "Nắm tình hình tại hiện trường, báo cáo lãnh đạo",
                "Đơn vị xảy ra sự cố",
                1,
                "Thời gian, địa điểm, thiệt hại về người và tài sản; không suy đoán nguyên nhân.",
            ),
            (
                "Thông tin ban đầu cho báo chí",
                "Người phát ngôn",
                2,
                "Những gì đã biết, việc đang làm để khắc phục, lời chia buồn nếu có thương vong.",
            ),
            (
                "Cập nhật thông tin định kỳ cho báo chí",
                "Ban Tuyên giáo",
                12,
                "Ít nhất một lần mỗi ngày cho tới khi khắc phục xong.",
            ),
            (
                "Công bố nguyên nhân và biện pháp phòng ngừa",
                "Người phát ngôn",
                72,
                "Sau khi có kết luận của cơ quan chức năng.",
            ),
        ],
    ),
    (
        "Phản ánh tiêu cực về giá, chất lượng dịch vụ",
        "Nhiều bài phản ánh về giá, hóa đơn, chất lượng dịch vụ (ví dụ tiền điện tăng cao), "
        "dư luận bức xúc nhưng không có sai phạm rõ ràng.",
        "medium",
        24,
        [
            (
                "Tổng hợp các phản ánh, phân loại nguyên nhân",
                "Ban Tuyên giáo",
                4,
                "Dùng trang câu chuyện và tìm kiếm của Loa.",
            ),
            (
                "Chuẩn bị thông tin giải thích, hỏi – đáp",
                "Đơn vị chuyên môn",
                12,
                "Cách tính, căn cứ pháp lý, kênh hỗ trợ khách hàng.",
            ),
            ("Đăng thông tin giải thích trên trang chính thức", "Người phát ngôn", 24, ""),
            ("Đánh giá dư luận sau một tuần", "Ban Tuyên giáo", 168, "So sánh số bài và tỷ lệ tiêu cực trước và sau."),
        ],
    ),
]


def _demo_alerts(units: dict[str, Unit], *, webhook_url: str) -> None:
    from loa.accounts.scoping import SYSTEM
    from loa.alerts.models import RuleKind
    from loa.alerts.services import rule_save
    from loa.analysis.models import Organisation, SavedQuery
    from loa.incidents.services import StepSpec, playbook_save, spokesperson_save
    from loa.units.services import unit_set_author_may_review

    for name, description, severity, hours, steps in PLAYBOOKS:
        playbook_save(
            user=SYSTEM,
            name=name,
            description=description,
            severity=severity,
            first_response_hours=hours,
            steps=[StepSpec(title, due, owner, guidance) for title, owner, due, guidance in steps],
        )
    # The bloc's spokesperson is registered at the bloc itself: spokespersons speak for their unit
    # and the units below it, so she covers the bloc-level incidents and the board's.
    for code, name, position, channels in [
        (
            "duk",
            "Nguyễn Thị Minh",
            "Trưởng Ban Tuyên giáo và Dân vận, người phát ngôn của Đảng ủy Khối",
            ["press_conference", "interview", "release"],
        ),
        (
            "evn",
            "Trần Văn Hùng",
            "Phó Bí thư Đảng ủy, người phát ngôn",
            ["press_conference", "interview", "release", "website"],
        ),
        ("pvn", "Lê Quang Dũng", "Chánh Văn phòng, người phát ngôn", ["release", "website", "correction"]),
    ]:
        spokesperson_save(
            user=SYSTEM,
            unit=units[code],
            name=name,
            position=position,
            channels=channels,
            authorisation=f"Quyết định số 15-QĐ/{units[code].symbol}",
            valid_from=START,
        )
    # The demo Ban has a single staff member (btg.chuyenvien): nobody else could review the bloc's
    # statements, so the administrator lets their author review them (the four-eyes rule stands
    # for every other unit).
    unit_set_author_may_review(user=SYSTEM, unit=units["duk"], allowed=True)
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    queries = {q.name: q for q in SavedQuery.objects.all()}
    board = "ban-tuyen-giao@duk.example.vn"
    # Each negative article in a major outlet is worth a message; spikes and stories once an hour.
    rules: list[tuple[str, str, str, Organisation | None, SavedQuery | None, dict[str, Any]]] = [
        (
            "EVN: tin tiêu cực trên báo lớn",
            "evn",
            RuleKind.NEGATIVE_PROMINENT,
            organisations["EVN"],
            None,
            {"max_tier": 2, "severity": "high", "escalate_after_minutes": 120, "suppression_minutes": 0},
        ),
        (
            "PVN: tin tiêu cực trên báo lớn",
            "pvn",
            RuleKind.NEGATIVE_PROMINENT,
            organisations["PVN"],
            None,
            {"max_tier": 2, "severity": "high", "suppression_minutes": 0},
        ),
        (
            "Sai phạm, tiêu cực trên báo trung ương",
            "duk",
            RuleKind.NEGATIVE_PROMINENT,
            None,
            queries["Sai phạm, tiêu cực"],
            {"max_tier": 1, "severity": "medium", "suppression_minutes": 0},
        ),
        (
            "Giá điện: số bài tăng đột biến",
            "evn",
            RuleKind.VOLUME_SPIKE,
            None,
            queries["Giá điện, tiền điện"],
            {"window": "hour", "sigma": 3.0, "min_count": 4, "severity": "medium"},
        ),
        (
            "Sai phạm: câu chuyện tiêu cực lan nhanh",
            "duk",
            RuleKind.NEGATIVE_STORY,
            None,
            queries["Sai phạm, tiêu cực"],
            {"story_hours": 6, "story_min_articles": 3, "story_negative_share": 0.5, "severity": "high"},
        ),
    ]
    for name, unit_code, kind, organisation, query, options in rules:
        rule_save(
            name=name,
            unit=units[unit_code],
            kind=kind,
            organisation=organisation,
            saved_query=query,
            emails=board,
            webhook_url=webhook_url,
            **options,
        )


DIGEST_TOPICS = ("Chính trị", "Kinh tế", "Pháp luật")


def _demo_documents(units: dict[str, Unit]) -> None:
    """The board's letterhead and the bloc's morning press review, sent to the demo inbox."""
    from loa.accounts.scoping import SYSTEM
    from loa.analysis import runtime
    from loa.analysis.models import Topic
    from loa.analysis.services import topics_sync
    from loa.digests.services import ProfileData, profile_save
    from loa.reports.services import letterhead_ensure, letterhead_save

    # The taxonomy is the model's; the morning review follows politics, the economy and the law.
    topics_sync(runtime.classifier().models.topic_labels)
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
            topics=list(Topic.objects.filter(name__in=DIGEST_TOPICS)),
        ),
    )


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


def _demo_calendar() -> None:
    from loa.accounts.scoping import SYSTEM
    from loa.events.services import EventData, event_save

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


def seed_path(name: str) -> Path | None:
    """A source document of ../shared/seeds, when the checkout sits beside it (never copied in)."""
    here = Path(__file__).resolve()
    for parent in (*here.parents[3:5], Path("/work")):
        candidate = parent / "shared" / "seeds" / name
        if candidate.is_file():
            return candidate
    return None


def _demo_directives(units: dict[str, Unit]) -> None:
    """Conclusion 60-KL/ĐUK (seed 000) when present, its tasks assigned to the member committees."""
    from loa.accounts.scoping import SYSTEM
    from loa.directives.services import directive_import, task_assign, units_for_tasks

    path = seed_path("000_ffb0d65ba92b0dfc.txt")
    if path is None:
        return
    directive = directive_import(user=SYSTEM, data=path.read_bytes(), filename=path.name, unit=units["duk-btg"])
    deadline = timezone.localdate() + dt.timedelta(days=30)
    items = list(directive.items.all())
    for offset, (item, chosen) in enumerate(zip(items, units_for_tasks([i.body_list for i in items]), strict=True)):
        if chosen:
            task_assign(user=SYSTEM, task=item, units=chosen, deadline=deadline + dt.timedelta(days=15 * offset))


def _demo_plans(units: dict[str, Unit]) -> None:
    """The board's plan for the year, a campaign for each of the next two anniversaries, and an
    award entry from EVN."""
    from loa.accounts.scoping import SYSTEM
    from loa.events.models import Event
    from loa.events.selectors import occurrences
    from loa.plans.services import CampaignData, EntryData, PlanData, campaign_save, entry_save, plan_save

    today = timezone.localdate()
    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=PlanData(
            title=f"Kế hoạch thông tin, tuyên truyền về doanh nghiệp nhà nước năm {today.year}",
            unit=units["duk-btg"],
            first_year=today.year,
            last_year=today.year + 1,
            objectives="Tuyên truyền kịp thời, chính xác về vai trò nòng cốt của doanh nghiệp nhà nước; "
            "chủ động cung cấp thông tin cho báo chí; đấu tranh với thông tin sai lệch.",
            themes="Kết quả sản xuất kinh doanh\nChuyển đổi số, chuyển đổi xanh\nXây dựng Đảng trong doanh nghiệp",
            audiences=["cadres", "members", "workers", "press"],
            channels=["press", "bulletin", "website", "social", "visual"],
            key_messages="Doanh nghiệp nhà nước là lực lượng nòng cốt, dẫn dắt nền kinh tế.",
            owner="Ban Tuyên giáo và Dân vận Đảng ủy Khối",
        ),
    )
    anniversaries = Event.objects.filter(kind__in=["anniversary", "holiday"], year=None)
    coming = [
        o
        for o in occurrences(user=SYSTEM, start=today, end=dt.date(today.year + 1, 12, 31))
        if o.event in anniversaries
    ][:2]
    for occurrence in coming:
        campaign_save(
            user=SYSTEM,
            plan=plan,
            campaign=None,
            data=CampaignData(
                title=f"Tuyên truyền {occurrence.event.title} {occurrence.date.year}",
                event=occurrence.event,
                # Kept inside the plan's years, as the plan requires.
                start=max(occurrence.date - dt.timedelta(days=14), dt.date(today.year, 1, 1)),
                end=min(occurrence.date + dt.timedelta(days=3), dt.date(today.year + 1, 12, 31)),
                channels=["press", "social", "visual"],
                query=occurrence.event.title,
            ),
        )
    entry_save(
        user=SYSTEM,
        entry=None,
        data=EntryData(
            year=today.year,
            unit=units["evn"],
            title="Loạt bài: Công tác xây dựng Đảng gắn với nhiệm vụ bảo đảm điện",
            genre="online",
            outlet="Báo điện tử Đảng Cộng sản Việt Nam",
            published_on=today - dt.timedelta(days=60),
            authors="Nhóm phóng viên",
        ),
    )


def _demo_opinion(units: dict[str, Unit]) -> None:
    """The list of opinion topics; three months of aggregate opinion reports from the bloc's
    committees, one topic rising and a synonym proposed by a unit (for staff to merge); this
    month only EVN has reported so far, a period the synthesis marks as short of reports."""
    from loa.accounts.scoping import SYSTEM
    from loa.opinion.services import Stream, report_save, report_submit, topic_create

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


def _demo_people(units: dict[str, Unit]) -> None:
    """Speakers, propagandists and a press contact who consented; a finished course with certificates."""
    from loa.accounts.scoping import SYSTEM
    from loa.people.services import (
        CourseData,
        PersonData,
        attendance_record,
        certificates_issue,
        course_save,
        enrol,
        person_save,
    )

    today = timezone.localdate()
    roster = [
        ("duk-btg", "speaker", "Nguyễn Minh Tâm", "Trưởng ban Tuyên giáo và Dân vận", "lý luận chính trị, nghị quyết"),
        ("duk-btg", "press", "Lê Thu Hà", "Phóng viên Ban Thời sự, Báo Thử", "doanh nghiệp nhà nước"),
        ("evn", "speaker", "Trần Quốc Việt", "Phó Bí thư Đảng ủy EVN", "năng lượng, giá điện"),
        ("evn", "collaborator", "Phạm Thị Lan", "Chuyên viên Ban Truyền thông", "truyền thông số"),
        ("evn-npc", "propagandist", "Đỗ Văn Hải", "Bí thư Đoàn Thanh niên", "an toàn điện"),
        ("pvn", "speaker", "Hoàng Anh Dũng", "Trưởng ban Tuyên giáo Đảng ủy PVN", "dầu khí, chuyển đổi năng lượng"),
    ]
    people = []
    for code, kind, name, position, fields in roster:
        if code not in units:
            continue
        people.append(
            person_save(
                user=SYSTEM,
                person=None,
                data=PersonData(
                    unit=units[code],
                    kind=kind,
                    full_name=name,
                    position=position,
                    expertise=fields,
                    consent_on=today - dt.timedelta(days=120),
                    consent_note="Phiếu đồng ý cung cấp và xử lý dữ liệu cá nhân, ký khi nhận nhiệm vụ",
                ),
            )
        )
    course = course_save(
        user=SYSTEM,
        course=None,
        data=CourseData(
            unit=units["duk-btg"],
            title="Bồi dưỡng kỹ năng cho báo cáo viên, cộng tác viên",
            topic="Nắm bắt dư luận, xử lý khủng hoảng truyền thông",
            starts_on=today - dt.timedelta(days=30),
            ends_on=today - dt.timedelta(days=29),
            hours=16,
            place="Hội trường Đảng ủy Khối",
        ),
    )
    trainees = [person for person in people if person.kind != "press"]
    enrol(user=SYSTEM, course=course, people=trainees)
    present = set(course.enrolments.exclude(person=trainees[-1]).values_list("pk", flat=True))
    attendance_record(user=SYSTEM, course=course, present=present)
    certificates_issue(user=SYSTEM, course=course)


def _demo_study(units: dict[str, Unit]) -> None:
    """Audiences of every party organisation, a resolution laid out for study, one session held."""
    from loa.accounts.scoping import SYSTEM
    from loa.study.services import (
        LEVEL_OF_KIND,
        StudyPlanData,
        attendance_record,
        audiences_save,
        plan_generate,
        plan_save,
    )

    sizes = {"bloc": (15, 0, 0), "upper": (25, 0, 6), "grassroots": (20, 180, 12), "cell": (3, 14, 1)}
    for unit in units.values():
        level = LEVEL_OF_KIND.get(unit.kind)
        if level is None:
            continue
        cadres, members, new = sizes[level]
        audiences_save(
            user=SYSTEM,
            unit=unit,
            headcounts={"key_cadres": cadres, "members": members, "new_members": new, "candidates": new // 2},
        )
    today = timezone.localdate()
    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=StudyPlanData(
            title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
            unit=units["duk"],
            complete_by=today + dt.timedelta(days=45),
        ),
    )
    plan_generate(user=SYSTEM, plan=plan)
    held = plan.sessions.filter(group="key_cadres", organiser=units["duk"]).first()
    if held is not None:
        counts: dict[int, tuple[int, int | None]] = {
            row.unit_id: (row.expected - 1 if row.expected > 3 else row.expected, None) for row in held.attendees.all()
        }
        attendance_record(user=SYSTEM, session=held, held_on=today - dt.timedelta(days=7), counts=counts)


def _demo_evaluation(units: dict[str, Unit]) -> None:
    """This year's round opened by the bloc; EVN has assessed itself from the evidence."""
    from loa.accounts.scoping import SYSTEM
    from loa.evaluation.services import DEFAULT_CRITERIA, RoundData, round_open, self_assess

    year = timezone.localdate().year
    round_ = round_open(
        user=SYSTEM,
        unit=units["duk"],
        data=RoundData(
            year=year,
            title=f"Đánh giá, xếp loại công tác thông tin, tuyên truyền năm {year}",
            commendation="Giấy khen của Ban Thường vụ Đảng ủy Khối",
        ),
        criteria=DEFAULT_CRITERIA,
    )
    evaluation = round_.evaluations.filter(unit=units["evn"]).first()
    if evaluation is not None:
        points = {
            score.pk: score.suggested if score.suggested is not None else score.criterion.max_points * 9 / 10
            for score in evaluation.scores.select_related("criterion")
        }
        self_assess(user=SYSTEM, evaluation=evaluation, points=points, tasks_exceeded=0, comment="Bản tự đánh giá mẫu.")
