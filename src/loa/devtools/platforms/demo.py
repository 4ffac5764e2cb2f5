"""The demo's social sources (`loa up --demo`): a YouTube channel, a Facebook page, a Telegram
channel and a forum section replayed on loopback from invented posts (demo_social.json), one
port each from the first: YouTube, Graph API, Telegram, forum.

Posts carry their time as minutes from the demo's start: those before it are there at once,
the others appear when their minute comes, so the demo's sources keep finding new posts. Every
request for a listing raises the visible posts' counts a little (views, reactions, comments,
shares), so each poll's engagement snapshot differs and the engagement curves move.

One story crosses over: a forum thread, then a prominent outlet's article (served by the news
replay, `press_articles`), then a post on the fanpage; the demo's crossover rule raises on it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from loa.devtools.platforms import Answer, PlatformReplay, PlatformServer
from loa.devtools.platforms.facebook import graph_route
from loa.devtools.platforms.forum import forum_route
from loa.devtools.platforms.telegram import TelegramReplay
from loa.devtools.platforms.youtube import YouTubeReplay

DATA = Path(__file__).with_name("demo_social.json")
VIETNAM = dt.timezone(dt.timedelta(hours=7))
FIRST_PORT = 8811
PORTS = 4  # YouTube, Graph API, Telegram, forum, in this order
YOUTUBE_KEY = "demo-youtube-key"
GRAPH_VERSION = "v19.0"
FORUM_FEED = "/forums/dien-luc.12/index.rss"


@cache
def demo_data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class DemoSource:
    kind: str
    url: str
    name: str


def bases_at(*, host: str, first_port: int) -> list[str]:
    """The replays' addresses when served from `first_port` on."""
    return [f"http://{host}:{first_port + i}" for i in range(PORTS)]


def demo_social_sources(bases: list[str]) -> list[DemoSource]:
    """The four sources the demo polls. The Facebook page's address is the page's own (the
    connector reads its posts through the Graph API, which the settings point at the replay)."""
    data = demo_data()
    youtube, _graph, telegram, forum = bases
    return [
        DemoSource(
            "youtube",
            f"{youtube}/feeds/videos.xml?channel_id={data['youtube']['channel_id']}",
            data["youtube"]["title"],
        ),
        DemoSource("facebook", f"https://www.facebook.com/{data['facebook']['page_id']}", data["facebook"]["name"]),
        DemoSource("telegram", f"{telegram}/s/{data['telegram']['name']}", data["telegram"]["title"]),
        DemoSource("forum", f"{forum}{FORUM_FEED}", "Diễn đàn Điện lực (mẫu)"),
    ]


def demo_social_settings(bases: list[str]) -> dict[str, str]:
    """The settings (environment variables) under which the demo's processes reach the replays:
    the YouTube API with the demo's key, the Graph API with the demo page's token."""
    facebook = demo_data()["facebook"]
    return {
        "LOA_YOUTUBE_API_URL": f"{bases[0]}/youtube/v3",
        "LOA_YOUTUBE_API_KEY": YOUTUBE_KEY,
        "LOA_GRAPH_API_URL": f"{bases[1]}/{GRAPH_VERSION}",
        "LOA_FACEBOOK_PAGE_TOKENS": f"{facebook['page_id']}={facebook['token']}",
    }


def press_articles(now: dt.datetime) -> list[Any]:
    """The crossover story's press article(s), for the news replay's corpus."""
    # Imported here: the news replay is only needed by the replay server, not by the demo's sources.
    from loa.devtools.replay import ReplayArticle

    return [
        ReplayArticle(
            id=f"demo-{item['slug']}",
            outlet=item["outlet"],
            slug=item["slug"],
            title=item["title"],
            lead=item["lead"],
            paragraphs=list(item["paragraphs"]),
            published=(now + dt.timedelta(minutes=item["minutes"])).astimezone(VIETNAM).replace(microsecond=0),
            section=item["section"],
        )
        for item in demo_data()["press"]
    ]


class _Counts:
    """Each item's counts, raised a little on each listing request."""

    def __init__(self, items: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
        self.values = {str(i["id"]): {f: int(i.get(f, 0)) for f in fields} for i in items}

    def raise_(self, ids: list[str]) -> None:
        for rank, key in enumerate(ids):
            for name, value in self.values[key].items():
                # Newer posts (first in `ids`) grow faster, as a fresh post does.
                self.values[key][name] = value + max(1, value // (25 + 10 * rank))


class DemoSocial:
    """The four replays over `demo_data()`, with the demo's start at `started`."""

    def __init__(
        self,
        *,
        started: dt.datetime,
        host: str = "127.0.0.1",
        first_port: int = 0,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.data = demo_data()
        self.started = started
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.lock = threading.Lock()
        youtube, facebook = self.data["youtube"], self.data["facebook"]
        telegram, forum = self.data["telegram"], self.data["forum"]
        self.video_counts = _Counts(youtube["videos"], ("views", "likes", "comments"))
        self.post_counts = _Counts(facebook["posts"], ("reactions", "shares", "comment_count"))
        self.message_counts = _Counts(telegram["messages"], ("views",))
        self.thread_counts = _Counts(forum["threads"], ("replies", "views"))

        self.youtube = YouTubeReplay(feeds={}, videos={}, keys={YOUTUBE_KEY})
        self.graph: dict[str, Any] = {"pages": {facebook["page_id"]: []}, "tokens": {facebook["token"]: "ok"}}
        graph = graph_route(self.graph)
        self.telegram = TelegramReplay(
            channel={k: telegram[k] for k in ("name", "title", "description", "subscribers")}, messages=[]
        )
        # The forum's route keeps the thread list it is given: it is refilled with the visible ones.
        self.forum: dict[str, Any] = {"threads": [self._thread(t) for t in forum["threads"]]}
        forum_answer = forum_route(self.forum, "xenforo")

        def on_youtube(path: str, query: dict[str, list[str]]) -> Answer:
            with self.lock:
                if path == "/feeds/videos.xml":
                    self._youtube_refresh()
                return self.youtube(path, query)

        def on_graph(path: str, query: dict[str, str], base: str) -> Answer:
            with self.lock:
                if "after" not in query:
                    self._graph_refresh()
                return graph(path, query, base)  # type: ignore[no-any-return]

        def on_telegram(path: str, query: dict[str, list[str]]) -> Answer:
            with self.lock:
                if "before" not in query:
                    self._telegram_refresh()
                return self.telegram(path, query)

        def on_forum(path: str, query: dict[str, str], base: str) -> Answer:
            with self.lock:
                if path == FORUM_FEED:
                    self._forum_refresh()
                return forum_answer(path, query, base)  # type: ignore[no-any-return]

        port = [first_port + i if first_port else 0 for i in range(PORTS)]
        self.servers: list[PlatformServer] = [
            PlatformServer(on_youtube, host=host, port=port[0]),
            PlatformReplay(on_graph, host=host, port=port[1]),
            PlatformServer(on_telegram, host=host, port=port[2]),
            PlatformReplay(on_forum, host=host, port=port[3]),
        ]

    # --- what is visible now ---------------------------------------------------------------

    def when(self, item: dict[str, Any]) -> dt.datetime:
        return (self.started + dt.timedelta(minutes=item["minutes"])).astimezone(VIETNAM).replace(microsecond=0)

    def visible(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The items published by now, newest first."""
        now = self.clock()
        shown = [i for i in items if self.when(i) <= now]
        return sorted(shown, key=lambda i: self.when(i), reverse=True)

    def _youtube_refresh(self) -> None:
        youtube = self.data["youtube"]
        shown = self.visible(youtube["videos"])
        self.video_counts.raise_([v["id"] for v in shown])
        counts = self.video_counts.values
        self.youtube.feeds = {youtube["channel_id"]: self._feed(shown)}
        self.youtube.videos = {
            v["id"]: {
                "statistics": {
                    "viewCount": str(counts[v["id"]]["views"]),
                    "likeCount": str(counts[v["id"]]["likes"]),
                    "favoriteCount": "0",
                    "commentCount": str(counts[v["id"]]["comments"]),
                }
            }
            for v in shown
        }

    def _feed(self, videos: list[dict[str, Any]]) -> bytes:
        youtube = self.data["youtube"]
        owner = youtube["owner"]
        author = f"<author><name>{escape(owner['name'])}</name><uri>{escape(owner['uri'])}</uri></author>"
        entries = "".join(
            f"<entry><id>yt:video:{v['id']}</id><yt:videoId>{v['id']}</yt:videoId>"
            f"<yt:channelId>{youtube['channel_id']}</yt:channelId><title>{escape(v['title'])}</title>"
            f'<link rel="alternate" href="https://www.youtube.com/watch?v={v["id"]}"/>{author}'
            f"<published>{self.when(v).isoformat()}</published><updated>{self.when(v).isoformat()}</updated>"
            f"<media:group><media:title>{escape(v['title'])}</media:title>"
            f"<media:description>{escape(v['description'])}</media:description>"
            f'<media:community><media:starRating count="{self.video_counts.values[v["id"]]["likes"]}" '
            'average="5.00" min="1" max="5"/>'
            f'<media:statistics views="{self.video_counts.values[v["id"]]["views"]}"/></media:community>'
            "</media:group></entry>"
            for v in videos
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
            'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(youtube['title'])}</title>{author}{entries}</feed>"
        ).encode()

    def _graph_refresh(self) -> None:
        facebook = self.data["facebook"]
        shown = self.visible(facebook["posts"])
        self.post_counts.raise_([p["id"] for p in shown])
        posts = []
        for post in shown:
            counts = self.post_counts.values[post["id"]]
            posts.append(
                {
                    "id": post["id"],
                    "from": post["from"],
                    "message": post["message"],
                    "created_time": self.when(post).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                    "permalink_url": f"https://www.facebook.com/{facebook['page_id']}/posts/{post['id'].split('_')[-1]}",
                    "shares": {"count": counts["shares"]},
                    "reactions": {"data": [], "summary": {"total_count": counts["reactions"]}},
                    "comments": {
                        "data": [
                            {"id": f"{post['id']}_c{n}", "from": c["from"], "message": c["message"]}
                            for n, c in enumerate(post["comments"])
                        ],
                        "summary": {"total_count": counts["comment_count"]},
                    },
                }
            )
        self.graph["pages"][facebook["page_id"]][:] = posts

    def _telegram_refresh(self) -> None:
        shown = self.visible(self.data["telegram"]["messages"])
        self.message_counts.raise_([str(m["id"]) for m in shown])
        self.telegram.messages = [
            {
                **{k: v for k, v in m.items() if k in ("id", "signed_by", "forwarded_from")},
                "text_html": html.escape(m["text_html"]),
                "datetime": self.when(m).isoformat(),
                "views": str(self.message_counts.values[str(m["id"])]["views"]),
            }
            for m in reversed(shown)  # the preview lists the oldest first
        ]

    def _thread(self, thread: dict[str, Any]) -> dict[str, Any]:
        counts = self.thread_counts.values[str(thread["id"])]
        return {
            **thread,
            "started": self.when(thread).isoformat(),
            "replies": counts["replies"],
            "views_text": str(counts["views"]),
        }

    def _forum_refresh(self) -> None:
        shown = self.visible(self.data["forum"]["threads"])
        self.thread_counts.raise_([str(t["id"]) for t in shown])
        self.forum["threads"][:] = [self._thread(t) for t in shown]

    # --- serving -------------------------------------------------------------------------------

    @property
    def bases(self) -> list[str]:
        return [server.base for server in self.servers]

    def start(self) -> DemoSocial:
        for server in self.servers:
            server.__enter__()
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.__exit__(None, None, None)

    def __enter__(self) -> DemoSocial:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
