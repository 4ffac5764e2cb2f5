"""A replay of one forum section as XenForo, phpBB or vBulletin serve it, from fixture data.

The fixture (tests/fixtures/social/forum_section.json) holds threads with their posters' names
and ids, replies, views, start times and first posts (quoting another member, with a handle):
the markup carries them where each software does (`data-author`, `.username`, avatars, profile
links, dc:creator), so tests can prove the connector drops them. Listings are cut into pages of
`per_page` threads with a "next" link. Under /_test/: 429, a page that is not a forum, a broken
feed.
"""

from __future__ import annotations

import datetime as dt
import html
from email.utils import format_datetime
from typing import Any

from loa.devtools.platforms import Answer, PlatformReplay, not_found, reply

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(body: str, *, root: str = "", generator: str = "") -> Answer:
    meta = f'<meta name="generator" content="{_e(generator)}">' if generator else ""
    head = f"<head><meta charset='utf-8'>{meta}<title>Diễn đàn</title></head>"
    markup = f"<!DOCTYPE html><html{root}>{head}<body>{body}</body></html>"
    return reply(200, HTML, markup.encode())


def _rss(items: list[dict[str, Any]], base: str, link: Any, generator: str) -> Answer:
    entries = "".join(
        f"<item><title>{_e(t['title'])}</title><link>{base}{link(t)}</link>"
        f"<pubDate>{format_datetime(dt.datetime.fromisoformat(t['started']))}</pubDate>"
        f"<dc:creator>{_e(t['author'])}</dc:creator><slash:comments>{t['replies']}</slash:comments>"
        f"<description>{_e(t['first_post'])}</description></item>"
        for t in items
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel><title>Điện lực</title>'
        f"<link>{base}/</link><generator>{generator}</generator>{entries}</channel></rss>"
    )
    return reply(200, RSS, xml.encode())


def _atom(items: list[dict[str, Any]], base: str, link: Any) -> Answer:
    """phpBB's feed.php writes Atom, each entry with its poster's name."""
    entries = "".join(
        f"<entry><author><name><![CDATA[{t['author']}]]></name></author><updated>{t['started']}</updated>"
        f"<published>{t['started']}</published><id>{base}{_e(link(t))}</id>"
        f'<link href="{base}{_e(link(t))}"/><title type="html"><![CDATA[Điện lực • {t["title"]}]]></title>'
        f'<content type="html" xml:base="{base}{_e(link(t))}"><![CDATA[{t["first_post"]}'
        f'<p>Statistics: Posted by <a href="{base}/memberlist.php?mode=viewprofile&amp;u={t["author_id"]}">'
        f"{t['author']}</a> — {t['started']}</p><hr />]]></content></entry>"
        for t in items
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">'
        f'<link rel="self" type="application/atom+xml" href="{base}/feed.php?f=12"/><title>Diễn đàn</title>'
        f"<updated>2025-03-05T08:00:00+00:00</updated><id>{base}/feed.php?f=12</id>{entries}</feed>"
    )
    return reply(200, "application/atom+xml; charset=UTF-8", xml.encode())


def _xenforo_row(t: dict[str, Any]) -> str:
    stamp = int(dt.datetime.fromisoformat(t["started"]).timestamp())
    return (
        f'<div class="structItem structItem--thread js-inlineModContainer" data-author="{_e(t["author"])}">'
        f'<div class="structItem-cell structItem-cell--icon"><a href="/members/{t["author_id"]}/" class="avatar">'
        f'<img src="/data/avatars/{t["author_id"]}.jpg" alt="{_e(t["author"])}"></a></div>'
        '<div class="structItem-cell structItem-cell--main"><div class="structItem-title">'
        f'<a href="/threads/{t["slug"]}.{t["id"]}/" data-tp-primary="on">{_e(t["title"])}</a></div>'
        '<div class="structItem-minor"><ul class="structItem-parts">'
        f'<li><a href="/members/{t["author_id"]}/" class="username" data-user-id="{t["author_id"]}">'
        f"{_e(t['author'])}</a></li>"
        f'<li class="structItem-startDate"><time class="u-dt" data-time="{stamp}" '
        f'datetime="{t["started"]}">x</time></li>'
        "</ul></div></div>"
        '<div class="structItem-cell structItem-cell--meta">'
        f'<dl class="pairs pairs--justified"><dt>Trả lời</dt><dd>{t["replies"]}</dd></dl>'
        f'<dl class="pairs pairs--justified structItem-minor"><dt>Lượt xem</dt><dd>{t["views_text"]}</dd></dl>'
        "</div></div>"
    )


def _phpbb_row(t: dict[str, Any]) -> str:
    return (
        '<li class="row bg1"><dl class="row-item topic_read"><dt><div class="list-inner">'
        f'<a href="./viewtopic.php?f=12&amp;t={t["id"]}&amp;sid=5f1c0ffee" class="topictitle">{_e(t["title"])}</a>'
        '<div class="responsive-hide left-box">by '
        f'<a href="./memberlist.php?mode=viewprofile&amp;u={t["author_id"]}" class="username">{_e(t["author"])}</a>'
        f' » <time datetime="{t["started"]}">x</time></div></div></dt>'
        f'<dd class="posts">{t["replies"]} <dfn>Replies</dfn></dd>'
        f'<dd class="views">{t["views_text"]} <dfn>Views</dfn></dd>'
        "</dl></li>"
    )


def _vbulletin_row(t: dict[str, Any]) -> str:
    return (
        f'<li class="threadbit" id="thread_{t["id"]}"><div class="threadinfo"><div class="inner">'
        '<h3 class="threadtitle">'
        f'<a class="title" href="showthread.php?t={t["id"]}&amp;s=0a1b2c3d">{_e(t["title"])}</a></h3>'
        '<div class="threadmeta"><div class="author"><span class="label">Bắt đầu bởi '
        f'<a href="member.php?u={t["author_id"]}" class="username understate">{_e(t["author"])}</a>'
        f'</span> <time datetime="{t["started"]}">x</time></div></div></div></div>'
        f'<ul class="threadstats td alt"><li>Trả lời: {t["replies"]}</li><li>Lượt xem: {t["views_text"]}</li></ul></li>'
    )


def _first_post_page(kind: str, t: dict[str, Any]) -> Answer:
    author = f'<a href="/members/{t["author_id"]}/" class="username">{_e(t["author"])}</a>'
    body = t["first_post"]
    if kind == "xenforo":
        inner = (
            f'<article class="message message--post" data-author="{_e(t["author"])}">'
            f'<div class="message-userDetails">{author}</div>'
            f'<div class="message-content"><div class="bbWrapper">{body}</div></div></article>'
            '<article class="message message--post" data-author="Khách">'
            '<div class="bbWrapper">Trả lời thứ hai</div></article>'
        )
        return _page(inner, root=' id="XF"')
    if kind == "phpbb":
        inner = (
            f'<div class="post bg2"><div class="postbody"><p class="author">{author}</p>'
            f'<div class="content">{body}</div><div class="signature">Chữ ký của {_e(t["author"])}</div></div></div>'
            '<div class="post bg1"><div class="content">Trả lời thứ hai</div></div>'
        )
        return _page(inner, root="", generator="phpBB")
    inner = (
        f'<li class="postcontainer"><div class="userinfo">{author}</div>'
        f'<blockquote class="postcontent restore">{body}</blockquote></li>'
        '<li class="postcontainer"><blockquote class="postcontent">Trả lời thứ hai</blockquote></li>'
    )
    return _page(inner, generator="vBulletin 4.2.5")


def forum_route(fixture: dict[str, Any], kind: str, *, per_page: int = 3) -> Any:
    threads: list[dict[str, Any]] = fixture["threads"]
    by_id = {str(t["id"]): t for t in threads}

    def listing(page: int, next_href: str) -> Answer:
        shown = threads[(page - 1) * per_page : page * per_page]
        if not shown:
            return not_found()
        more = page * per_page < len(threads)
        if kind == "xenforo":
            rows = "".join(_xenforo_row(t) for t in shown)
            nav = f'<a class="pageNav-jump pageNav-jump--next" href="{next_href}">Tiếp</a>' if more else ""
            return _page(f'<div class="structItemContainer">{rows}</div>{nav}', root=' id="XF" data-app="public"')
        if kind == "phpbb":
            rows = "".join(_phpbb_row(t) for t in shown)
            nav = (
                f'<ul class="pagination"><li class="arrow next"><a href="{next_href}" rel="next">›</a></li></ul>'
                if more
                else ""
            )
            return _page(f'<ul class="topiclist topics">{rows}</ul>{nav}', generator="")
        rows = "".join(_vbulletin_row(t) for t in shown)
        nav = f'<a rel="next" href="{next_href}">›</a>' if more else ""
        return _page(f'<ol class="threads">{rows}</ol>{nav}', generator="vBulletin 4.2.5")

    def route(path: str, query: dict[str, str], base: str) -> Answer:
        if path == "/_test/429":
            return reply(429, HTML, b"<h1>Too many requests</h1>")
        if path == "/_test/not-a-forum":
            return _page("<article><h1>Tin tức</h1><p>Không phải diễn đàn.</p></article>")
        if path == "/_test/broken.rss":
            return reply(200, RSS, b'<?xml version="1.0"?><rss><channel><item><title>cut')
        if kind == "xenforo":
            if path == "/forums/dien-luc.12/index.rss":
                return _rss(threads, base, lambda t: f"/threads/{t['slug']}.{t['id']}/", "XenForo")
            if path.startswith("/forums/dien-luc.12/"):
                rest = path.removeprefix("/forums/dien-luc.12/").strip("/")
                page = int(rest.removeprefix("page-")) if rest.startswith("page-") else 1
                return listing(page, f"/forums/dien-luc.12/page-{page + 1}")
            if path.startswith("/threads/"):
                thread = by_id.get(path.rstrip("/").rsplit(".", 1)[-1])
                return _first_post_page(kind, thread) if thread else not_found()
        if kind == "phpbb":
            if path == "/feed.php":
                return _atom(threads, base, lambda t: f"/viewtopic.php?f=12&t={t['id']}")
            if path == "/viewforum.php":
                start = int(query.get("start", "0"))
                return listing(start // per_page + 1, f"./viewforum.php?f=12&start={start + per_page}")
            if path == "/viewtopic.php" and query.get("t") in by_id:
                return _first_post_page(kind, by_id[query["t"]])
        if kind == "vbulletin":
            if path == "/external.php":
                return _rss(threads, base, lambda t: f"/showthread.php?t={t['id']}", "vBulletin")
            if path == "/forumdisplay.php":
                page = int(query.get("page", "1"))
                return listing(page, f"forumdisplay.php?f=12&page={page + 1}")
            if path == "/showthread.php" and query.get("t") in by_id:
                return _first_post_page(kind, by_id[query["t"]])
        return not_found()

    return route


def forum_replay(fixture: dict[str, Any], kind: str, *, per_page: int = 3) -> PlatformReplay:
    """A forum of software `kind` ("xenforo", "phpbb", "vbulletin") on loopback."""
    return PlatformReplay(forum_route(fixture, kind, per_page=per_page))
