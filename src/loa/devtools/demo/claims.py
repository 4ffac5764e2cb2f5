"""Demo data: two false claims in the register, each with its rule and examples, and an approved
argument against the first, so a newcomer sees the register, the library and proposed matches
as coverage arrives."""

from __future__ import annotations

from loa.accounts.scoping import SYSTEM
from loa.analysis.models import Organisation
from loa.claims.rebuttals import EvidenceSpec, rebuttal_approve, rebuttal_review, rebuttal_save
from loa.claims.services import ClaimInput, claim_save
from loa.units.models import Unit

# (unit, organisation short name, title, what it says, why false, rule, examples)
CLAIMS: list[tuple[str, str, str, str, str, str, list[str]]] = [
    (
        "evn",
        "EVN",
        "EVN lãi lớn vẫn tăng giá điện",
        "Tập đoàn Điện lực Việt Nam lãi lớn nhưng vẫn tăng giá điện, đẩy gánh nặng lên người dân.",
        "Giá bán lẻ điện bình quân được điều chỉnh theo cơ chế do Thủ tướng Chính phủ quy định, có sự "
        "kiểm tra của Bộ Công Thương; lợi nhuận của một năm không bù được khoản lỗ lũy kế của các năm trước.",
        '"giá điện" AND ("lãi lớn" OR "lãi khủng" OR "lợi nhuận kỷ lục")',
        [
            "EVN lãi lớn nhưng vẫn tăng giá điện, người dân phải gánh thêm tiền điện.",
            "Tập đoàn Điện lực báo lãi hàng nghìn tỷ đồng mà giá điện vẫn tăng, mọi chi phí đổ lên đầu "
            "người tiêu dùng.",
        ],
    ),
    (
        "pvn",
        "PVN",
        "Dầu khí bán rẻ tài sản cho nước ngoài",
        "Tập đoàn Dầu khí Việt Nam bán rẻ tài sản, cổ phần của các đơn vị thành viên cho nhà đầu tư nước "
        "ngoài, gây thất thoát tài sản nhà nước.",
        "Việc thoái vốn, bán cổ phần được thực hiện theo phương án được cấp có thẩm quyền phê duyệt, đấu giá "
        "công khai trên Sở Giao dịch Chứng khoán với giá khởi điểm theo kết quả thẩm định giá độc lập.",
        '("Dầu khí" OR PVN OR Petrovietnam) AND ("bán rẻ" OR "giá bèo" OR "bán tháo")',
        [
            "Tập đoàn Dầu khí Việt Nam đã bán rẻ cổ phần các công ty thành viên cho nhà đầu tư nước ngoài, "
            "gây thất thoát hàng nghìn tỷ đồng tài sản nhà nước.",
            "Tài sản dầu khí của đất nước bị bán với giá bèo cho tư bản ngoại, lợi ích nhóm đứng sau các "
            "thương vụ thoái vốn.",
        ],
    ),
]


def load(units: dict[str, Unit]) -> None:
    for code, organisation, title, statement, why_false, rule, examples in CLAIMS:
        claim = claim_save(
            user=SYSTEM,
            data=ClaimInput(
                unit=units[code],
                title=title,
                statement=statement,
                why_false=why_false,
                organisations=list(Organisation.objects.filter(short_name=organisation)),
                query=rule,
                examples=examples,
            ),
        )
        if code == "evn":
            version = rebuttal_save(
                user=SYSTEM,
                claim=claim,
                title="Giá điện điều chỉnh theo cơ chế của Nhà nước, không theo lợi nhuận của một năm",
                text="Giá bán lẻ điện bình quân chỉ được điều chỉnh theo cơ chế do Thủ tướng Chính phủ quy "
                "định, khi chi phí đầu vào thay đổi, và được Bộ Công Thương kiểm tra. Lợi nhuận của một năm "
                "sản xuất kinh doanh không bù đắp được khoản lỗ lũy kế của những năm trước; EVN công bố công "
                "khai báo cáo tài chính đã kiểm toán.",
                evidence=[
                    EvidenceSpec(
                        kind="figure",
                        description="Cơ chế điều chỉnh giá bán lẻ điện bình quân",
                        reference="Quyết định số 05/2024/QĐ-TTg của Thủ tướng Chính phủ",
                    ),
                ],
            )
            rebuttal_approve(user=SYSTEM, version=rebuttal_review(user=SYSTEM, version=version))
