"""`loa replay-server`: serve the shared news sample as local outlets (tests, demos)."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path

from loa.clikit import CommandError

DEFAULT_PORT = 8801


def default_data() -> Path | None:
    here = Path(__file__).resolve()
    candidates = [os.environ.get("LOA_REPLAY_DATA", "")]
    candidates += [
        str(parent / "shared" / "data" / "news" / "baomoi-articles.jsonl.gz") for parent in here.parents[3:5]
    ]
    candidates.append("/work/shared/data/news/baomoi-articles.jsonl.gz")
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def cmd_replay(args: argparse.Namespace) -> int:
    import datetime as dt

    from loa.devtools.replay import VIETNAM, ReplayServer, build_corpus, load_sample

    data = Path(args.data) if args.data else default_data()
    if data is None or not data.is_file():
        raise CommandError("Không tìm thấy dữ liệu tin (news sample not found); dùng --data hoặc LOA_REPLAY_DATA")
    if args.monitored_first:
        from loa.devtools.monitored import load_monitored_first

        records = load_monitored_first(data, args.articles, live=args.live)
    else:
        records = load_sample(data, args.articles)
    corpus = build_corpus(
        records,
        outlets=args.outlets,
        now=dt.datetime.now(VIETNAM),
        live=args.live,
        live_interval=args.live_interval,
    )
    if args.crossover:
        from loa.devtools.platforms.demo import press_articles

        # The press article of the demo's crossover story, on its outlet, at its minute.
        for article in press_articles(corpus.started):
            if article.outlet < args.outlets:
                corpus.articles.append(article)
                corpus.by_key[(article.outlet, article.slug)] = article
    ports = [args.port + i for i in range(args.outlets)]
    try:
        server = ReplayServer(corpus, host=args.host, ports=ports).start()
    except OSError as exc:
        raise CommandError(f"Không mở được cổng {ports[0]}–{ports[-1]}: {exc}", 3) from exc
    # What outlets did after a correction or removal request, to try the request checks by hand.
    for path in args.gone or []:
        server.gone(path)
    for spec in args.edit or []:
        path, _, text_file = spec.partition("=")
        try:
            server.edit(path, Path(text_file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp nội dung sửa {text_file!r}: {exc}") from exc
    for base in server.bases:
        print(f"{base}/rss/tin-moi.rss  {base}/sitemap.xml  {base}/chuyen-muc/thoi-su", flush=True)
    _wait_for_a_signal()
    server.stop()
    return 0


def _wait_for_a_signal() -> None:
    """Serve until Ctrl-C or SIGTERM (from `loa up`, which stops its servers so)."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def cmd_social(args: argparse.Namespace) -> int:
    import datetime as dt

    from loa.devtools.platforms.demo import DemoSocial

    social = DemoSocial(started=dt.datetime.now(dt.UTC), host=args.host, first_port=args.port)
    try:
        social.start()
    except OSError as exc:
        raise CommandError(f"Không mở được cổng {args.port}–{args.port + 3}: {exc}", 3) from exc
    youtube, graph, telegram, forum = social.bases
    print(f"YouTube {youtube}  Graph API {graph}  Telegram {telegram}  diễn đàn {forum}", flush=True)
    _wait_for_a_signal()
    social.stop()
    return 0


INBOX_SMTP_PORT = 8825
INBOX_HTTP_PORT = 8807


def cmd_inbox(args: argparse.Namespace) -> int:
    from loa.devtools.inbox import Inbox

    inbox = Inbox(host=args.host, smtp_port=args.smtp_port, http_port=args.http_port, directory=args.dir)
    try:
        inbox.start()
    except (OSError, RuntimeError) as exc:
        raise CommandError(f"Không mở được hộp thư thử (cannot start the inbox): {exc}", 3) from exc
    print(
        f"Hộp thư thử: SMTP {args.host}:{inbox.smtp_port}, webhook {inbox.hook_url}, "
        f"xem tại http://{args.host}:{inbox.http_port}/",
        flush=True,
    )
    _wait_for_a_signal()
    inbox.stop()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    replay = subparsers.add_parser("replay-server", help="serve the shared news sample as local test outlets")
    replay.add_argument("--data", help="baomoi-articles.jsonl.gz (default: ../shared/data/news)")
    replay.add_argument("--host", default="127.0.0.1", help="address to listen on")
    replay.add_argument("--port", type=int, default=DEFAULT_PORT, help="port of the first outlet; others follow")
    replay.add_argument("--outlets", type=int, default=6, help="number of outlets")
    replay.add_argument("--articles", type=int, default=600, help="articles read from the sample")
    replay.add_argument("--live", type=int, default=120, help="articles that appear one by one after start")
    replay.add_argument("--live-interval", type=float, default=30.0, help="seconds between live articles")
    replay.add_argument(
        "--monitored-first",
        action="store_true",
        help="publish first the articles naming the demo's monitored organisations (loa up --demo)",
    )
    replay.add_argument(
        "--crossover",
        action="store_true",
        help="also publish the press article of the demo's crossover story (loa up --demo)",
    )
    replay.add_argument(
        "--gone",
        action="append",
        metavar="PATH",
        help="answer 410 Gone for this article path (/bai-viet/<slug>.html), as after a removal request",
    )
    replay.add_argument(
        "--edit",
        action="append",
        metavar="PATH=FILE",
        help="serve this article path with the body read from FILE (paragraphs split by blank lines)",
    )
    replay.set_defaults(handler=cmd_replay)

    social = subparsers.add_parser(
        "social-replay-server", help="serve the demo's YouTube channel, Facebook page, Telegram channel and forum"
    )
    social.add_argument("--host", default="127.0.0.1", help="address to listen on")
    social.add_argument(
        "--port", type=int, default=8811, help="first of four ports: YouTube, Graph API, Telegram, forum"
    )
    social.set_defaults(handler=cmd_social)

    inbox = subparsers.add_parser("demo-inbox", help="a local SMTP server and webhook receiver that keep alerts")
    inbox.add_argument("--host", default="127.0.0.1", help="address to listen on")
    inbox.add_argument("--smtp-port", type=int, default=INBOX_SMTP_PORT, help="SMTP port")
    inbox.add_argument("--http-port", type=int, default=INBOX_HTTP_PORT, help="webhook and web page port")
    inbox.add_argument("--dir", type=Path, help="also append what arrives to mail.jsonl and hook.jsonl here")
    inbox.set_defaults(handler=cmd_inbox)
