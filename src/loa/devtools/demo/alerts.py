"""Demo data: incident playbooks, spokespersons and alert rules."""

from __future__ import annotations

from typing import Any

from loa.accounts.scoping import SYSTEM
from loa.alerts.models import RuleKind
from loa.alerts.services import rule_save
from loa.analysis.models import Organisation, SavedQuery
from loa.devtools.demo.units import START
from loa.incidents.services import StepSpec, playbook_save, spokesperson_save
from loa.units.models import Unit
from loa.units.services import unit_set_author_may_review

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


def load(units: dict[str, Unit], *, webhook_url: str) -> None:

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
        (
            # The demo's forum thread reaches a prominent outlet, then the fanpage (loa up --demo).
            "EVN: từ mạng xã hội, diễn đàn lên báo",
            "evn",
            RuleKind.CROSSOVER,
            organisations["EVN"],
            None,
            {"max_tier": 1, "severity": "high", "suppression_minutes": 0},
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
