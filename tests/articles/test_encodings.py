"""Pages in broken or legacy encodings, served on loopback and taken through fetch, extract
and store: the stored article reads as the Vietnamese the page was written in."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")
import pytest

from loa.articles.models import Article, FetchItem, ItemStatus
from loa.articles.runtime import fetch_policy
from loa.articles.services import item_process, items_claim, items_enqueue
from loa.pipeline.discover import Candidate
from loa.pipeline.fetch import Fetcher
from loa.text.legacy import TCVN3

pytestmark = pytest.mark.django_db

TITLE = "Sản lượng điện tháng Mười tăng mạnh so với cùng kỳ năm trước"
PARAGRAPHS = (
    "Theo báo cáo của Tập đoàn Điện lực Việt Nam, sản lượng điện sản xuất và nhập khẩu trong tháng Mười "
    "đạt hơn hai mươi tỷ kilowatt giờ, tăng mười phần trăm so với cùng kỳ năm trước.",
    "Người dân và doanh nghiệp được bảo đảm cung ứng điện liên tục, an toàn trong mùa mưa bão; "
    "lượng nước về các hồ thủy điện cao hơn trung bình nhiều năm.",
    "Lãnh đạo tập đoàn yêu cầu các đơn vị tiếp tục theo dõi chặt chẽ thời tiết, vận hành hệ thống ổn định "
    "và chuẩn bị phương án ứng phó với những tình huống bất thường có thể xảy ra trong những tuần tới.",
)
BODY = "\n".join(PARAGRAPHS)


def page(paragraphs: tuple[str, ...] = PARAGRAPHS, *, head: str = "", footer: str = "Bản quyền") -> str:
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{TITLE}</title></head><body>\n"
        '<nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav>\n'
        f"<article><h1>{TITLE}</h1>\n<div class='content'>{body}</div></article>\n"
        f"<footer>{footer} tòa soạn.</footer></body></html>"
    )


def tcvn3(text: str) -> bytes:
    """Encode with the project's own TCVN3 table, run backwards (capitals other than those
    TCVN3 has shapes for do not occur in the text)."""
    backwards = {unicode: legacy for legacy, unicode in TCVN3.items()}
    return "".join(backwards.get(char, char) for char in unicodedata.normalize("NFC", text)).encode("latin-1")


def windows_1258(text: str) -> bytes:
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        marks = "".join(c for c in decomposed if c in tones)
        out.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones)) + marks)
    return "".join(out).encode("cp1258")


class Pages:
    """A loopback site: path -> (Content-Type, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                content_type, body = routes.get(self.path, ("text/plain", b"not found"))
                self.send_response(200 if self.path in routes else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, path: str, body: bytes, content_type: str = "text/html") -> str:
        self.routes[path] = (content_type, body)
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def site() -> Iterator[Pages]:
    pages = Pages()
    yield pages
    pages.server.shutdown()
    pages.server.server_close()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(fetch_policy()) as instance:
        yield instance


def ingest(fetcher: Fetcher, url: str) -> Article:
    items_enqueue(source=None, candidates=[Candidate(url=url)])
    item = items_claim(limit=1, worker="w")[0]
    status = item_process(item=item, fetch=fetcher)
    item = FetchItem.objects.get(pk=item.pk)
    assert status == ItemStatus.DONE, f"{status}: {item.reason} {item.detail}"
    return Article.objects.get()


@pytest.mark.parametrize(
    ("content_type", "head"),
    [
        ("text/html", ""),
        ("text/html; charset=windows-1252", ""),
        ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=x-viet-tcvn">'),
    ],
)
def test_a_tcvn3_page_keeps_every_letter(site: Pages, fetcher: Fetcher, content_type: str, head: str) -> None:
    # TCVN3 writes "ư" as byte 0xAD, the soft hyphen of Latin-1, which HTML extraction drops.
    data = tcvn3(page(head=head))
    assert b"\xad" in data
    article = ingest(fetcher, site.serve("/tcvn3.html", data, content_type))
    assert article.title == TITLE
    assert article.body == BODY
    assert article.language == "vi"


def test_a_utf8_page_with_three_broken_byte_runs_loses_only_those(site: Pages, fetcher: Fetcher) -> None:
    # Windows-1252 quotes around a no-break space, a rule of dashes, a cut letter.
    runs = (b"\x93\xa0\x94", b"\x97\x97\x97\x97", b"\xe1\xbb")
    data = page().encode("utf-8")
    expected = BODY
    for run, word in zip(runs, ("nhập", "lượng nước", "phương án"), strict=True):
        data = data.replace(f" {word}".encode(), b" " + run + f" {word}".encode(), 1)
        expected = expected.replace(f" {word}", " " + run.decode("utf-8", errors="replace") + f" {word}", 1)
    assert expected.count("\ufffd") == 8  # one per byte, and one for the cut letter
    article = ingest(fetcher, site.serve("/broken.html", data, "text/html; charset=utf-8"))
    assert article.title == TITLE
    assert article.body == expected


def test_a_double_encoded_page_is_repaired(site: Pages, fetcher: Fetcher) -> None:
    # UTF-8 read as Windows-1252 (bytes it lacks become C1 controls, as in browsers) and
    # written out as UTF-8 again: "Tập" arrives as "Táº­p", "Mười" with a U+009D inside.
    data = page().encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
    assert "\u009d".encode() in data
    article = ingest(fetcher, site.serve("/double.html", data, "text/html; charset=utf-8"))
    assert article.title == TITLE
    assert article.body == BODY


def test_a_utf8_page_declared_windows_1252_with_stray_bytes_is_read_as_utf8(site: Pages, fetcher: Fetcher) -> None:
    # The template is Windows-1252 (its quotes and dashes are single bytes), the article UTF-8.
    footer = "\u201cB\u201d \u2013 \u2018C\u2019 \u2013 \u201cD\u201d \u2014"
    html = page(head='<meta charset="windows-1252">', footer=footer)
    data = html.encode("utf-8").replace(footer.encode(), footer.encode("cp1252"))
    article = ingest(fetcher, site.serve("/declared-1252.html", data, "text/html; charset=windows-1252"))
    assert article.title == TITLE
    assert article.body == BODY


def test_a_windows_1258_page_declared_utf8_is_read_as_windows_1258(site: Pages, fetcher: Fetcher) -> None:
    data = windows_1258(page(head='<meta charset="utf-8">'))
    article = ingest(fetcher, site.serve("/declared-utf8.html", data, "text/html; charset=utf-8"))
    assert article.title == TITLE
    assert article.body == BODY


def test_an_xhtml_page_declaring_its_encoding_in_the_xml_declaration(site: Pages, fetcher: Fetcher) -> None:
    html = '<?xml version="1.0" encoding="windows-1258"?>\n' + page()
    article = ingest(fetcher, site.serve("/xhtml.html", windows_1258(html), "application/xhtml+xml"))
    assert article.title == TITLE
    assert article.body == BODY
