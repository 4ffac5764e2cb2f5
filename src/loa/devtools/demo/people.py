"""Demo data: a trained roster: people, courses, attendance and certificates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

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
from loa.units.models import Unit


def load(units: dict[str, Unit]) -> None:
    """Speakers, propagandists and a press contact who consented; a finished course with certificates."""

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
