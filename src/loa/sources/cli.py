"""`loa sources …` and `loa ingest`: the source registry and polling from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _django() -> None:
    from loa.cli import check_database, require_migrated, setup_django

    setup_django()
    check_database()
    require_migrated()


def _find_source(reference: str) -> Any:
    from loa.cli import CommandError
    from loa.sources.models import Source

    source = None
    if reference.isdigit():
        source = Source.objects.select_related("outlet").filter(pk=int(reference)).first()
    source = source or Source.objects.select_related("outlet").filter(url=reference).first()
    source = source or Source.objects.select_related("outlet").filter(name=reference).first()
    if source is None:
        raise CommandError(f"Không tìm thấy nguồn '{reference}' (no such source; see: loa sources list)")
    return source


def cmd_list(args: argparse.Namespace) -> int:
    _django()
    from loa.sources.models import Source

    for source in Source.objects.select_related("outlet").order_by("id"):
        state = "bật" if source.enabled else "tắt"
        label = f"{source.outlet.name} · {source.name}"
        print(f"{source.pk:>4}  {state:<3}  {source.kind:<7}  {source.interval_minutes:>3}′  {label}  {source.url}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    _django()
    from django.utils import timezone

    from loa.articles.selectors import frontier_counts
    from loa.sources.models import Source
    from loa.sources.selectors import Health, source_health

    sources = list(Source.objects.select_related("outlet").order_by("id"))
    health = source_health(source_ids=[s.pk for s in sources], days=args.days)
    frontier = frontier_counts()
    if args.json:
        records = []
        for source in sources:
            h = health.get(source.pk) or Health()
            records.append(
                {
                    "id": source.pk,
                    "source": f"{source.outlet.name} · {source.name}",
                    "enabled": source.enabled,
                    "last_success": source.last_success_at.isoformat() if source.last_success_at else None,
                    "last_error": source.last_error[:300] or None,
                    "last_error_reason": source.last_error_reason or None,
                    "links_skipped_at_last_poll": source.links_skipped,
                    "failures_in_a_row": source.consecutive_failures,
                    "fetched": h.fetched,
                    "not_modified": h.not_modified,
                    "stored": h.stored,
                    "discarded": h.discarded,
                    "quarantined": h.quarantined,
                    "failed": h.failed,
                    "reasons": [{"stage": st, "outcome": o, "reason": r, "count": n} for st, o, r, n in h.reasons],
                }
            )
        print(json.dumps({"sources": records, "frontier": frontier}, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{'id':>4}  {'nguồn':<44} {'lấy về':>7} {'304':>5} {'lưu':>6} {'loại':>6} {'cách ly':>7} {'lỗi':>5}"
        "  thành công"
    )
    for source in sources:
        h = health.get(source.pk) or Health()
        label = f"{source.outlet.name} · {source.name}"[:44]
        success = f"{timezone.localtime(source.last_success_at):%d/%m/%Y %H:%M}" if source.last_success_at else "—"
        print(
            f"{source.pk:>4}  {label:<44} {h.fetched:>7} {h.not_modified:>5} {h.stored:>6} "
            f"{h.discarded:>6} {h.quarantined:>7} {h.failed:>5}  {success}"
        )
        if source.last_error:
            reason = f"{source.last_error_label}: " if source.last_error_label else ""
            print(f"      lỗi gần nhất: {reason}{source.last_error[:200]}")
        if source.cap_note:
            print(f"      {source.cap_note}")
    print("Hàng đợi (frontier): " + ", ".join(f"{k}={v}" for k, v in frontier.items()))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import ValidationError

    from loa.cli import CommandError
    from loa.sources.services import source_create

    try:
        source = source_create(
            url=args.url,
            name=args.name or args.url,
            kind=args.kind,
            outlet_name=args.outlet or "",
            tier=args.tier,
            link_pattern=args.pattern or "",
            interval_minutes=args.interval,
        )
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from exc
    print(f"Đã thêm nguồn {source.pk}: {source}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    _django()
    from loa.articles.runtime import fetcher
    from loa.articles.services import items_claimable_count, items_process_batch
    from loa.sources.services import source_poll
    from loa.sources.tasks import poll_source_task

    source = _find_source(args.source)
    if args.enqueue:
        result = poll_source_task.enqueue(source.pk)
        print(f"Đã xếp hàng thu thập nguồn {source.pk} (task {result.id})")
        return 0
    polled = source_poll(source=source, fetcher=fetcher())
    print(
        f"{source}: tìm thấy {polled.found} liên kết, {polled.new} liên kết mới"
        + (f"; lỗi: {polled.error}" if polled.error else "")
    )
    if polled.not_modified:
        print("Nguồn không thay đổi từ lần trước (304 Not Modified).")
    totals: dict[str, int] = {}
    while not args.no_process and items_claimable_count(source_id=source.pk):
        for status, count in items_process_batch(source_id=source.pk).items():
            totals[status] = totals.get(status, 0) + count
            sys.stderr.write(f"\r{sum(totals.values())} bài đã xử lý")
    if totals:
        sys.stderr.write("\n")
        print("Kết quả: " + ", ".join(f"{k}={v}" for k, v in sorted(totals.items())))
    return 1 if polled.error and not polled.found else 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sources = subparsers.add_parser("sources", help="list, add and check the polled sources")
    commands = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="every source with kind, interval and address")
    listing.set_defaults(handler=cmd_list)
    status = commands.add_parser("status", help="health and pipeline counters per source and stage")
    status.add_argument("--days", type=int, default=7, help="days of counters to sum")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=cmd_status)
    add = commands.add_parser("add", help="register a feed, sitemap or section page")
    add.add_argument("url", help="address of the feed, sitemap or page")
    add.add_argument("--name", help="name of the source")
    add.add_argument(
        "--kind",
        choices=["feed", "sitemap", "html"],
        default="feed",
        help="what the address serves",
    )
    add.add_argument("--outlet", help="name of the outlet (created from the host name if new)")
    add.add_argument(
        "--tier",
        type=int,
        choices=[1, 2, 3],
        default=2,
        help="outlet prominence: 1 prominent … 3 minor",
    )
    add.add_argument("--pattern", help="regular expression article links must match")
    add.add_argument("--interval", type=int, default=10, help="polling interval in minutes")
    add.set_defaults(handler=cmd_add)

    ingest = subparsers.add_parser("ingest", help="poll one source now and store its new articles")
    ingest.add_argument("source", help="source id, address or name")
    ingest.add_argument("--no-process", action="store_true", help="only queue the new links")
    ingest.add_argument("--enqueue", action="store_true", help="hand the poll to the task worker instead")
    ingest.set_defaults(handler=cmd_ingest)
