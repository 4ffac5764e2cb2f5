"""Units and the test tree of units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loa.units.models import Unit, UnitKind
from loa.units.services import unit_create
from tests.factories.base import START, next_number


def make_unit(
    name: str | None = None,
    *,
    parent: Unit | None = None,
    kind: str = UnitKind.COMMITTEE,
    symbol: str = "ĐU",
    valid_from: dt.date = START,
    code: str | None = None,
) -> Unit:
    number = next_number()
    name = name or f"Đảng ủy đơn vị {number}"
    return unit_create(
        code=code or f"unit-{number}",
        name=name,
        short_name=name.replace("Đảng ủy ", "ĐU "),
        kind=kind,
        symbol=symbol,
        parent=parent,
        valid_from=valid_from,
    )


@dataclass
class Tree:
    """bloc → (evn → evn_a, evn_b), (pvn → pvn_a), board."""

    bloc: Unit
    board: Unit
    evn: Unit
    evn_a: Unit
    evn_b: Unit
    pvn: Unit
    pvn_a: Unit

    @property
    def evn_subtree(self) -> set[int]:
        return {self.evn.pk, self.evn_a.pk, self.evn_b.pk}


def make_tree() -> Tree:
    bloc = make_unit("Đảng ủy Khối Thử nghiệm", kind=UnitKind.BLOC, symbol="ĐUK")
    board = make_unit("Ban Tuyên giáo Đảng ủy Khối", parent=bloc, kind=UnitKind.BOARD, symbol="BTG")
    evn = make_unit("Đảng ủy Tập đoàn Điện lực", parent=bloc)
    evn_a = make_unit("Đảng ủy Điện lực miền Bắc", parent=evn, kind=UnitKind.GRASSROOTS)
    evn_b = make_unit("Chi bộ Truyền thông", parent=evn, kind=UnitKind.CELL, symbol="CB")
    pvn = make_unit("Đảng ủy Tập đoàn Dầu khí", parent=bloc)
    pvn_a = make_unit("Đảng ủy Tổng công ty Khí", parent=pvn, kind=UnitKind.GRASSROOTS)
    return Tree(bloc=bloc, board=board, evn=evn, evn_a=evn_a, evn_b=evn_b, pvn=pvn, pvn_a=pvn_a)
