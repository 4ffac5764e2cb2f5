"""Demo data: organisations to monitor and the saved searches of the bloc."""

from __future__ import annotations

from loa.analysis.services import organisation_save, saved_query_save
from loa.units.models import Unit

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


def load(units: dict[str, Unit]) -> None:

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
