"""The `loa` command: start Loa, run its processes, and reach its services from a shell.

Each sub-command is a thin call into services; Django is set up only for the commands
that need it, so `loa --help` and configuration errors answer at once.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from loa import __version__
from loa.clikit import (
    EXIT_CONFIG,
    CommandError,
    check_database,
    check_port_free,
    print_line,
    require_migrated,
    setup_django,
)
from loa.config.env import ConfigError, settings_module

if TYPE_CHECKING:
    from loa.core.credentials import Credential

logger = logging.getLogger("loa.cli")

# --- commands -----------------------------------------------------------------


REPLAY_PORT = 8801
REPLAY_OUTLETS = 6
SOCIAL_PORT = 8811  # four ports: YouTube, Graph API, Telegram, forum


def cmd_up(args: argparse.Namespace) -> int:
    from loa.core.supervisor import Child, Supervisor
    from loa.devtools.cli import default_data

    replay_data = default_data() if args.demo and not args.no_replay else None
    social = args.demo and not args.no_social
    if replay_data is not None or social:
        # The demo polls local replay outlets; let the fetcher reach loopback for them only.
        os.environ.setdefault("LOA_FETCH_ALLOW_NETWORKS", "127.0.0.1/32")
    if social:
        from loa.devtools.platforms.demo import bases_at, demo_social_settings

        # The worker reaches the demo's Facebook page and YouTube statistics through the replays.
        for name, value in demo_social_settings(bases_at(host="127.0.0.1", first_port=args.social_port)).items():
            os.environ.setdefault(name, value)
    inbox = args.demo and not args.no_inbox
    if inbox and importlib.util.find_spec("aiosmtpd") is None:
        # The inbox is a development tool (installed by `make run`); the demo runs without it.
        print_line("Loa: thiếu aiosmtpd, không mở hộp thư thử (pip install aiosmtpd).")
        inbox = False
    if inbox:
        # Alerts of the demo go to a local inbox (SMTP and webhooks) unless mail is configured.
        os.environ.setdefault("EMAIL_HOST", "127.0.0.1")
        os.environ.setdefault("EMAIL_PORT", str(args.inbox_smtp_port))
        os.environ.setdefault("LOA_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    os.environ.setdefault("LOA_SITE_URL", f"http://{args.host}:{args.port}")
    setup_django()
    check_port_free(args.host, args.port)
    if replay_data is not None:
        for port in range(args.replay_port, args.replay_port + REPLAY_OUTLETS):
            check_port_free("127.0.0.1", port)
    if social:
        for port in range(args.social_port, args.social_port + 4):
            check_port_free("127.0.0.1", port)
    if inbox:
        check_port_free("127.0.0.1", args.inbox_smtp_port)
        check_port_free("127.0.0.1", args.inbox_http_port)
    check_database()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    print_line("Loa: cập nhật cơ sở dữ liệu (migrate)…")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    generated: list[Credential] = []
    if args.demo:
        generated += _load_demo(webhook_url=f"http://127.0.0.1:{args.inbox_http_port}/hooks/loa" if inbox else "")
        if replay_data is not None:
            from loa.devtools.demo import demo_sources

            added = demo_sources(host="127.0.0.1", first_port=args.replay_port)
            if added:
                print_line(f"Loa: đã thêm {added} nguồn tin mẫu từ máy chủ phát lại (replay outlets).")
        if social:
            from loa.devtools.demo import demo_social_sources_add
            from loa.devtools.platforms.demo import bases_at

            added = demo_social_sources_add(bases=bases_at(host="127.0.0.1", first_port=args.social_port))
            if added:
                print_line(f"Loa: đã thêm {added} nguồn mạng xã hội, diễn đàn, video mẫu (social replays).")
    if replay_data is not None:
        from loa.devtools.monitored import demo_sample

        # A newcomer sees the bloc's own coverage within minutes, not unrelated news: the replay
        # serves the sample's articles naming the monitored organisations first.
        print_line("Loa: chọn bài mẫu về các tổ chức được theo dõi (replay sample)…")
        sample = replay_data
        replay_data = demo_sample(sample, Path(settings.VAR_DIR) / "demo-replay.jsonl.gz")
        _seed_history(sample, replay=replay_data, first_port=args.replay_port)
    generated = _ensure_admin() + generated
    url = f"http://{args.host}:{args.port}/"
    _keep_credentials(generated, url=url)
    connections.close_all()

    python = sys.executable
    serve = [
        "serve",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--workers",
        str(args.web_workers),
        "--skip-checks",
    ]
    children = [Child("web", [python, "-m", "loa", *serve], ports=[(args.host, args.port)])]
    if replay_data is not None:
        replay = [
            "replay-server",
            "--data",
            str(replay_data),
            "--port",
            str(args.replay_port),
            "--outlets",
            str(REPLAY_OUTLETS),
            *(["--crossover"] if social else []),
        ]
        children.insert(0, Child("replay", [python, "-m", "loa", *replay], ports=[("127.0.0.1", args.replay_port)]))
    if social:
        platforms = ["social-replay-server", "--port", str(args.social_port)]
        children.insert(
            0, Child("social", [python, "-m", "loa", *platforms], ports=[("127.0.0.1", args.social_port + 3)])
        )
    if inbox:
        mailbox = [
            "demo-inbox",
            "--smtp-port",
            str(args.inbox_smtp_port),
            "--http-port",
            str(args.inbox_http_port),
            "--dir",
            str(Path(settings.VAR_DIR) / "demo-inbox"),
        ]
        children.insert(0, Child("inbox", [python, "-m", "loa", *mailbox], ports=[("127.0.0.1", args.inbox_http_port)]))
    if not args.no_scheduler:
        children.append(Child("scheduler", [python, "-m", "loa", "scheduler"]))
    if not args.no_worker:
        children.append(Child("worker", [python, "-m", "loa", "worker"]))
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

    def ready() -> None:
        # Printed once everything listens, so that it is the last thing on the screen and the
        # generated passwords do not scroll away under the children's start-up log.
        from loa.core.credentials import credentials_box, credentials_path

        print_line(f"Loa {__version__} đang chạy tại {url} — nhấn Ctrl-C để dừng.")
        if inbox:
            print_line(f"  Hộp thư thử nhận cảnh báo (e-mail, webhook): http://127.0.0.1:{args.inbox_http_port}/")
        if generated:
            print_line(credentials_box(credentials=generated, url=url, path=credentials_path(settings.VAR_DIR)))

    return Supervisor(children, env=env, on_ready=ready).run()


def _keep_credentials(generated: list[Credential], *, url: str) -> None:
    """Write generated passwords to var/credentials.txt (mode 0600), for the box at the end of
    start-up and for whoever runs Loa to find again."""
    if not generated:
        return
    from django.conf import settings
    from django.utils import timezone

    from loa.core.credentials import credentials_path, credentials_write

    path = credentials_path(settings.VAR_DIR)
    credentials_write(path=path, credentials=generated, url=url, now=timezone.localtime())
    print_line(f"  Đã ghi mật khẩu vào {path} (chỉ chủ tệp đọc được).")


def _seed_history(sample: Path, *, replay: Path, first_port: int) -> None:
    """Weeks of past coverage (once), so the dashboard has a usual level to compare today with."""
    from django.conf import settings
    from django.utils import timezone

    from loa.devtools.history import history_load, history_sample, read_records

    print_line("Loa: nạp bài cũ của các tuần trước (past coverage)…")
    chosen = history_sample(sample, Path(settings.VAR_DIR) / "demo-history.jsonl.gz", replay=replay)
    stored = history_load(records=read_records(chosen), first_port=first_port, now=timezone.localtime())
    if stored:
        print_line(f"Loa: đã nạp {stored} bài cũ về các tổ chức được theo dõi.")


def _load_demo(*, webhook_url: str) -> list[Credential]:
    from loa.core.credentials import Credential
    from loa.devtools.demo import demo_load

    result = demo_load(password=os.environ.get("LOA_DEMO_PASSWORD") or None, webhook_url=webhook_url)
    if result.created:
        print_line("Loa: đã nạp dữ liệu mẫu (demo data loaded).")
        if result.accounts:
            print_line("  Tài khoản mẫu: " + ", ".join(result.accounts))
            if result.password:
                print_line(f"  Mật khẩu chung của tài khoản mẫu (chỉ hiện một lần): {result.password}")
                return [Credential("Tài khoản mẫu (mật khẩu chung)", tuple(result.accounts), result.password)]
    return []


def _ensure_admin() -> list[Credential]:
    from loa.accounts.services import admin_ensure
    from loa.core.credentials import Credential

    username = os.environ.get("LOA_ADMIN_USERNAME", "admin")
    user, generated = admin_ensure(username=username, password=os.environ.get("LOA_ADMIN_PASSWORD") or None)
    if not generated:
        return []
    print_line("Loa: đã tạo tài khoản quản trị (administrator created).")
    print_line(f"  Tên đăng nhập: {user.username}")
    print_line(f"  Mật khẩu (chỉ hiện một lần, hãy lưu lại): {generated}")
    return [Credential("Quản trị viên", (user.username,), generated)]


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    if not args.skip_checks:
        check_port_free(args.host, args.port)
        check_database()
        require_migrated()
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "loa.config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--graceful-timeout",
        "10",
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "--name",
        "loa-web",
        "--no-control-socket",
    ]
    run()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    require_migrated()
    from django.conf import settings
    from django.core.management import call_command

    from loa.scheduling.services import stale_tasks_reclaim, worker_id_new

    # What a killed worker left RUNNING runs again (or fails, after too many attempts).
    stale_tasks_reclaim()
    if settings.TASKS_BACKEND_NAME == "rq":
        # RQ takes jobs from the queues in the order given: alerts before ingestion.
        queues = sorted(settings.TASK_QUEUES, key=lambda name: name != "notify")
        call_command(
            "rqworker",
            *queues,
            job_class="django_tasks_rq.backend.Job",
            with_scheduler=True,
            burst=args.burst,
        )
    else:
        call_command(
            "db_worker",
            queue_name="*",
            interval=args.interval,
            batch=args.burst,
            reload=False,
            worker_id=worker_id_new(),
        )
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    import signal

    setup_django()
    check_database()
    require_migrated()
    from django.conf import settings

    from loa.scheduling.runner import scheduler_run

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    tick = args.tick if args.tick is not None else settings.LOA_SCHEDULER_TICK_SECONDS
    scheduler_run(tick_seconds=tick, stop=stop, max_ticks=args.ticks)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    require_migrated()
    from django.conf import settings

    _keep_credentials(_load_demo(webhook_url=""), url=settings.LOA_SITE_URL)
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    require_migrated()
    from django.conf import settings

    _keep_credentials(_ensure_admin(), url=settings.LOA_SITE_URL)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    from loa.core.backup import BackupError, backup_create

    try:
        result = backup_create(output=args.output, include_raw=args.with_raw_pages)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print_line(
        f"Loa: đã sao lưu {result.vendor} ({result.migrations} migration), {result.files} tệp tải lên "
        f"→ {result.path} ({result.size / 1_048_576:.1f} MB)"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection

    if connection.vendor != "sqlite":
        # A missing SQLite file is fine (a fresh install); a PostgreSQL server must answer.
        check_database()
    from loa.core.backup import BackupError, restore_apply

    try:
        result = restore_apply(archive=args.archive, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print_line(
        f"Loa: đã khôi phục bản sao lưu {result.created_at} (Loa {result.loa_version}, {result.vendor}), "
        f"{result.files} tệp tải lên."
    )
    if result.migrated:
        print_line(f"  Đã chạy {len(result.migrated)} migration mới hơn bản sao lưu.")
    for kept in result.kept_aside:
        print_line(f"  Bản cũ được giữ lại tại: {kept}")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["loa manage", *args.django_args])
    except ConfigError as exc:
        raise CommandError(f"Lỗi cấu hình (configuration error): {exc}", EXIT_CONFIG) from exc
    return 0


# --- parser ---------------------------------------------------------------------

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loa",
        description="Loa — theo dõi báo chí và quản lý công tác thông tin, tuyên truyền.",
    )
    parser.add_argument("--version", action="version", version=f"loa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    up = sub.add_parser("up", help="migrate, then run web server, task worker and scheduler together")
    up.add_argument("--host", default=os.environ.get("LOA_HOST", "127.0.0.1"), help="address to listen on")
    up.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("LOA_PORT", "8000")),
        help="port to listen on",
    )
    up.add_argument("--demo", action="store_true", help="load the demo bloc on first start")
    up.add_argument("--web-workers", type=int, default=2, help="web server processes")
    up.add_argument("--no-worker", action="store_true", help="do not start a task worker")
    up.add_argument("--no-scheduler", action="store_true", help="do not start the scheduler")
    up.add_argument("--no-replay", action="store_true", help="with --demo, do not start the local replay news outlets")
    up.add_argument("--replay-port", type=int, default=REPLAY_PORT, help="port of the first replay outlet")
    up.add_argument(
        "--no-social",
        action="store_true",
        help="with --demo, do not start the replayed YouTube channel, Facebook page, Telegram channel and forum",
    )
    up.add_argument(
        "--social-port", type=int, default=SOCIAL_PORT, help="first of the four ports of the social replays"
    )
    up.add_argument("--no-inbox", action="store_true", help="with --demo, do not start the local alert inbox")
    up.add_argument("--inbox-smtp-port", type=int, default=8825, help="SMTP port of the demo inbox")
    up.add_argument("--inbox-http-port", type=int, default=8807, help="webhook and web port of the demo inbox")
    up.set_defaults(handler=cmd_up)

    serve = sub.add_parser("serve", help="run only the web server (gunicorn, static files served)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--workers", type=int, default=2, help="web server processes")
    serve.add_argument("--skip-checks", action="store_true", help=argparse.SUPPRESS)
    serve.set_defaults(handler=cmd_serve)

    worker = sub.add_parser("worker", help="run a background task worker (database or RQ queue)")
    worker.add_argument("--burst", action="store_true", help="run the queued tasks, then exit")
    worker.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds between polls of an empty database queue",
    )
    worker.set_defaults(handler=cmd_worker)

    scheduler = sub.add_parser("scheduler", help="enqueue periodic jobs when due (safe to run several)")
    scheduler.add_argument("--tick", type=float, default=None, help="seconds between checks")
    scheduler.add_argument("--ticks", type=int, default=None, help="stop after this many checks")
    scheduler.set_defaults(handler=cmd_scheduler)

    demo = sub.add_parser("demo", help="load the demo bloc, its units and accounts (once)")
    demo.set_defaults(handler=cmd_demo)

    createadmin = sub.add_parser("createadmin", help="create the first administrator if none exists")
    createadmin.set_defaults(handler=cmd_createadmin)

    backup = sub.add_parser(
        "backup", help="write one archive of the database, uploaded files and key (safe while Loa runs)"
    )
    backup.add_argument(
        "--output", type=Path, default=None, help="archive to write (default: LOA_BACKUP_DIR/loa-backup-<time>.tar.gz)"
    )
    backup.add_argument(
        "--with-raw-pages", action="store_true", help="also save the raw fetched pages (WARC files, can be large)"
    )
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database and uploaded files by an archive's (stop Loa first)")
    restore.add_argument("archive", type=Path, help="archive written by loa backup")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that holds data (it is renamed aside, not deleted)"
    )
    restore.set_defaults(handler=cmd_restore)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("django_args", nargs=argparse.REMAINDER, help="command and its arguments")
    manage.set_defaults(handler=cmd_manage)

    from loa.accounts import cli as accounts_cli
    from loa.analysis import cli as analysis_cli
    from loa.articles import cli as articles_cli
    from loa.devtools import cli as devtools_cli
    from loa.digests import cli as digests_cli
    from loa.reports import cli as reports_cli
    from loa.sources import cli as sources_cli
    from loa.text import cli as text_cli

    text_cli.register(sub)
    sources_commands = sources_cli.register(sub)
    articles_cli.register(sub, sources_commands)
    for module in (accounts_cli, analysis_cli, digests_cli, reports_cli, devtools_cli):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CommandError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return exc.status
    except ConfigError as exc:
        print(f"loa: Lỗi cấu hình (configuration error): {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`loa text refs | head`): not an error of ours.
        sys.stderr.close()
        return 0
