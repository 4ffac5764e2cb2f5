"""Demo data: this year's evaluation round, with EVN's self-assessment."""

from __future__ import annotations

from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.evaluation.services import DEFAULT_CRITERIA, RoundData, round_open, self_assess
from loa.units.models import Unit


def load(units: dict[str, Unit]) -> None:
    """This year's round opened by the bloc; EVN has assessed itself from the evidence."""

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
