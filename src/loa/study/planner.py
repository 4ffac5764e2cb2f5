"""Who studies a resolution where: every audience group of every unit assigned to exactly one
study session at the level the rules set, with a check that proves no overlap and no gap.

Seed 003 asks to "classify which audience studies which resolution at which level to avoid
overlap". The rules map each audience group to the level that organises its study (key cadres
at the bloc, party members at the grassroots, …). A group of a unit is served by the nearest
organiser at that level above it (or the unit itself); when the tree has no such organiser on
the unit's path (a cell straight under a committee, say), the nearest organiser at the next
level down the path serves it instead, and the plan says so, so nobody is left out.

Plain Python, no Django: the planner runs on any tree, and the property tests generate trees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Levels from the top: the bloc, the committees directly under it (cấp trên cơ sở), the
# grassroots committees (cơ sở), and the party cells, which organise only what no one above does.
LEVELS = ("bloc", "upper", "grassroots", "cell")

# The usual practice: key cadres study at a conference of the bloc committee, new members and
# outstanding non-members in classes of the committees directly under it, party members at
# their grassroots committee. Each study plan keeps its own copy to change.
DEFAULT_RULES = {"key_cadres": "bloc", "members": "grassroots", "new_members": "upper", "candidates": "upper"}


@dataclass(frozen=True)
class Node:
    id: int
    parent: int | None
    level: str  # one of LEVELS
    groups: frozenset[str]  # audience groups the unit has members in


@dataclass(frozen=True)
class Session:
    organiser: int  # the unit that holds it
    level: str
    group: str


@dataclass
class Plan:
    # Each session with the (unit, group) pairs that attend it: what will actually be held.
    sessions: dict[Session, list[tuple[int, str]]]
    fallbacks: list[tuple[int, str, str]] = field(default_factory=list)  # (unit, group, level used)

    def session_of(self, unit: int, group: str) -> Session | None:
        for session, attendees in self.sessions.items():
            if (unit, group) in attendees:
                return session
        return None


class PlanError(ValueError):
    pass


def _path(nodes: Mapping[int, Node], unit: int) -> list[Node]:
    """The unit and its ancestors, nearest first; a cycle is an error, not a hang."""
    path = []
    seen = set()
    current: int | None = unit
    while current is not None:
        if current in seen:
            raise PlanError(f"the unit tree has a cycle through {current}")
        seen.add(current)
        node = nodes.get(current)
        if node is None:
            raise PlanError(f"unit {unit} has an unknown ancestor {current}")
        path.append(node)
        current = node.parent
    return path


def plan(nodes: Iterable[Node], rules: Mapping[str, str]) -> Plan:
    """`rules` maps each audience group to the level that organises its study."""
    by_id = {node.id: node for node in nodes}
    for group, level in rules.items():
        if level not in LEVELS:
            raise PlanError(f"group {group!r}: unknown level {level!r}")
    sessions: dict[tuple[int, str], Session] = {}
    attendees: dict[Session, list[tuple[int, str]]] = defaultdict(list)
    fallbacks = []
    for node in sorted(by_id.values(), key=lambda node: node.id):
        path = _path(by_id, node.id)
        for group in sorted(node.groups):
            if group not in rules:
                raise PlanError(f"no rule says at which level {group!r} studies")
            wanted = rules[group]
            organiser = next((ancestor for ancestor in path if ancestor.level == wanted), None)
            level = wanted
            if organiser is None:
                # Nearest organiser at a level below the wanted one, so that the group studies
                # as close as possible to where the rule puts it; the unit itself at worst.
                below = LEVELS[LEVELS.index(wanted) + 1 :]
                organiser = next((ancestor for ancestor in reversed(path) if ancestor.level in below), node)
                level = organiser.level
                fallbacks.append((node.id, group, level))
            key = (organiser.id, group)
            session = sessions.setdefault(key, Session(organiser=organiser.id, level=level, group=group))
            attendees[session].append((node.id, group))
    ordered = sorted(attendees, key=lambda session: (session.organiser, session.group))
    return Plan(sessions={session: attendees[session] for session in ordered}, fallbacks=fallbacks)


@dataclass
class Proof:
    gaps: list[tuple[int, str]]  # (unit, group) in no session
    overlaps: list[tuple[int, str, int]]  # (unit, group, how many sessions)
    misplaced: list[tuple[int, str]]  # served outside the unit's path, or at the wrong level
    empty_sessions: list[Session]

    @property
    def ok(self) -> bool:
        return not (self.gaps or self.overlaps or self.misplaced or self.empty_sessions)


def verify(nodes: Iterable[Node], result: Plan, rules: Mapping[str, str]) -> Proof:
    """Checks the sessions against the tree from scratch: every (unit, group) of the tree
    attends exactly one session, for that group, held by the unit or one of its ancestors at
    the level the rules set — or, when its path has no unit at that level, by the nearest one
    below it as the plan declares; and no session is empty."""
    by_id = {node.id: node for node in nodes}
    declared = {(unit, group) for unit, group, _level in result.fallbacks}
    count: dict[tuple[int, str], int] = defaultdict(int)
    wrong = []
    for session, attendees in result.sessions.items():
        organiser = by_id.get(session.organiser)
        for unit, group in attendees:
            count[(unit, group)] += 1
            node = by_id.get(unit)
            if node is None or organiser is None or group not in node.groups or session.group != group:
                wrong.append((unit, group))
                continue
            path = _path(by_id, unit)
            wanted_exists = any(ancestor.level == rules.get(group) for ancestor in path)
            right_place = organiser in path and organiser.level == session.level
            right_level = session.level == rules.get(group) if wanted_exists else (unit, group) in declared
            if not (right_place and right_level):
                wrong.append((unit, group))
    gaps = [
        (node.id, group) for node in by_id.values() for group in sorted(node.groups) if count[(node.id, group)] == 0
    ]
    overlaps = [(unit, group, times) for (unit, group), times in count.items() if times > 1]
    return Proof(
        gaps=sorted(gaps),
        overlaps=sorted(overlaps),
        misplaced=sorted(wrong),
        empty_sessions=[session for session, attendees in result.sessions.items() if not attendees],
    )
