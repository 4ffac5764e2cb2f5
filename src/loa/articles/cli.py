"""`loa import-jsonl`, `loa search`, `loa reextract`, `loa ingest` and `loa sources status` from the
shell: the commands that read or fill the frontier and the stored articles."""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from loa.clikit import CommandError, check_database, require_migrated, setup_django
from loa.pipeline.outcomes import StageError

if TYPE_CHECKING:
    from loa.sources.models import Source, SourceHealth


def _django() -> None:
    setup_django()
    check_database()
    require_migrated()


def _report_problems(problems: list[tuple[int, str]], rejects: str | None) -> None:
    """The rejected lines of an import: the first 20 on standard error, all of them to `rejects`."""
    for line, reason in problems[:20]:
        print(f"  dòng {line}: {reason}", file=sys.stderr)
    if len(problems) > 20:
        print(f"  … và {len(problems) - 20} dòng khác", file=sys.stderr)
    if problems and rejects:
        with open(rejects, "w", encoding="utf-8") as out:
            for line, reason in problems:
                out.write(json.dumps({"line": line, "reason": reason}, ensure_ascii=False) + "\n")


def cmd_import_jsonl(args: argparse.Namespace) -> int:
    if not os.path.isfile(args.file):
        raise CommandError(f"Không có tệp {args.file} (file not found)")
    _django()
    from tqdm import tqdm

    from loa.articles.services import articles_import_jsonl

    size = os.path.getsize(args.file)
    with (
        open(args.file, "rb") as handle,
        tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc="Nhập bài",
            file=sys.stderr,
            disable=args.quiet,
        ) as bar,
    ):
        stats = articles_import_jsonl(lines=handle, progress=bar.update)
    print(f"Đọc {stats.read} dòng: lưu {stats.stored}, trùng {stats.duplicates}, bị từ chối {stats.rejected}.")
    _report_problems(stats.problems or [], args.rejects)
    return 0 if stats.rejected == 0 else 3


def cmd_import_social(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from tqdm import tqdm

    from loa.articles import social_import as service

    try:
        if args.list_mappings:
            for mapping in service.mappings_list():
                when = f"cập nhật {mapping.updated_at:%d/%m/%Y %H:%M}" if mapping.updated_at else "có sẵn (built-in)"
                columns = ", ".join(f"{name}={column}" for name, column in mapping.columns.items())
                print(f"{mapping.name}\t{when}\t{columns}")
            return 0
        if args.delete_mapping:
            if not service.mapping_delete(args.delete_mapping):
                raise CommandError(f"Không có bảng ánh xạ “{args.delete_mapping}” (no such mapping)")
            print(f"Đã xoá bảng ánh xạ “{args.delete_mapping}”.")
            return 0
        if args.save_mapping:
            saved, created = service.mapping_save(
                name=args.save_mapping, columns=service.columns_from_pairs(args.column or [])
            )
            print(f"{'Đã tạo' if created else 'Đã cập nhật'} bảng ánh xạ “{saved.name}”.")
            if not args.file:
                return 0
        elif args.column:
            raise CommandError("--column chỉ dùng cùng --save-mapping (--column needs --save-mapping)")
        if not args.file:
            raise CommandError("Cần tệp cần nhập (FILE), --save-mapping hoặc --list-mappings")
        mapping = service.mapping_get(args.mapping or args.save_mapping)
        export = service.export_open(
            path=Path(args.file), mapping=mapping, fmt=args.format, delimiter=_delimiter_arg(args.delimiter)
        )
    except service.ImportRefused as error:
        raise CommandError(str(error)) from error
    shown = {"\t": "tab"}.get(export.delimiter, export.delimiter)
    layout = f"CSV, phân cách “{shown}”" if export.format == "csv" else "JSON lines"
    print(
        f"{args.file}: {layout}, {export.encoding}, {export.rows} dòng, bảng ánh xạ “{mapping.name}”.", file=sys.stderr
    )
    for warning in export.warnings:
        print(f"  {warning}", file=sys.stderr)
    with tqdm(total=export.rows, unit="dòng", desc="Nhập bài đăng", file=sys.stderr, disable=args.quiet) as bar:
        stats = service.social_import(export=export, platform=args.platform or "", progress=bar.update)
    duplicates = sum(stats.reasons.values())
    print(
        f"Đọc {stats.read} dòng: lưu {stats.new} bài mới trên {stats.pages} trang, đã có {stats.seen_again} "
        f"(ghi thêm số tương tác), trùng nội dung {duplicates}, bị từ chối {len(stats.problems)}."
    )
    _report_problems(stats.problems, args.rejects)
    return 0 if not stats.problems else 3


def _delimiter_arg(value: str | None) -> str | None:
    if not value:
        return None
    value = {"tab": "\t", "\\t": "\t"}.get(value.lower(), value)
    if len(value) != 1:
        raise CommandError(f"Ký tự phân cách phải là một ký tự: {value!r} (delimiter: one character)")
    return value


def _lines(path: str) -> Iterator[bytes]:
    """Lines of the file as bytes; a UTF-16 or UTF-32 file (by its BOM) is read as text first,
    since its newlines are not single bytes."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
    if wide:
        encoding = "utf-32" if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "utf-16"
        with open(path, encoding=encoding, errors="replace") as text:
            for line in text:
                yield line.encode("utf-8")
        return
    with open(path, "rb") as handle:
        yield from handle


def cmd_search(args: argparse.Namespace) -> int:
    _django()
    from django.utils import timezone

    # Lazy: `loa` imports every app CLI before the command sets Django up; models load after.
    from loa.accounts.scoping import SYSTEM
    from loa.articles import search
    from loa.articles.selectors import article_search
    from loa.sources.models import Outlet

    outlet_ids: tuple[int, ...] = ()
    if args.outlet:
        outlet_ids = tuple(Outlet.objects.filter(name__icontains=args.outlet).values_list("id", flat=True)) or (-1,)
    filters = search.Filters(
        date_from=dt.date.fromisoformat(args.date_from) if args.date_from else None,
        date_to=dt.date.fromisoformat(args.date_to) if args.date_to else None,
        outlet_ids=outlet_ids,
        channels=(args.channel,) if args.channel else (),
    )
    results = article_search(
        user=SYSTEM,
        query=args.query,
        filters=filters,
        order=args.order,
        page=args.page,
        size=args.limit,
    )
    if results.error:
        print(f"loa: {results.error}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                results.as_dict(args.query),
                default=lambda value: value.isoformat(),  # the publication times
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{results.total} kết quả (trang {results.page}/{max(results.pages, 1)})")
    for hit in results.hits:
        when = f"{timezone.localtime(hit.article.published_at):%d/%m/%Y %H:%M}" if hit.article.published_at else "—"
        print(f"- [{hit.article.pk}] {hit.article.title} — {hit.article.outlet.name}, {when}\n  {hit.article.url}")
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    _django()
    from loa.articles.models import Article
    from loa.articles.services import article_reextract

    articles = Article.objects.exclude(warc_path="").order_by("id")
    if args.since:
        articles = articles.filter(created_at__date__gte=dt.date.fromisoformat(args.since))
    changed = failed = total = 0
    for article in articles.iterator(chunk_size=200):
        total += 1
        try:
            changed += article_reextract(article=article)
        except (StageError, OSError, LookupError) as exc:
            failed += 1
            print(f"  bài {article.pk}: {exc}", file=sys.stderr)
    print(f"Trích xuất lại {total} bài từ kho lưu trữ: {changed} bài thay đổi, {failed} bài lỗi.")
    return 0 if failed == 0 else 3


def _find_source(reference: str) -> Source:
    # Lazy: `loa` imports every app CLI before the command sets Django up; models load after.
    from loa.sources.models import Source

    source = None
    if reference.isdigit():
        source = Source.objects.select_related("outlet").filter(pk=int(reference)).first()
    source = source or Source.objects.select_related("outlet").filter(url=reference).first()
    source = source or Source.objects.select_related("outlet").filter(name=reference).first()
    if source is None:
        raise CommandError(f"Không tìm thấy nguồn '{reference}' (no such source; see: loa sources list)")
    return source


def cmd_status(args: argparse.Namespace) -> int:
    _django()
    from django.utils import timezone

    # Lazy: `loa` imports every app CLI before the command sets Django up; models load after.
    from loa.articles.selectors import frontier_counts
    from loa.sources.models import Source
    from loa.sources.selectors import Health, source_health, source_vitals

    sources = list(Source.objects.select_related("outlet").order_by("id"))
    health = source_health(source_ids=[s.pk for s in sources], days=args.days)
    # The volume against the usual band, as the last health sweep left it.
    vitals = source_vitals(source_ids=[s.pk for s in sources])
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
                    "volume": _volume(vitals.get(source.pk)),
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
        v = vitals.get(source.pk)
        if v is not None and v.state not in ("ok", "learning"):
            last = f"{timezone.localtime(v.last_article_at):%d/%m/%Y %H:%M}" if v.last_article_at else "—"
            band = f"{v.band_low}–{v.band_high} bài/ngày" if v.band_high is not None else "—"
            print(
                f"      lượng bài: {v.get_state_display()}, {v.count} bài ngày {v.day:%d/%m/%Y}, "
                f"thường lệ {band}, bài gần nhất {last}"
            )
    print("Hàng đợi (frontier): " + ", ".join(f"{k}={v}" for k, v in frontier.items()))
    return 0


def _volume(vitals: SourceHealth | None) -> dict[str, object] | None:
    if vitals is None:
        return None
    return {
        "state": vitals.state,
        "day": vitals.day.isoformat(),
        "count": vitals.count,
        "median": vitals.median,
        "band": [vitals.band_low, vitals.band_high] if vitals.band_high is not None else None,
        "last_article": vitals.last_article_at.isoformat() if vitals.last_article_at else None,
        "silent_after_minutes": vitals.silent_after_minutes,
        "checked": vitals.checked_at.isoformat(),
    }


def cmd_ingest(args: argparse.Namespace) -> int:
    _django()
    from loa.articles.polling import source_poll
    from loa.articles.runtime import fetcher
    from loa.articles.services import items_claimable_count, items_process_batch
    from loa.articles.tasks import poll_source_task

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


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    sources: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add the articles' commands, and to `loa sources` (registered first, by loa.sources.cli)
    its `status`, which shows the frontier beside the sources' health."""
    status = sources.add_parser("status", help="health and pipeline counters per source and stage")
    status.add_argument("--days", type=int, default=7, help="days of counters to sum")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=cmd_status)

    ingest = subparsers.add_parser("ingest", help="poll one source now and store its new articles")
    ingest.add_argument("source", help="source id, address or name")
    ingest.add_argument("--no-process", action="store_true", help="only queue the new links")
    ingest.add_argument("--enqueue", action="store_true", help="hand the poll to the task worker instead")
    ingest.set_defaults(handler=cmd_ingest)

    importer = subparsers.add_parser("import-jsonl", help="bulk-import articles from JSON lines (url, title, text, …)")
    importer.add_argument(
        "file",
        help="a .jsonl file: one object per line with url, title, text, optional published, source",
    )
    importer.add_argument("--rejects", help="write rejected line numbers and reasons here as JSON lines")
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    importer.set_defaults(handler=cmd_import_jsonl)

    social = subparsers.add_parser(
        "import-social",
        help="import posts from a social-listening vendor's export (CSV or JSON lines) with a column mapping",
        description=(
            "Each row becomes a post of its page (an outlet): only the mapped columns are read, author, "
            "user and profile columns never. Fields: platform, page, url, published, text, title, views, "
            "reactions, comments, shares (url, page and text required). The built-in mapping 'generic' "
            "reads the columns of those names."
        ),
    )
    social.add_argument("file", nargs="?", help="the export: .csv (any of , ; tab |) or .jsonl")
    social.add_argument("--mapping", help="the vendor's saved mapping (default: generic)")
    social.add_argument("--platform", help="platform of the rows that name none (e.g. tiktok)")
    social.add_argument("--format", choices=["auto", "csv", "jsonl"], default="auto", help="file format")
    social.add_argument("--delimiter", help="CSV delimiter (default: guessed from the header; 'tab' for tabs)")
    social.add_argument("--save-mapping", metavar="NAME", help="save a vendor's mapping from the --column options")
    social.add_argument(
        "--column", action="append", metavar="FIELD=COLUMN", help='with --save-mapping, e.g. text="Nội dung"'
    )
    social.add_argument("--list-mappings", action="store_true", help="list the saved mappings")
    social.add_argument("--delete-mapping", metavar="NAME", help="delete a saved mapping")
    social.add_argument("--rejects", help="write rejected line numbers and reasons here as JSON lines")
    social.add_argument("--quiet", action="store_true", help="no progress bar")
    social.set_defaults(handler=cmd_import_social)

    reextract = subparsers.add_parser("reextract", help="extract stored articles again from their archived pages")
    reextract.add_argument("--since", help="only articles stored on or after this day (YYYY-MM-DD)")
    reextract.set_defaults(handler=cmd_reextract)

    finder = subparsers.add_parser("search", help='search stored articles (diacritics optional, "phrases", OR, -not)')
    finder.add_argument("query", help='e.g. evn "giá điện" -xăng')
    finder.add_argument("--json", action="store_true", help="print JSON")
    finder.add_argument("--from", dest="date_from", help="published on or after (YYYY-MM-DD)")
    finder.add_argument("--to", dest="date_to", help="published on or before (YYYY-MM-DD)")
    finder.add_argument("--outlet", help="only outlets whose name contains this")
    finder.add_argument(
        "--channel",
        choices=["press", "social", "forum", "video"],
        help="only this kind of source (báo chí, mạng xã hội…)",
    )
    finder.add_argument("--order", choices=["relevance", "date"], default="relevance", help="ranking")
    finder.add_argument("--page", type=int, default=1, help="page number")
    finder.add_argument("--limit", type=int, default=20, help="results per page (at most 100)")
    finder.set_defaults(handler=cmd_search)
