"""The study planner on generated unit trees: every audience group of every unit in exactly one
session at the right level — no overlap, no gap — and the check catches a plan that breaks it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loa.study.planner import LEVELS, Node, PlanError, Session, plan, verify

GROUPS = ("key_cadres", "members", "new_members", "non_members")


@st.composite
def trees(draw: st.DrawFn) -> list[Node]:
    """A bloc with committees, grassroots units and cells below it, in any shape the real tree
    can take (cells straight under a committee or the bloc included)."""
    size = draw(st.integers(min_value=1, max_value=40))
    nodes = [Node(id=0, parent=None, level="bloc", groups=frozenset(draw(st.sets(st.sampled_from(GROUPS)))))]
    for unit in range(1, size):
        parent = draw(st.sampled_from(nodes))
        below = LEVELS[LEVELS.index(parent.level) + 1 :] or (LEVELS[-1],)
        level = draw(st.sampled_from(below))
        groups = frozenset(draw(st.sets(st.sampled_from(GROUPS))))
        nodes.append(Node(id=unit, parent=parent.id, level=level, groups=groups))
    return nodes


rules_strategy = st.fixed_dictionaries({group: st.sampled_from(LEVELS) for group in GROUPS})


@settings(max_examples=300)
@given(trees(), rules_strategy)
def test_every_group_of_every_unit_in_exactly_one_session(nodes: list[Node], rules: dict[str, str]) -> None:
    result = plan(nodes, rules)
    proof = verify(nodes, result, rules)
    assert proof.ok, proof
    for node in nodes:
        for group in node.groups:
            session = result.session_of(node.id, group)
            assert session is not None
            assert session.group == group
    # Deterministic: the same tree and rules give the same sessions.
    assert plan(list(reversed(nodes)), rules).sessions == result.sessions


@given(trees(), rules_strategy, st.data())
def test_the_check_catches_a_gap_an_overlap_and_a_misplaced_group(
    nodes: list[Node], rules: dict[str, str], data: st.DataObject
) -> None:
    result = plan(nodes, rules)
    pairs = [(session, pair) for session, attendees in result.sessions.items() for pair in attendees]
    if not pairs:
        return
    session, pair = data.draw(st.sampled_from(pairs))
    # A gap: the pair dropped from its session.
    result.sessions[session] = [other for other in result.sessions[session] if other != pair]
    assert pair in verify(nodes, result, rules).gaps
    # An overlap: the pair in its session and in a second one.
    result.sessions[session].append(pair)
    extra = Session(organiser=pair[0], level="elsewhere", group=pair[1])
    result.sessions[extra] = [pair]
    proof = verify(nodes, result, rules)
    assert (pair[0], pair[1], 2) in proof.overlaps
    assert pair in proof.misplaced


def test_a_real_shape() -> None:
    # Bloc (0) → EVN committee (1) → grassroots (2) → cell (3); PVN committee (4) → cell (5).
    nodes = [
        Node(0, None, "bloc", frozenset({"key_cadres"})),
        Node(1, 0, "upper", frozenset({"key_cadres", "members"})),
        Node(2, 1, "grassroots", frozenset({"members", "new_members"})),
        Node(3, 2, "cell", frozenset({"members"})),
        Node(4, 0, "upper", frozenset({"key_cadres", "members"})),
        Node(5, 4, "cell", frozenset({"members"})),
    ]
    rules = {"key_cadres": "bloc", "members": "grassroots", "new_members": "upper"}
    result = plan(nodes, rules)
    assert verify(nodes, result, rules).ok
    # Key cadres of the bloc and of both committees study together at the bloc.
    assert result.sessions[Session(0, "bloc", "key_cadres")] == [
        (0, "key_cadres"),
        (1, "key_cadres"),
        (4, "key_cadres"),
    ]
    # Members study in their grassroots unit: the cell under EVN's grassroots committee goes there.
    assert result.session_of(3, "members") == Session(2, "grassroots", "members")
    # New members at the committee above them.
    assert result.session_of(2, "new_members") == Session(1, "upper", "new_members")
    # A committee's own members have no grassroots unit on their path: they study in the
    # committee itself, and the plan declares the exception.
    assert result.session_of(1, "members") == Session(1, "upper", "members")
    assert (1, "members", "upper") in result.fallbacks
    assert (2, "members", "grassroots") not in result.fallbacks
    # PVN's cell has no grassroots committee above it: it studies in the cell, declared.
    assert result.session_of(5, "members") == Session(5, "cell", "members")
    assert (5, "members", "cell") in result.fallbacks


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(PlanError, match="no rule"):
        plan([Node(0, None, "bloc", frozenset({"members"}))], {})
    with pytest.raises(PlanError, match="unknown level"):
        plan([Node(0, None, "bloc", frozenset())], {"members": "province"})
    with pytest.raises(PlanError, match="cycle"):
        plan([Node(0, 1, "bloc", frozenset({"members"})), Node(1, 0, "upper", frozenset())], {"members": "bloc"})
    with pytest.raises(PlanError, match="unknown ancestor"):
        plan([Node(0, 9, "bloc", frozenset({"members"}))], {"members": "bloc"})
