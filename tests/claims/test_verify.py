"""The verification core: what became of an item after a request, from a new fetch."""

from __future__ import annotations

import datetime as dt

from loa.pipeline.verify import (
    CORRECTED,
    EDITED,
    REMOVED,
    UNCHANGED,
    UNREACHABLE,
    Verdict,
    correction_notices,
    verify,
    word_diff,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
URL = "https://baothu.vn/bai-viet/tong-cong-ty-lap-khong-dung.html"
TITLE = "Tổng công ty Lắp máy bị tố báo cáo sai lợi nhuận năm 2025"
PARAGRAPHS = [
    "Theo một số nguồn tin, Tổng công ty Lắp máy đã báo cáo lợi nhuận năm 2025 cao hơn thực tế hàng trăm tỷ đồng "
    "để che giấu khoản thua lỗ tại các dự án nhiệt điện ở miền Trung.",
    "Bài viết dẫn lời một người tự nhận là cựu nhân viên cho rằng số liệu đã được chỉnh sửa trước khi công bố, "
    "tuy nhiên không đưa ra tài liệu nào chứng minh cho nhận định này.",
    "Báo cáo tài chính hợp nhất đã kiểm toán của tổng công ty được công bố công khai trên cổng thông tin điện tử "
    "vào cuối tháng Ba, trong đó ghi nhận lợi nhuận sau thuế tăng nhẹ so với năm trước.",
    "Đại diện tổng công ty cho biết đơn vị luôn chấp hành nghiêm các quy định về công bố thông tin "
    "và sẵn sàng cung cấp hồ sơ cho cơ quan có thẩm quyền khi được yêu cầu.",
]


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<nav><a href="/">Trang chủ</a></nav><main><article><h1>{title}</h1>'
        f'<div class="content-detail">{body}</div></article></main><footer>Báo Thử</footer></body></html>'
    )


ORIGINAL = TITLE + "\n" + "\n".join(PARAGRAPHS)


def check(status: int | None, html: str = "") -> Verdict:
    return verify(original=ORIGINAL, status=status, html=html, url=URL, now=NOW)


def test_the_same_page_is_unchanged() -> None:
    verdict = check(200, page(TITLE, PARAGRAPHS))
    assert verdict.outcome == UNCHANGED
    assert verdict.diff == []
    assert verdict.kept == 1.0
    assert len(verdict.text_sha256) == 64


def test_gone_statuses_mean_removed_and_failures_unreachable() -> None:
    assert check(410).outcome == REMOVED
    assert check(404).outcome == REMOVED
    assert check(None).outcome == UNREACHABLE
    assert check(503).outcome == UNREACHABLE
    assert check(403).outcome == UNREACHABLE


def test_a_page_that_no_longer_holds_the_text_is_removed() -> None:
    other = [
        "Công đoàn Tổng công ty tổ chức giải bóng đá công nhân chào mừng ngày thành lập ngành xây dựng, "
        "thu hút mười sáu đội bóng đến từ các đơn vị thành viên trên cả nước tham dự.",
        "Ban tổ chức cho biết giải đấu diễn ra trong hai tuần tại sân vận động của thành phố, "
        "các trận chung kết sẽ được truyền hình trực tiếp trên kênh thể thao của đài địa phương.",
    ]
    verdict = check(200, page("Giải bóng đá công nhân", other))
    assert verdict.outcome == REMOVED
    assert verdict.kept is not None
    assert verdict.kept < 0.2
    assert check(200, "<html><body><p>Trang chủ</p></body></html>").outcome == REMOVED


def test_changed_words_make_an_edit_with_its_runs() -> None:
    edited = [PARAGRAPHS[0].replace("cao hơn thực tế hàng trăm tỷ đồng", "thấp hơn kế hoạch"), *PARAGRAPHS[1:]]
    verdict = check(200, page(TITLE, edited))
    assert verdict.outcome == EDITED
    changes = [run for run in verdict.diff if run[0] != "="]
    assert changes == [["-", "cao hơn thực tế hàng trăm tỷ đồng"], ["+", "thấp hơn kế hoạch"]]
    assert verdict.diff[0] == ["=", "… lợi nhuận năm 2025"]


def test_a_correction_notice_is_a_correction() -> None:
    note = "Ghi chú của Tòa soạn: bài viết đã được chỉnh sửa, tòa soạn xin lỗi bạn đọc và đơn vị liên quan."
    verdict = check(200, page(TITLE, [*PARAGRAPHS, note]))
    assert verdict.outcome == CORRECTED
    assert "ghi chú của tòa soạn" in verdict.detail
    assert [run for run in verdict.diff if run[0] == "+"] == [["+", note]]


def test_correction_phrases_are_matched_whatever_the_spelling() -> None:
    assert correction_notices("ĐÍNH CHÍNH: số liệu tại đoạn hai") == ["đính chính"]
    assert correction_notices("Ghi chú của toà soạn") == ["ghi chú của tòa soạn", "ghi chú của toà soạn"]
    assert correction_notices("chính đính") == []


def test_spacing_and_punctuation_are_not_edits() -> None:
    assert word_diff("Lợi nhuận tăng, nhẹ.", "Lợi  nhuận tăng nhẹ") == []
    assert word_diff("hoà bình", "hòa bình") == []


def test_a_page_read_again_and_again_stays_unchanged() -> None:
    """The extractor's process-wide deduplication would drop paragraphs seen thrice: a page
    checked daily by one worker must not look removed on the third day."""
    html = page(TITLE, PARAGRAPHS)
    assert [check(200, html).outcome for _ in range(5)] == [UNCHANGED] * 5
