"""`loa digest` and `loa report`: the press review and periodic reports as files, from the shell."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any


def _django() -> None:
    from loa.cli import check_database, require_migrated, setup_django

    setup_django()
    check_database()
    require_migrated()


def _write(output: str, content: bytes) -> None:
    from loa.cli import CommandError

    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    if not target.parent.exists():
        raise CommandError(f"Thư mục {target.parent} không tồn tại (directory not found)")
    # Written next to the target and renamed, so a reader never sees half a file.
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(content)
    os.replace(partial, target)
    print(f"Đã ghi {target} ({len(content):,} byte).", file=sys.stderr)


def _day(text: str) -> dt.date:
    from loa.cli import CommandError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {text!r} (write YYYY-MM-DD)", status=2) from None


def _profile(choice: str | None) -> Any:
    from loa.cli import CommandError
    from loa.digests.models import DigestProfile

    profiles = DigestProfile.objects.filter(enabled=True).select_related("unit").order_by("pk")
    if choice:
        found = profiles.filter(pk=int(choice)) if choice.isdigit() else profiles.filter(name__iexact=choice)
        profile = found.first()
        if profile is None:
            raise CommandError(f"Không có hồ sơ điểm báo {choice!r} (no such profile)", status=2)
        return profile
    if len(profiles) != 1:
        names = ", ".join(f"{p.pk}: {p.name}" for p in profiles) or "—"
        raise CommandError(f"Chọn hồ sơ điểm báo bằng --profile ({names})", status=2)
    return profiles[0]


def cmd_digest(args: argparse.Namespace) -> int:
    from loa.cli import CommandError

    day = _day(args.date)
    _django()
    from django.utils import timezone

    from loa.digests.documents import digest_document, digest_html
    from loa.digests.models import Digest
    from loa.digests.services import digest_build
    from loa.docformat.convert import ConversionError
    from loa.reports.documents import document_bytes

    profile = _profile(args.profile)
    if day > timezone.localdate():
        raise CommandError("Điểm báo chỉ làm cho hôm nay hoặc các ngày trước (the date is in the future)", status=2)
    digest = Digest.objects.filter(profile=profile, day=day).first()
    if digest is None:
        if args.no_build:
            raise CommandError(f"Chưa có điểm báo ngày {day:%d/%m/%Y} (none built; drop --no-build)", status=3)
        digest = digest_build(profile=profile, day=day)
    if args.format == "html":
        content = digest_html(digest).encode("utf-8")
    else:
        try:
            content = document_bytes(digest_document(digest), args.format)
        except ConversionError as exc:
            raise CommandError(f"Không tạo được PDF: {exc}") from None
    _write(args.output, content)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from loa.cli import CommandError

    _django()
    from django.core.exceptions import ValidationError

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
    _write(args.output, content)
    print(f"Báo cáo {report.symbol or '(chưa có số)'}: {report.summary}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    digest = subparsers.add_parser("digest", help="write a day's press review (điểm báo) as DOCX, PDF or HTML")
    digest.add_argument("--date", required=True, help="the day of the review (YYYY-MM-DD); built if missing")
    digest.add_argument("--format", choices=["docx", "pdf", "html"], default="docx", help="file format")
    digest.add_argument("--output", required=True, help="file to write, or - for standard output")
    digest.add_argument("--profile", help="profile number or name (needed when there are several)")
    digest.add_argument("--no-build", action="store_true", help="fail instead of building a missing review")
    digest.set_defaults(handler=cmd_digest)

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
