"""Directives, their task items and the units' assignments."""

from __future__ import annotations

import datetime as dt

from loa.directives.models import Assignment, Directive, TaskItem
from loa.units.models import Unit


def make_directive(unit: Unit, *, symbol: str = "60-KL/ĐUK") -> Directive:
    """A conclusion the unit (the board, usually) registered, without task items yet."""
    return Directive.objects.create(symbol=symbol, doc_type="Kết luận", title="Kết luận thử", unit=unit)


def make_assignment(directive: Directive, unit: Unit, label: str) -> Assignment:
    """Task item '<label>' ('Nhiệm vụ <label>') assigned to the unit, half done with one piece of evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loa.accounts.scoping import SYSTEM
    from loa.directives.services import progress_report

    item = TaskItem.objects.create(directive=directive, number=label, text=f"Nhiệm vụ {label}")
    assignment = Assignment.objects.create(task=item, unit=unit, deadline=dt.date(2026, 12, 31))
    progress_report(
        user=SYSTEM,
        assignment=assignment,
        progress=50,
        text="Đang làm",
        files=[SimpleUploadedFile(f"minh-chung {label}.pdf", b"%PDF bien ban")],
    )
    return assignment
