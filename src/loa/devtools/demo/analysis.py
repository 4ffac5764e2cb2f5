"""Demo data: the bloc's monitored organisations (with their member companies, tickers and
look-alike phrases, from the seed file) and the saved searches of the bloc."""

from __future__ import annotations

from loa.analysis.services import organisations_import, organisations_seed_data, saved_query_save
from loa.units.models import Unit


def load(units: dict[str, Unit]) -> None:
    # An organisation of the seed whose enterprise has a demo unit is followed by that unit's
    # staff; the others (Viettel, the banks outside the demo tree, the airline) bloc-wide.
    data = organisations_seed_data()
    organisations_import(data=data, units={entry["key"]: units.get(entry["key"]) for entry in data})
    saved_query_save(name="Giá điện, tiền điện", query='"giá điện" OR "tiền điện" OR "hóa đơn điện"', unit=units["evn"])
    saved_query_save(name="Doanh nghiệp nhà nước", query='"doanh nghiệp nhà nước" OR "vốn nhà nước"', unit=units["duk"])
    saved_query_save(
        name="Sai phạm, tiêu cực",
        query='"sai phạm" OR "tham nhũng" OR "tiêu cực" OR "khởi tố" OR "vi phạm"',
        unit=units["duk"],
    )
