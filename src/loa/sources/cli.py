"""`loa sources …`: the source registry from the shell.

`loa sources status` and `loa ingest` read and fill the frontier too, so `articles/cli.py` adds them.
"""

from __future__ import annotations

import argparse

from loa.clikit import CommandError, check_database, require_migrated, setup_django


def _django() -> None:
    setup_django()
    check_database()
    require_migrated()


def cmd_list(args: argparse.Namespace) -> int:
    _django()
    from loa.sources.models import Source

    for source in Source.objects.select_related("outlet").order_by("id"):
        state = "bật" if source.enabled else "tắt"
        label = f"{source.outlet.name} · {source.name}"
        print(f"{source.pk:>4}  {state:<3}  {source.kind:<7}  {source.interval_minutes:>3}′  {label}  {source.url}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import ValidationError

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


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add `loa sources …`; returns its actions, for the layer above to add the commands that
    also read the frontier (`status`)."""
    sources = subparsers.add_parser("sources", help="list, add and check the polled sources")
    commands = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="every source with kind, interval and address")
    listing.set_defaults(handler=cmd_list)
    add = commands.add_parser("add", help="register a feed, sitemap, section page or channel")
    add.add_argument("url", help="address of the feed, sitemap or page (a channel, page or forum section)")
    add.add_argument("--name", help="name of the source")
    add.add_argument(
        "--kind",
        choices=["feed", "sitemap", "html", "youtube", "facebook", "telegram", "forum"],  # SourceKind
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
    return commands
