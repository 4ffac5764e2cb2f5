"""The press review and periodic reports: building a day's review over a day of real news,
rendering it and a month's report as DOCX, and LibreOffice's conversion to PDF."""

from __future__ import annotations

import datetime as dt
import shutil
import time

from bench.data import news_articles
from bench.table import Row, percentiles, time_calls

VN = dt.timezone(dt.timedelta(hours=7))
ORGANISATIONS = (
    ("EVN", "Tập đoàn Điện lực Việt Nam"),
    ("VNPT", "Tập đoàn Bưu chính Viễn thông Việt Nam"),
    ("Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    ("Vietnam Airlines", "Tổng công ty Hàng không Việt Nam"),
)
DAY = dt.date(2026, 11, 20)


def _load(count: int) -> int:
    """A day of news (the sample spread over the 24 hours before 06:30), analysed."""
    from django.db import transaction

    from loa.analysis.services import articles_analyse
    from loa.articles import search
    from loa.articles.models import Article
    from loa.sources.models import Outlet
    from loa.text import normalize

    end = dt.datetime(DAY.year, DAY.month, DAY.day, 6, 29, tzinfo=VN)
    outlets = [
        Outlet.objects.get_or_create(domain=f"diembao{n}.example.vn", defaults={"name": f"Báo điểm {n}"})[0]
        for n in range(6)
    ]
    records = list(news_articles(count))
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            [
                Article(
                    outlet=outlets[n % len(outlets)],
                    url=f"https://diembao.example.vn/{n}",
                    url_key=f"diembao{n:032d}",
                    title=normalize(r["title"]),
                    lead=normalize(r.get("lead") or ""),
                    body=normalize(r["text"]),
                    content_hash=f"d{n}",
                    signature=b"",
                    published_at=end - dt.timedelta(seconds=n * 86_000 // max(count, 1)),
                )
                for n, r in enumerate(records)
            ]
        )
        search.index_many(articles)
    for start in range(0, len(articles), 200):
        articles_analyse(articles=articles[start : start + 200])
    return len(articles)


def run(*, quick: bool) -> list[Row]:
    from bench.django_env import setup

    setup()
    from loa.accounts.scoping import SYSTEM
    from loa.analysis import runtime
    from loa.analysis.models import Organisation, Topic
    from loa.analysis.services import organisation_save, topics_sync
    from loa.digests.documents import digest_document
    from loa.digests.models import Digest
    from loa.digests.services import ProfileData, digest_build, profile_save
    from loa.docformat.convert import soffice_path
    from loa.reports.documents import document_bytes, report_document
    from loa.reports.services import letterhead_ensure, report_prepare
    from loa.units.models import Unit, UnitKind
    from loa.units.services import unit_create

    count = 300 if quick else 2000
    # Monitored before the news arrives, so the analysis finds their mentions.
    for code, name in ORGANISATIONS:
        if not Organisation.objects.filter(short_name=code).exists():
            organisation_save(name=name, short_name=code, unit=None, acronyms=code)
    loaded = _load(count)
    topics_sync(runtime.classifier().models.topic_labels)
    bloc = Unit.objects.filter(code="docs-bloc").first() or unit_create(
        code="docs-bloc",
        name="Khối",
        short_name="Khối",
        symbol="ĐUK",
        kind=UnitKind.BLOC,
        valid_from=dt.date(2020, 1, 1),
    )
    profile = profile_save(
        user=SYSTEM,
        profile=None,
        data=ProfileData(name="Bench", unit=bloc, build_at=dt.time(6, 30), topics=list(Topic.objects.all()[:6])),
    )
    detail = f"{loaded} articles in the day, {Topic.objects.count()} topics"

    def build() -> object:
        Digest.objects.filter(profile=profile).delete()
        return digest_build(profile=profile, day=DAY)

    build_ms, _ = percentiles(time_calls(build, repeat=3 if quick else 5))
    digest = Digest.objects.get(profile=profile)
    items = digest.items.count()
    rows = [Row("documents", "press review build p50", build_ms, "ms", detail)]
    digest_docx, _ = percentiles(time_calls(lambda: document_bytes(digest_document(digest), "docx"), repeat=5))
    rows.append(Row("documents", "press review DOCX p50", digest_docx, "ms", f"{items} items"))
    report = report_prepare(
        user=SYSTEM,
        unit=bloc,
        letterhead=letterhead_ensure(unit=bloc),
        period="2026-11",
        now=dt.datetime(2026, 11, 24, tzinfo=VN),
    )
    started = time.perf_counter()
    report_prepare(
        user=SYSTEM,
        unit=bloc,
        letterhead=letterhead_ensure(unit=bloc),
        period="2026-11",
        now=dt.datetime(2026, 11, 24, tzinfo=VN),
    )
    rows.append(Row("documents", "month report figures", (time.perf_counter() - started) * 1000, "ms", detail))
    report_docx, _ = percentiles(time_calls(lambda: document_bytes(report_document(report), "docx"), repeat=3))
    rows.append(Row("documents", "month report DOCX (3 charts) p50", report_docx, "ms", ""))
    if soffice_path() and shutil.which("pdftotext"):
        pdf_ms, _ = percentiles(time_calls(lambda: document_bytes(report_document(report), "pdf"), repeat=2))
        rows.append(Row("documents", "month report PDF (LibreOffice) p50", pdf_ms, "ms", "a fresh profile per run"))
        digest_pdf, _ = percentiles(time_calls(lambda: document_bytes(digest_document(digest), "pdf"), repeat=2))
        rows.append(Row("documents", "press review PDF (LibreOffice) p50", digest_pdf, "ms", f"{items} items"))
    return rows
