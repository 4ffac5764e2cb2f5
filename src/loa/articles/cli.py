"""`loa import-jsonl` and `loa search` from the shell."""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator


def _django() -> None:
    from loa.cli import check_database, require_migrated, setup_django

    setup_django()
    check_database()
    require_migrated()


def cmd_import_jsonl(args: argparse.Namespace) -> int:
    from loa.cli import CommandError

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
    if stats.problems:
        for line, reason in stats.problems[:20]:
            print(f"  dòng {line}: {reason}", file=sys.stderr)
        if len(stats.problems) > 20:
            print(f"  … và {len(stats.problems) - 20} dòng khác", file=sys.stderr)
        if args.rejects:
            with open(args.rejects, "w", encoding="utf-8") as out:
                for line, reason in stats.problems:
                    out.write(json.dumps({"line": line, "reason": reason}, ensure_ascii=False) + "\n")
    return 0 if stats.rejected == 0 else 3


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
    )
    from loa.accounts.scoping import SYSTEM

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
                {
                    "query": args.query,
                    "total": results.total,
                    "page": results.page,
                    "pages": results.pages,
                    "results": [
                        {
                            "id": h.article.pk,
                            "title": h.article.title,
                            "url": h.article.url,
                            "outlet": h.article.outlet.name,
                            "published": h.article.published_at.isoformat() if h.article.published_at else None,
                            "title_html": h.title_html,
                            "snippet_html": h.snippet_html,
                        }
                        for h in results.hits
                    ],
                },
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
    from loa.pipeline.outcomes import StageError

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


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = subparsers.add_parser("import-jsonl", help="bulk-import articles from JSON lines (url, title, text, …)")
    importer.add_argument(
        "file",
        help="a .jsonl file: one object per line with url, title, text, optional published, source",
    )
    importer.add_argument("--rejects", help="write rejected line numbers and reasons here as JSON lines")
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    importer.set_defaults(handler=cmd_import_jsonl)

    reextract = subparsers.add_parser("reextract", help="extract stored articles again from their archived pages")
    reextract.add_argument("--since", help="only articles stored on or after this day (YYYY-MM-DD)")
    reextract.set_defaults(handler=cmd_reextract)

    finder = subparsers.add_parser("search", help='search stored articles (diacritics optional, "phrases", OR, -not)')
    finder.add_argument("query", help='e.g. evn "giá điện" -xăng')
    finder.add_argument("--json", action="store_true", help="print JSON")
    finder.add_argument("--from", dest="date_from", help="published on or after (YYYY-MM-DD)")
    finder.add_argument("--to", dest="date_to", help="published on or before (YYYY-MM-DD)")
    finder.add_argument("--outlet", help="only outlets whose name contains this")
    finder.add_argument("--order", choices=["relevance", "date"], default="relevance", help="ranking")
    finder.add_argument("--page", type=int, default=1, help="page number")
    finder.add_argument("--limit", type=int, default=20, help="results per page (at most 100)")
    finder.set_defaults(handler=cmd_search)
