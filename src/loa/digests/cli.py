"""`loa digest`: a day's press review as a file, from the shell."""

from __future__ import annotations

import argparse
from typing import Any

from loa.clikit import CommandError, check_database, day_parse, output_write, require_migrated, setup_django


def _django() -> None:
    setup_django()
    check_database()
    require_migrated()


def _profile(choice: str | None) -> Any:
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
    day = day_parse(args.date)
    _django()
    from django.utils import timezone

    # Lazy: `loa` imports every app CLI before the command sets Django up; models (and the
    # document converter) load after.
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
    output_write(args.output, content)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    digest = subparsers.add_parser("digest", help="write a day's press review (điểm báo) as DOCX, PDF or HTML")
    digest.add_argument("--date", required=True, help="the day of the review (YYYY-MM-DD); built if missing")
    digest.add_argument("--format", choices=["docx", "pdf", "html"], default="docx", help="file format")
    digest.add_argument("--output", required=True, help="file to write, or - for standard output")
    digest.add_argument("--profile", help="profile number or name (needed when there are several)")
    digest.add_argument("--no-build", action="store_true", help="fail instead of building a missing review")
    digest.set_defaults(handler=cmd_digest)
