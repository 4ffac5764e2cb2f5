"""Scoped reads on a large unit tree: the query every page runs through selectors."""

from __future__ import annotations

import datetime as dt

from bench.table import Row, percentiles, time_calls
from loa.accounts.scoping import Actor


def run(*, quick: bool) -> list[Row]:
    from bench.django_env import setup

    setup()
    from loa.accounts.models import Role
    from loa.accounts.services import user_create
    from loa.units.models import Unit, UnitKind
    from loa.units.selectors import unit_list, unit_tree
    from loa.units.services import unit_create

    committees, per_committee = (20, 10) if quick else (60, 40)
    start = dt.date(2020, 1, 1)
    bloc = unit_create(code="bench-bloc", name="Khối", short_name="Khối", kind=UnitKind.BLOC, valid_from=start)
    first = None
    for c in range(committees):
        committee = unit_create(
            code=f"bench-c{c}",
            name=f"Đảng ủy {c}",
            short_name=f"ĐU {c}",
            kind=UnitKind.COMMITTEE,
            parent=bloc,
            valid_from=start,
        )
        first = first or committee
        for g in range(per_committee):
            unit_create(
                code=f"bench-c{c}-g{g}",
                name=f"Chi bộ {c}.{g}",
                short_name=f"CB {c}.{g}",
                kind=UnitKind.CELL,
                parent=committee,
                valid_from=start,
            )
    assert first is not None
    staff = user_create(username="bench-staff", role=Role.UNIT_STAFF, unit=first, password=None)
    bloc_staff = user_create(username="bench-bloc", role=Role.BLOC_STAFF, unit=bloc, password=None)
    total = Unit.objects.count()
    rows = []
    for label, user in (
        ("unit staff (own subtree)", staff),
        ("bloc staff (all units)", bloc_staff),
    ):

        def read(reader: Actor = user) -> object:
            return list(unit_list(user=reader))

        p50, p95 = percentiles(time_calls(read, repeat=30))
        rows.append(Row("scoping", f"unit_list p50, {label}", p50, "ms", f"{total} units"))
        rows.append(Row("scoping", f"unit_list p95, {label}", p95, "ms", f"{total} units"))
    p50, _ = percentiles(time_calls(lambda: unit_tree(user=bloc_staff), repeat=10))
    rows.append(Row("scoping", "unit_tree p50, bloc staff", p50, "ms", f"{total} units"))
    return rows
