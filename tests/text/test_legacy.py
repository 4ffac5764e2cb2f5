"""Legacy encodings (TCVN3, VNI, VIQR) are detected and converted; other text is not."""

from __future__ import annotations

import pytest

from loa.text import normalize
from loa.text.legacy import detect, tcvn3_to_unicode, viqr_to_unicode, vni_to_unicode

UNICODE = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Người dân đồng tình với chủ trương."
TCVN3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. Ng\u00adêi d©n ®ång t×nh víi chñ tr\u00ad¬ng."
VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc. Ngöôøi daân ñoàng tình vôùi chuû tröông."
VIQR = (
    "Co^.ng ho`a xa~ ho^.i chu? nghi~a Vie^.t Nam. DDo^.c la^.p - Tu+. do - Ha.nh phu'c. "
    "Ngu+o+`i da^n ddo^`ng ti`nh vo+'i chu? tru+o+ng."
)


def test_converters() -> None:
    assert tcvn3_to_unicode(TCVN3) == UNICODE
    assert vni_to_unicode(VNI) == UNICODE
    assert viqr_to_unicode(VIQR) == UNICODE


@pytest.mark.parametrize(("text", "encoding"), [(TCVN3, "tcvn3"), (VNI, "vni"), (VIQR, "viqr"), (UNICODE, None)])
def test_detection(text: str, encoding: str | None) -> None:
    assert detect(text) == encoding


@pytest.mark.parametrize("legacy", [TCVN3, VNI, VIQR])
def test_normalize_converts_legacy_text(legacy: str) -> None:
    assert normalize(legacy) == UNICODE


def test_tcvn3_capitals_drawn_by_h_fonts_are_restored() -> None:
    # .VnTimeH headings use the lower-case codes with capital ASCII letters around them.
    assert normalize("§¶NG CéNG S¶N VIÖT NAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_only_the_legacy_line_of_a_mixed_document_is_converted() -> None:
    mixed = f"Bản tin hôm nay về công tác tuyên truyền của Đảng ủy.\n{TCVN3}"
    assert normalize(mixed) == f"Bản tin hôm nay về công tác tuyên truyền của Đảng ủy.\n{UNICODE}"


@pytest.mark.parametrize(
    "text",
    [
        "Hello? Is this English. Yes, it is (really) 'quoted' ~approx~ a^2 + b^2 = c^2.",
        "EVN tăng giá điện 3% từ ngày 11/10; PV GAS báo lãi.",
        "Café, naïve, façade, Müller, søster, ½ kg, ©2021 ®",
        "Giá: 1.000.000 đ ± 5% — mục (a), (b); tiêu chí số 3.",
    ],
)
def test_text_that_is_not_legacy_passes_through(text: str) -> None:
    assert detect(text) is None
    assert normalize(text).split() == text.split()


def test_viqr_question_mark_ends_a_sentence() -> None:
    assert viqr_to_unicode("Ba.n ddi dda^u? To^i o+? nha`.") == "Bạn đi đâu? Tôi ở nhà."
