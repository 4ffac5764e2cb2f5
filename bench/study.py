"""The study planner on a large bloc: laying out and proving a plan for every group of every
unit (plain Python, no database), the work behind "Lay out the sessions"."""

from __future__ import annotations

import random

from bench.table import Row, percentiles, time_calls
from loa.study.planner import DEFAULT_RULES, Node, plan, verify


def _bloc(committees: int, grassroots: int, cells: int) -> list[Node]:
    rng = random.Random(9)
    groups = ("key_cadres", "members", "new_members", "candidates")
    nodes = [Node(1, None, "bloc", frozenset({"key_cadres"}))]
    next_id = 2
    for _c in range(committees):
        committee = next_id
        nodes.append(Node(committee, 1, "upper", frozenset({"key_cadres", "new_members"})))
        next_id += 1
        for _g in range(grassroots):
            grassroot = next_id
            nodes.append(Node(grassroot, committee, "grassroots", frozenset(rng.sample(groups, 3))))
            next_id += 1
            for _k in range(cells):
                nodes.append(Node(next_id, grassroot, "cell", frozenset(rng.sample(groups, 2))))
                next_id += 1
        # A cell straight under the committee: its members fall back to the cell itself.
        nodes.append(Node(next_id, committee, "cell", frozenset({"members"})))
        next_id += 1
    return nodes


def run(*, quick: bool) -> list[Row]:
    shape = (10, 5, 4) if quick else (40, 12, 8)
    nodes = _bloc(*shape)
    detail = f"{len(nodes)} units ({shape[0]} committees × {shape[1]} grassroots × {shape[2]} cells)"
    result = plan(nodes, DEFAULT_RULES)
    assert verify(nodes, result, DEFAULT_RULES).ok
    rows = []
    p50, p95 = percentiles(time_calls(lambda: plan(nodes, DEFAULT_RULES), repeat=5))
    rows.append(Row("study", "plan, p50", p50, "ms", f"{detail}, {len(result.sessions)} sessions"))
    rows.append(Row("study", "plan, p95", p95, "ms", detail))
    p50, _p95 = percentiles(time_calls(lambda: verify(nodes, result, DEFAULT_RULES), repeat=5))
    rows.append(Row("study", "verify (the proof), p50", p50, "ms", detail))
    return rows
