"""Reads of directives (every unit reads them), of assignments (scoped by the assigned unit),
roll-ups per document and per unit, the citation graph, and the section periodic reports get."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, scope_of, user_can, writes_bloc_wide
from loa.directives.models import Assignment, AssignmentStatus, Citation, Directive, TaskItem
from loa.reports.sections import Section, TableData
from loa.text.folding import fold

if TYPE_CHECKING:
    from loa.reports.sections import ReportScope, Section


def _may_read(user: Actor) -> bool:
    return not scope_of(user).empty


def directive_list(*, user: Actor, query: str = "") -> QuerySet[Directive]:
    directives = Directive.objects.select_related("unit").annotate(
        item_count=Count("items", distinct=True), assignment_count=Count("items__assignments", distinct=True)
    )
    for word in fold(query).split():
        directives = directives.filter(search_text__contains=word)
    return directives if _may_read(user) else directives.none()


def directive_get(*, user: Actor, pk: int) -> Directive | None:
    return directive_list(user=user).filter(pk=pk).first()


def directive_writable(*, user: Actor, directive: Directive) -> bool:
    return user_can(user, roles.WRITE, directive.unit)


def assigns(*, user: Actor) -> bool:
    return writes_bloc_wide(user)


def assignment_list(*, user: Actor) -> QuerySet[Assignment]:
    return scope_filter(Assignment.objects.select_related("task__directive", "unit"), user, unit_field="unit").order_by(
        "deadline", "pk"
    )


def is_overdue(assignment: Assignment, today: dt.date) -> bool:
    return (
        assignment.status != AssignmentStatus.DONE and assignment.deadline is not None and assignment.deadline < today
    )


@dataclass
class Rollup:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    open: int = 0
    overdue: int = 0
    done_late: int = 0

    @property
    def done_share(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, assignment: Assignment, today: dt.date) -> None:
        self.total += 1
        if assignment.status == AssignmentStatus.DONE:
            self.done += 1
            if assignment.deadline and assignment.completed_on and assignment.completed_on > assignment.deadline:
                self.done_late += 1
        elif assignment.status == AssignmentStatus.IN_PROGRESS:
            self.in_progress += 1
        else:
            self.open += 1
        if is_overdue(assignment, today):
            self.overdue += 1


@dataclass
class ItemView:
    item: TaskItem
    assignments: list[Assignment]
    rollup: Rollup


@dataclass
class DirectiveView:
    directive: Directive
    items: list[ItemView]
    rollup: Rollup
    cites: list[Citation]
    cited_by: list[Citation]


def directive_view(*, user: Actor, directive: Directive, today: dt.date | None = None) -> DirectiveView:
    """The directive with its items; assignments are those the reader's scope holds."""
    today = today or timezone.localdate()
    visible = assignment_list(user=user)
    items = directive.items.prefetch_related(
        Prefetch("assignments", queryset=visible.select_related("unit"), to_attr="visible_assignments")
    )
    views = []
    overall = Rollup()
    for item in items:
        rollup = Rollup()
        for assignment in item.visible_assignments:
            rollup.add(assignment, today)
            overall.add(assignment, today)
        views.append(ItemView(item=item, assignments=item.visible_assignments, rollup=rollup))
    return DirectiveView(
        directive=directive,
        items=views,
        rollup=overall,
        cites=list(directive.citations.select_related("target")),
        cited_by=list(Citation.objects.filter(target=directive).select_related("directive")),
    )


@dataclass
class UnitRollup:
    unit_name: str
    unit_id: int
    rollup: Rollup = field(default_factory=Rollup)


def rollup_by_unit(
    *, user: Actor, directive: Directive | None = None, today: dt.date | None = None
) -> list[UnitRollup]:
    today = today or timezone.localdate()
    assignments = assignment_list(user=user)
    if directive is not None:
        assignments = assignments.filter(task__directive=directive)
    rows: dict[int, UnitRollup] = {}
    for assignment in assignments:
        row = rows.setdefault(
            assignment.unit_id, UnitRollup(unit_name=assignment.unit.name, unit_id=assignment.unit_id)
        )
        row.rollup.add(assignment, today)
    return sorted(rows.values(), key=lambda row: (-row.rollup.overdue, row.unit_name))


def rollup_by_directive(*, user: Actor, today: dt.date | None = None) -> list[tuple[Directive, Rollup]]:
    today = today or timezone.localdate()
    grouped: dict[int, Rollup] = defaultdict(Rollup)
    directives: dict[int, Directive] = {}
    for assignment in assignment_list(user=user):
        directive = assignment.task.directive
        directives[directive.pk] = directive
        grouped[directive.pk].add(assignment, today)
    return [(directives[pk], grouped[pk]) for pk in sorted(grouped, key=lambda pk: -grouped[pk].overdue)]


# --- the citation graph -------------------------------------------------------------------------


@dataclass
class Node:
    key: str
    label: str
    title: str
    year: int | None
    level: int  # 0 central (TW), 1 the bloc, 2 its units, 3 state
    directive_id: int | None
    x: int = 0
    y: int = 0


NODE_HALF_WIDTH = 75
NODE_HALF_HEIGHT = 13


@dataclass
class Edge:
    """A citation drawn as a line between the borders of the two boxes: the arrow head sits at
    the end of the line, so a line ending at the target's centre would hide it under the box."""

    source: Node
    target: Node

    def _clip(self, start: Node, end: Node) -> tuple[float, float]:
        """Where the segment from `start`'s centre to `end`'s centre leaves `start`'s box."""
        dx, dy = end.x - start.x, end.y - start.y
        if dx == 0 and dy == 0:
            return float(start.x), float(start.y)
        scale = min(
            NODE_HALF_WIDTH / abs(dx) if dx else float("inf"),
            NODE_HALF_HEIGHT / abs(dy) if dy else float("inf"),
        )
        return round(start.x + dx * scale, 1), round(start.y + dy * scale, 1)

    @property
    def x1(self) -> float:
        return self._clip(self.source, self.target)[0]

    @property
    def y1(self) -> float:
        return self._clip(self.source, self.target)[1]

    @property
    def x2(self) -> float:
        return self._clip(self.target, self.source)[0]

    @property
    def y2(self) -> float:
        return self._clip(self.target, self.source)[1]


def _level(symbol: str) -> int:
    issuer = symbol.rsplit("/", 1)[-1] if "/" in symbol else ""
    if issuer.startswith("TW") or issuer in {"VPTW", "BTGTW", "BTCTW", "UBKTTW"}:
        return 0
    if "-" in issuer or symbol.count("/") == 2:
        return 3
    return 1 if issuer.startswith("ĐU") else 2


def citation_graph(*, user: Actor) -> tuple[list[Node], list[Edge], tuple[int, int]]:
    """Registered directives and the documents they cite, placed by year (left to right) and
    level (central above, the bloc, then units), as an SVG lays them out."""
    nodes: dict[str, Node] = {}
    directives = list(directive_list(user=user))
    for directive in directives:
        key = directive.symbol or f"#{directive.pk}"
        nodes[key] = Node(
            key=key,
            label=directive.symbol or f"#{directive.pk}",
            title=f"{directive.doc_type} {directive.title}".strip(),
            year=directive.date.year if directive.date else None,
            level=_level(directive.symbol),
            directive_id=directive.pk,
        )
    edges = []
    for citation in Citation.objects.filter(directive__in=directives).select_related("directive"):
        source = nodes[citation.directive.symbol or f"#{citation.directive_id}"]
        target = nodes.get(citation.symbol)
        if target is None:
            target = nodes[citation.symbol] = Node(
                key=citation.symbol,
                label=citation.symbol,
                title=citation.doc_type,
                year=citation.date.year if citation.date else None,
                level=_level(citation.symbol),
                directive_id=None,
            )
        elif target.year is None and citation.date:
            target.year = citation.date.year
        edges.append(Edge(source=source, target=target))
    years = sorted({node.year for node in nodes.values() if node.year})
    columns = {year: index for index, year in enumerate(years)}
    slots: dict[tuple[int, int], int] = defaultdict(int)
    width = max(1, len(years) + (1 if any(node.year is None for node in nodes.values()) else 0))
    for node in sorted(nodes.values(), key=lambda node: node.label):
        column = columns.get(node.year, len(years)) if node.year else len(years)
        row = slots[(column, node.level)]
        slots[(column, node.level)] += 1
        node.x = 90 + column * 170
        node.y = 50 + node.level * 130 + row * 34
    height = 50 + 4 * 130 + max((count for count in slots.values()), default=0) * 34
    return list(nodes.values()), edges, (90 + width * 170, height)


# --- the periodic report's section ----------------------------------------------------------------


def report_section(scope: ReportScope) -> Section | None:

    assignments = Assignment.objects.filter(scope.units_q("unit")).select_related("task__directive", "unit")
    due = [a for a in assignments if a.deadline and scope.period.start <= a.deadline <= scope.period.end]
    if not due:
        return None
    today = min(timezone.localdate(), scope.period.end)
    rollup = Rollup()
    for assignment in due:
        rollup.add(assignment, today + dt.timedelta(days=1))
    on_time = rollup.done - rollup.done_late
    section = Section(key="directives", title="THỰC HIỆN VĂN BẢN CHỈ ĐẠO")
    section.paragraphs.append(
        f"Trong {scope.period.label}, {rollup.total} nhiệm vụ đến hạn: {rollup.done} đã hoàn thành "
        f"({on_time} đúng hạn), {rollup.in_progress} đang thực hiện, {rollup.overdue} quá hạn."
    )
    per_unit: dict[str, Rollup] = defaultdict(Rollup)
    for assignment in due:
        per_unit[assignment.unit.short_name or assignment.unit.name].add(assignment, today + dt.timedelta(days=1))
    section.tables.append(
        TableData(
            title="Kết quả theo đơn vị",
            header=["Đơn vị", "Nhiệm vụ đến hạn", "Hoàn thành", "Quá hạn"],
            rows=[[name, str(r.total), str(r.done), str(r.overdue)] for name, r in sorted(per_unit.items())],
        )
    )
    return section
