"""Reads of letterheads and reports, scoped by unit."""

from __future__ import annotations

from django.db.models import QuerySet

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.reports.models import Letterhead, Report, ReportStatus


def letterhead_list(*, user: Actor) -> QuerySet[Letterhead]:
    return scope_filter(Letterhead.objects.select_related("unit"), user, unit_field="unit")


def report_list(*, user: Actor) -> QuerySet[Report]:
    return scope_filter(Report.objects.select_related("unit", "letterhead"), user, unit_field="unit")


def report_writable(*, user: Actor, report: Report) -> bool:
    return report.status == ReportStatus.DRAFT and user_can(user, roles.WRITE, report.unit)


def report_issuable(*, user: Actor, report: Report) -> bool:
    return report.status == ReportStatus.DRAFT and user_can(user, roles.APPROVE, report.unit)
