"""A local replay of Vietnamese news sites built from the shared baomoi sample.

Several fictional outlets, each on its own port, serve RSS, Atom, a sitemap index with a
Google News sitemap, a section page and article pages wrapped in realistic boilerplate
(navigation, share buttons, related links, comments, footer). Some articles are
syndicated to a second outlet with an edited headline, an attribution line and a
paragraph dropped. Publication times lie in the recent past and, in live mode, new
articles keep appearing. Under /_test/ each outlet also serves hostile responses:
malformed feeds, wrong encodings, oversized bodies, redirect loops and slow replies.

Tests and `make run` use it instead of the internet; nothing here is imported by Loa's
runtime.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gzip
import hashlib
import html
import json
import logging
import random
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli

from loa.text.tokens import sentences

logger = logging.getLogger(__name__)
VIETNAM = dt.timezone(dt.timedelta(hours=7))

OUTLETS = [
    ("tinnhanh", "Báo Tin Nhanh"),
    ("thoibaokinhte", "Thời báo Kinh tế Mới"),
    ("doanhnghiepnay", "Báo Doanh nghiệp Ngày nay"),
    ("nangluong", "Tạp chí Năng lượng Xanh"),
    ("laodongmoi", "Báo Người Lao động Mới"),
    ("mientrung", "Cổng tin Miền Trung"),
]
SECTIONS = ["thoi-su", "kinh-te", "xa-hoi", "doanh-nghiep"]


@dataclass
class ReplayArticle:
    id: str
    outlet: int
    slug: str
    title: str
    lead: str
    paragraphs: list[str]
    published: dt.datetime
    section: str
    syndicated_from: str | None = None


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words[:12]) or "bai-viet"


def paragraphs_of(text: str, per: int = 3) -> list[str]:
    """The sample stores each body as one line; pages show paragraphs of a few sentences."""

    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    spans = [span.text for span in sentences(text)]
    return [" ".join(spans[i : i + per]) for i in range(0, len(spans), per)] or [text]


def load_sample(path: Path, limit: int) -> list[dict[str, Any]]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("title") and len(record.get("text", "")) > 400:
                out.append(record)
            if len(out) >= limit:
                break
    return out


@dataclass
class Corpus:
    articles: list[ReplayArticle]
    started: dt.datetime
    by_key: dict[tuple[int, str], ReplayArticle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {(a.outlet, a.slug): a for a in self.articles}

    def released(self, outlet: int, now: dt.datetime) -> list[ReplayArticle]:
        items = [a for a in self.articles if a.outlet == outlet and a.published <= now]
        return sorted(items, key=lambda a: a.published, reverse=True)


def build_corpus(
    records: Iterable[dict[str, Any]],
    *,
    outlets: int,
    now: dt.datetime,
    live: int = 0,
    live_interval: float = 30.0,
    syndicate_share: float = 0.1,
    seed: int = 7,
) -> Corpus:
    """Spread the records over outlets and the last three days; the last `live` of them
    appear one every `live_interval` seconds from `now` on."""
    rng = random.Random(seed)
    records = list(records)
    past = len(records) - live
    articles: list[ReplayArticle] = []
    for index, record in enumerate(records):
        if index < past:
            published = now - dt.timedelta(minutes=int((past - index) * 4320 / max(past, 1)))
        else:
            published = now + dt.timedelta(seconds=(index - past + 1) * live_interval)
        paragraphs = paragraphs_of(record["text"])
        outlet = index % outlets
        article = ReplayArticle(
            id=str(record["id"]),
            outlet=outlet,
            slug=f"{slugify(record['title'])}-{record['id']}",
            title=record["title"].strip(),
            lead=(record.get("lead") or "").strip(),
            paragraphs=paragraphs,
            published=published.astimezone(VIETNAM).replace(second=0, microsecond=0),
            section=SECTIONS[index % len(SECTIONS)],
        )
        articles.append(article)
        if outlets > 1 and rng.random() < syndicate_share and len(paragraphs) > 2:
            other = (outlet + 1 + rng.randrange(outlets - 1)) % outlets
            edited = rng.choice(["Toàn cảnh: {}", "{} - tin mới nhất", "Nóng: {}", "{} (cập nhật)"]).format(
                article.title
            )
            copy = ReplayArticle(
                id=f"{record['id']}-s{other}",
                outlet=other,
                slug=f"{slugify(edited)}-{record['id']}s",
                title=edited,
                lead=article.lead,
                paragraphs=[*paragraphs[:-1], f"(Theo {OUTLETS[outlet % len(OUTLETS)][1]})"],
                published=article.published + dt.timedelta(minutes=rng.randrange(30, 180)),
                section=article.section,
                syndicated_from=article.id,
            )
            articles.append(copy)
    return Corpus(articles=articles, started=now)


# --- pages ---------------------------------------------------------------------------

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def article_page(corpus: Corpus, article: ReplayArticle, base: str, *, amp: bool = False) -> str:
    outlet_slug, outlet_name = OUTLETS[article.outlet % len(OUTLETS)]
    url = f"{base}/bai-viet/{article.slug}.html"
    style = article.outlet % 3
    stamp = article.published.astimezone(VIETNAM)
    human = f"{WEEKDAYS[stamp.weekday()]}, {stamp:%d/%m/%Y}, {stamp:%H:%M} (GMT+7)"
    meta_time = f'<meta property="article:published_time" content="{stamp.isoformat()}">' if style != 1 else ""
    related = [a for a in corpus.released(article.outlet, corpus.started) if a.id != article.id][:5]
    related_html = "".join(f'<li><a href="/bai-viet/{a.slug}.html">{_e(a.title)}</a></li>' for a in related)
    body = "".join(f"<p>{_e(p)}</p>" for p in article.paragraphs)
    if style == 0:
        header = f'<h1 class="title-detail">{_e(article.title)}</h1><span class="date">{human}</span><p class="description">{_e(article.lead)}</p>'
    elif style == 1:
        header = f'<div class="news-time"><span>{human}</span></div><h1>{_e(article.title)}</h1><h2 class="sapo">{_e(article.lead)}</h2>'
    else:
        header = f'<h1 class="article__title">{_e(article.title)}</h1><div class="article__meta"><time class="publish-date">{stamp:%d/%m/%Y %H:%M}</time></div><div class="article__sapo">{_e(article.lead)}</div>'
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{_e(article.title)} | {_e(outlet_name)}</title>
<meta name="description" content="{_e(article.lead)}">
<meta property="og:title" content="{_e(article.title)}"><meta property="og:site_name" content="{_e(outlet_name)}">
{meta_time}
<link rel="canonical" href="{url}">{"" if amp else f'<link rel="amphtml" href="{base}/amp/bai-viet/{article.slug}.html">'}
</head><body>
<header class="site-header"><a class="logo" href="/">{_e(outlet_name)}</a>
<nav><a href="/">Trang chủ</a> <a href="/chuyen-muc/thoi-su">Thời sự</a> <a href="/chuyen-muc/kinh-te">Kinh tế</a> <a href="/chuyen-muc/xa-hoi">Xã hội</a> <a href="/chuyen-muc/doanh-nghiep">Doanh nghiệp</a></nav>
<form class="search"><input name="q" placeholder="Tìm kiếm"></form></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/chuyen-muc/{article.section}">{article.section}</a></div>
<main><article class="detail">{header}
<div class="share"><a href="#">Chia sẻ Facebook</a> <a href="#">Zalo</a> <a href="#">In bài</a></div>
<div class="content-detail">{body}</div>
<div class="tags">Từ khóa: <a href="/tag/kinh-te">kinh tế</a></div>
</article>
<section class="related"><h3>Tin liên quan</h3><ul>{related_html}</ul></section>
<section class="comments"><h3>Bình luận</h3><div class="comment">Bạn đọc: Bài viết hay, cảm ơn tòa soạn.</div></section>
</main>
<footer>© {_e(outlet_name)} ({outlet_slug}). Giấy phép hoạt động báo chí điện tử số 123/GP-BTTTT. Địa chỉ: Hà Nội. Đường dây nóng: 0900 000 000.</footer>
</body></html>"""


def rss(corpus: Corpus, outlet: int, base: str, now: dt.datetime, *, limit: int = 60) -> str:
    name = OUTLETS[outlet % len(OUTLETS)][1]
    items = []
    for article in corpus.released(outlet, now)[:limit]:
        # One outlet writes Vietnamese dates that feedparser cannot read.
        date = (
            article.published.strftime("%d/%m/%Y %H:%M")
            if outlet % len(OUTLETS) == 4
            else format_datetime(article.published)
        )
        items.append(
            f"<item><title>{_e(article.title)}</title><link>{base}/bai-viet/{article.slug}.html?utm_source=rss&amp;utm_medium=feed</link>"
            f"<description><![CDATA[<p>{_e(article.lead)}</p>]]></description><pubDate>{date}</pubDate>"
            f"<guid>{base}/bai-viet/{article.slug}.html</guid></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{_e(name)} - Tin mới</title><link>{base}/</link><description>Tin mới nhất</description>"
        f"{''.join(items)}</channel></rss>"
    )


def atom(corpus: Corpus, outlet: int, base: str, now: dt.datetime, *, limit: int = 60) -> str:
    name = OUTLETS[outlet % len(OUTLETS)][1]
    entries = "".join(
        f'<entry><title>{_e(a.title)}</title><link href="{base}/bai-viet/{a.slug}.html"/>'
        f"<id>{base}/bai-viet/{a.slug}.html</id><updated>{a.published.isoformat()}</updated>"
        f"<summary>{_e(a.lead)}</summary></entry>"
        for a in corpus.released(outlet, now)[:limit]
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{_e(name)}</title><id>{base}/</id><updated>{now.isoformat()}</updated>{entries}</feed>"
    )


def sitemap_index(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemaps/news.xml</loc></sitemap></sitemapindex>"
    )


def news_sitemap(corpus: Corpus, outlet: int, base: str, now: dt.datetime) -> str:
    name = OUTLETS[outlet % len(OUTLETS)][1]
    urls = "".join(
        f"<url><loc>{base}/bai-viet/{a.slug}.html</loc><news:news><news:publication><news:name>{_e(name)}</news:name>"
        f"<news:language>vi</news:language></news:publication><news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{_e(a.title)}</news:title></news:news></url>"
        for a in corpus.released(outlet, now)[:100]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def section_page(corpus: Corpus, outlet: int, section: str, now: dt.datetime) -> str:
    name = OUTLETS[outlet % len(OUTLETS)][1]
    links = "".join(
        f'<div class="item"><a href="/bai-viet/{a.slug}.html"><img src="/img/{a.id}.jpg" alt=""></a>'
        f'<h3><a href="/bai-viet/{a.slug}.html">{_e(a.title)}</a></h3><p>{_e(a.lead[:140])}</p></div>'
        for a in corpus.released(outlet, now)
        if a.section == section
    )
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{section} | {_e(name)}</title></head>'
        f'<body><nav><a href="/">Trang chủ</a> <a href="/lien-he">Liên hệ</a> <a href="https://facebook.com/x">Facebook</a></nav>'
        f'<main class="list">{links}</main><div class="paging"><a href="?page=2">Trang sau</a></div></body></html>'
    )


LEGACY_ARTICLE = (
    "Ban Tuyên giáo Đảng ủy Khối tổ chức hội nghị tổng kết công tác thông tin, tuyên truyền năm 2021. "
    "Hội nghị đánh giá kết quả thực hiện Chỉ thị số 04-CT/ĐUK và Kết luận số 60-KL/ĐUK về đẩy mạnh đổi mới, "
    "nâng cao chất lượng, hiệu quả công tác thông tin, tuyên truyền trong tình hình mới. "
    "Các đại biểu đã thảo luận về việc nắm bắt dư luận xã hội, xử lý khủng hoảng truyền thông và "
    "xây dựng kế hoạch tuyên truyền gắn với các sự kiện trọng tâm của năm."
)


def _windows_1258(text: str) -> bytes:
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="replace")


def legacy_page(charset_declared: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="{charset_declared}"><title>Tổng kết công tác tuyên truyền năm 2021</title></head>'
        f'<body><nav><a href="/">Trang chủ</a></nav><article><h1>Tổng kết công tác tuyên truyền năm 2021</h1>'
        f'<p class="date">Thứ Hai, 10/01/2022, 09:00 (GMT+7)</p><p>{LEGACY_ARTICLE}</p><p>{LEGACY_ARTICLE}</p></article>'
        f"<footer>Bản quyền thuộc về tòa soạn.</footer></body></html>"
    )


# --- server ----------------------------------------------------------------------------


class ReplayServer:
    """The outlets of a corpus, each on its own port, served from background threads."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        host: str = "127.0.0.1",
        ports: list[int] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.corpus = corpus
        self.host = host
        self.clock = clock or (lambda: dt.datetime.now(VIETNAM))
        count = len({a.outlet for a in corpus.articles}) or 1
        self.requested_ports = ports or [0] * count
        self.servers: list[ThreadingHTTPServer] = []
        self.threads: list[threading.Thread] = []
        self.hits: dict[str, int] = {}
        self._hits_lock = threading.Lock()
        # Seconds each article page takes, to keep a worker busy mid-batch in crash tests.
        self.article_delay = 0.0
        # What outlets did after a correction or removal request: pages taken down (410) and
        # pages whose body was rewritten, by path ("/bai-viet/<slug>.html").
        self.removed: set[str] = set()
        self.edited: dict[str, list[str]] = {}

    def gone(self, path: str) -> None:
        """The outlet takes the article at `path` down: it answers 410 Gone from now on."""
        self.removed.add(urlsplit(path).path)

    def edit(self, path: str, new_body: str | list[str]) -> None:
        """The outlet rewrites the article at `path`: its body becomes `new_body` (paragraphs
        separated by blank lines, or a list of paragraphs); title and page stay."""
        paragraphs = new_body if isinstance(new_body, list) else [p.strip() for p in new_body.split("\n\n")]
        self.edited[urlsplit(path).path] = [p for p in paragraphs if p]

    def restore(self, path: str) -> None:
        key = urlsplit(path).path
        self.removed.discard(key)
        self.edited.pop(key, None)

    def base(self, outlet: int) -> str:
        return f"http://{self.host}:{self.servers[outlet].server_address[1]}"

    @property
    def bases(self) -> list[str]:
        return [self.base(i) for i in range(len(self.servers))]

    def start(self) -> ReplayServer:
        for outlet, port in enumerate(self.requested_ports):
            handler = _handler_for(self, outlet)
            server = ThreadingHTTPServer((self.host, port), handler)
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, name=f"replay-{outlet}", daemon=True)
            thread.start()
            self.servers.append(server)
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def count(self, path: str) -> None:
        with self._hits_lock:
            self.hits[path] = self.hits.get(path, 0) + 1

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(replay: ReplayServer, outlet: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ReplayNews/1.0"

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("replay %s: " + format, outlet, *args)

        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._route()

        def _route(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path
            query = parse_qs(parts.query)
            replay.count(path)
            base = replay.base(outlet)
            now = replay.clock()
            corpus = replay.corpus
            if path == "/robots.txt":
                return self._send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
            if path in ("/rss/tin-moi.rss", "/rss.xml"):
                return self._send(200, rss(corpus, outlet, base, now), "application/rss+xml", cache=True)
            if path == "/atom.xml":
                return self._send(200, atom(corpus, outlet, base, now), "application/atom+xml", cache=True)
            if path == "/sitemap.xml":
                return self._send(200, sitemap_index(base), "application/xml", cache=True)
            if path == "/sitemaps/news.xml":
                return self._send(200, news_sitemap(corpus, outlet, base, now), "application/xml", cache=True)
            if path.startswith("/chuyen-muc/"):
                return self._send(
                    200,
                    section_page(corpus, outlet, path.rsplit("/", 1)[-1], now),
                    "text/html; charset=utf-8",
                    cache=True,
                )
            for prefix, amp in (("/bai-viet/", False), ("/amp/bai-viet/", True)):
                if path.startswith(prefix) and path.endswith(".html"):
                    article = corpus.by_key.get((outlet, path[len(prefix) : -5]))
                    if article is None or article.published > now:
                        return self._send(404, "<h1>Không tìm thấy trang</h1>", "text/html; charset=utf-8")
                    if f"/bai-viet/{article.slug}.html" in replay.removed:
                        return self._send(410, "<h1>Bài viết không còn tồn tại</h1>", "text/html; charset=utf-8")
                    rewritten = replay.edited.get(f"/bai-viet/{article.slug}.html")
                    if rewritten is not None:
                        article = dataclasses.replace(article, paragraphs=rewritten)
                    if replay.article_delay:
                        time.sleep(replay.article_delay)
                    return self._send(
                        200,
                        article_page(corpus, article, base, amp=amp),
                        "text/html; charset=utf-8",
                    )
            if path.startswith("/_test/"):
                return self._hostile(path[len("/_test/") :], query, base)
            if path.startswith("/private/"):
                return self._send(200, "<h1>Riêng tư</h1>", "text/html; charset=utf-8")
            return self._send(404, "<h1>404</h1>", "text/html; charset=utf-8")

        def _hostile(self, name: str, query: dict[str, list[str]], base: str) -> None:
            if name == "broken.rss":
                return self._send(200, "<rss><channel><title>Hỏng<item><title>", "application/rss+xml")
            if name == "not-a-feed.rss":
                return self._send(
                    200,
                    "<html><body>Đây là trang HTML, không phải RSS</body></html>",
                    "application/rss+xml",
                )
            if name == "partly-broken.rss":
                one = replay.corpus.released(outlet, replay.clock())[:2]
                items = "".join(
                    f"<item><title>{_e(a.title)}</title><link>{base}/bai-viet/{a.slug}.html</link></item>" for a in one
                )
                return self._send(
                    200,
                    f"<rss><channel><title>Lỗi & thiếu thẻ</title>{items}<item><title>cụt",
                    "application/rss+xml",
                )
            if name == "huge":
                return self._stream_huge(int(query.get("mb", ["20"])[0]))
            if name == "huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(100 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"<html>" * 10)
                return None
            if name in ("loop", "loop2"):
                return self._redirect(f"/_test/{'loop2' if name == 'loop' else 'loop'}")
            if name.startswith("chain/"):
                remaining = int(name.split("/", 1)[1])
                if remaining > 0:
                    return self._redirect(f"/_test/chain/{remaining - 1}")
                article = replay.corpus.released(outlet, replay.clock())[0]
                return self._redirect(f"/bai-viet/{article.slug}.html")
            if name == "to-private-network":
                return self._redirect("http://169.254.169.254/latest/meta-data/")
            if name == "slow":
                time.sleep(float(query.get("seconds", ["5"])[0]))
                return self._send(200, "<h1>Chậm</h1>", "text/html; charset=utf-8")
            if name.startswith("status/"):
                code = int(name.split("/", 1)[1])
                return self._send(code, f"<h1>{code}</h1>", "text/html; charset=utf-8")
            if name == "cp1258.html":
                return self._send_bytes(
                    200,
                    _windows_1258(legacy_page("windows-1258")),
                    "text/html; charset=windows-1258",
                )
            if name == "mislabeled.html":
                return self._send_bytes(200, _windows_1258(legacy_page("utf-8")), "text/html; charset=utf-8")
            if name == "english.html":
                text = "The quarterly results of the company were announced today. " * 20
                return self._send(
                    200,
                    f"<html lang='en'><head><title>Quarterly results</title></head><body><article><h1>Quarterly results</h1><p>{text}</p></article></body></html>",
                    "text/html; charset=utf-8",
                )
            return self._send(404, "<h1>404</h1>", "text/html; charset=utf-8")

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _stream_huge(self, megabytes: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = ("<p>" + "Nội dung rất dài. " * 50 + "</p>").encode()
            sent = 0
            while sent < megabytes * 1024 * 1024:
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True

        def _send(self, status: int, text: str, content_type: str, *, cache: bool = False) -> None:
            self._send_bytes(status, text.encode("utf-8"), content_type, cache=cache)

        def _send_bytes(self, status: int, body: bytes, content_type: str, *, cache: bool = False) -> None:
            headers = {"Content-Type": content_type}
            if cache:
                etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
                modified = _last_modified(replay, outlet)
                headers["ETag"] = etag
                headers["Last-Modified"] = format_datetime(modified, usegmt=True)
                since = self.headers.get("If-Modified-Since")
                if self.headers.get("If-None-Match") == etag or (
                    since and not self.headers.get("If-None-Match") and _not_after(modified, since)
                ):
                    self.send_response(304)
                    for key, value in headers.items():
                        if key != "Content-Type":
                            self.send_header(key, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            accepted = self.headers.get("Accept-Encoding", "")
            if "br" in accepted and len(body) > 512:
                body = brotli.compress(body)
                headers["Content-Encoding"] = "br"
            elif "gzip" in accepted and len(body) > 512:
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _last_modified(replay: ReplayServer, outlet: int) -> dt.datetime:
    released = replay.corpus.released(outlet, replay.clock())
    stamp = released[0].published if released else replay.corpus.started
    return stamp.astimezone(dt.UTC)


def _not_after(modified: dt.datetime, since: str) -> bool:
    try:
        return modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def serve(
    data: Path,
    *,
    host: str,
    port: int,
    outlets: int,
    articles: int,
    live: int,
    live_interval: float,
) -> Iterator[ReplayServer]:
    """Build a corpus from the sample and serve it on ports port, port+1, …"""
    records = load_sample(data, articles)
    corpus = build_corpus(
        records,
        outlets=outlets,
        now=dt.datetime.now(VIETNAM),
        live=live,
        live_interval=live_interval,
    )
    ports = [port + i for i in range(outlets)] if port else None
    with ReplayServer(corpus, host=host, ports=ports) as server:
        yield server
