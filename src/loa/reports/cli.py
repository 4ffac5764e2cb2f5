"""`loa report`: periodic reports as files, from the shell."""

from __future__ import annotations

import argparse
import sys

from loa.clikit import CommandError, check_database, output_write, require_migrated, setup_django


def _django() -> None:
    setup_django()
    check_database()
    require_migrated()


def cmd_report(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import ValidationError

    # Lazy: `loa` imports every app CLI before the command sets Django up; models (and the
    # document converter) load after.
    from loa.accounts.scoping import SYSTEM
    from loa.docformat.convert import ConversionError
    from loa.reports.documents import document_bytes, report_document
    from loa.reports.models import Letterhead, Report, ReportStatus
    from loa.reports.periods import PeriodError, parse_period
    from loa.reports.services import (
        letterhead_ensure,
        report_issue,
        report_prepare,
        report_refresh,
    )
    from loa.units.models import Unit, UnitKind

    try:
        period = parse_period(args.period)
    except PeriodError as exc:
        raise CommandError(str(exc), status=2) from None
    if args.unit:
        unit = Unit.objects.filter(code=args.unit).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {args.unit!r} (no such unit)", status=2)
    else:
        roots = list(Unit.objects.filter(parent=None, valid_to=None))
        if len(roots) != 1:
            raise CommandError("Chọn đơn vị bằng --unit CODE", status=2)
        unit = roots[0]
    if args.issuer:
        issuer_unit = Unit.objects.filter(code=args.issuer).first()
        if issuer_unit is None:
            raise CommandError(f"Không có đơn vị mã {args.issuer!r} (no such unit)", status=2)
        letterhead = letterhead_ensure(unit=issuer_unit)
    else:
        # The propaganda board of the unit issues its reports when it has one.
        letterhead = Letterhead.objects.filter(unit__parent=unit, unit__kind=UnitKind.BOARD).order_by(
            "unit__sort_order"
        ).first() or letterhead_ensure(unit=unit)
    report = (
        Report.objects.filter(unit=unit, letterhead=letterhead, period_start=period.start, period_end=period.end)
        .order_by("-created_at")
        .first()
    )
    try:
        if report is None:
            report = report_prepare(user=SYSTEM, unit=unit, letterhead=letterhead, period=args.period)
        elif report.status == ReportStatus.DRAFT:
            report = report_refresh(user=SYSTEM, report=report)
        if args.issue and report.status == ReportStatus.DRAFT:
            report = report_issue(user=SYSTEM, report=report)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages), status=2) from None
    try:
        content = document_bytes(report_document(report), args.format)
    except ConversionError as exc:
        raise CommandError(f"Không tạo được PDF: {exc}") from None
    output_write(args.output, content)
    print(f"Báo cáo {report.symbol or '(chưa có số)'}: {report.summary}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = subparsers.add_parser(
        "report", help="write a periodic report (month, quarter, year, years) as DOCX or PDF"
    )
    report.add_argument("--period", required=True, help="2026-09, 2026-Q3, 2026-H1, 2026 or 2021-2025")
    report.add_argument("--format", choices=["docx", "pdf"], default="docx", help="file format")
    report.add_argument("--output", required=True, help="file to write, or - for standard output")
    report.add_argument("--unit", help="code of the unit reported on (default: the bloc)")
    report.add_argument("--issuer", help="code of the issuing unit (default: the unit's propaganda board)")
    report.add_argument("--issue", action="store_true", help="give the report its number if it has none")
    report.set_defaults(handler=cmd_report)
