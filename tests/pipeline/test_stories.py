"""Grouping articles into stories, on synthetic texts: the pure core the service and the
benchmark share."""

from __future__ import annotations

from loa.pipeline import stories

IDF: dict[str, float] = {"ha": 2.0, "noi": 2.0, "chay": 3.0, "gia": 2.5, "tang": 2.5}


def _vector(title: str, lead: str, body: str = "") -> dict[str, float]:
    return stories.vector(title, lead, body, IDF, 8.0)


FIRE = [
    _vector(
        "Cháy lớn tại chợ Đồng Xuân",
        "Rạng sáng 12/3, đám cháy bùng phát tại chợ Đồng Xuân (quận Hoàn Kiếm, Hà Nội), thiêu rụi 120 ki-ốt.",
        "Cảnh sát phòng cháy chữa cháy điều 20 xe chữa cháy tới hiện trường, khống chế ngọn lửa sau ba giờ.",
    ),
    _vector(
        "Hà Nội: 120 ki-ốt chợ Đồng Xuân bị thiêu rụi",
        "Vụ cháy chợ Đồng Xuân ở quận Hoàn Kiếm rạng sáng nay đã thiêu rụi 120 ki-ốt của tiểu thương.",
        "Khoảng 20 xe chữa cháy được huy động; chưa có thiệt hại về người.",
    ),
    _vector(
        "Tiểu thương chợ Đồng Xuân trắng tay sau đám cháy",
        "Sau vụ cháy rạng sáng 12/3 tại chợ Đồng Xuân, Hoàn Kiếm, nhiều tiểu thương mất toàn bộ hàng hóa.",
        "Đám cháy thiêu rụi 120 ki-ốt; cảnh sát phòng cháy chữa cháy đang điều tra nguyên nhân.",
    ),
]
OTHER_FIRE = _vector(
    "Cháy xưởng gỗ ở Bình Dương",
    "Đêm 12/3, một xưởng gỗ tại thị xã Thuận An, Bình Dương bốc cháy dữ dội.",
    "Cảnh sát phòng cháy chữa cháy điều 8 xe tới hiện trường, ngọn lửa được dập tắt sau hai giờ.",
)
GOLD = _vector(
    "Giá vàng tăng mạnh phiên sáng",
    "Sáng 12/3, giá vàng SJC tăng 200 nghìn đồng mỗi lượng so với cuối phiên trước.",
    "Giá vàng thế giới cũng nhích lên do đồng USD suy yếu.",
)


def test_articles_on_one_event_form_one_story_and_others_stay_apart() -> None:
    assigned = stories.group([FIRE[0], GOLD, FIRE[1], OTHER_FIRE, FIRE[2]])
    assert assigned[0] == assigned[2] == assigned[4]
    assert len({assigned[0], assigned[1], assigned[3]}) == 3


def test_grouping_depends_on_content_not_on_who_came_first() -> None:
    first = stories.group([FIRE[2], FIRE[1], FIRE[0], GOLD])
    assert first[0] == first[1] == first[2] != first[3]


def test_a_lone_article_is_its_own_story() -> None:
    assert stories.group([GOLD]) == [0]
    assert stories.group([]) == []


def test_figures_are_terms_with_their_separators_removed() -> None:
    assert "13000" in stories.tokens("Syria bị tố treo cổ 13.000 tù nhân")
    assert "7365" in stories.tokens("trích 736,5 tỷ đồng")
    assert "5" not in stories.tokens("ngày 5 tháng 7")  # one digit says nothing about an event


def test_best_story_needs_the_threshold_and_prefers_the_closest() -> None:
    assert stories.best_story(FIRE[0], [("gold", GOLD)]) is None
    assert stories.best_story(FIRE[0], [("gold", GOLD), ("fire", FIRE[1])]) == "fire"


def test_index_terms_are_the_heaviest_and_stable() -> None:
    weights = {"b": 0.5, "a": 0.5, "c": 0.9}
    assert stories.index_terms(weights) == ["c", "a", "b"]
