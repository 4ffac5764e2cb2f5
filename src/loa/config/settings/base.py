"""Settings shared by every environment; each value comes from the environment or a safe default."""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from loa.config import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = env.var_dir()
PRODUCTION = False

DEBUG = env.env_bool("LOA_DEBUG", False)
SECRET_KEY = env.secret_key(production=False, directory=VAR_DIR)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    # The libraries' apps under Vietnamese names in the admin (loa.core.third_party).
    "loa.core.third_party.TasksDatabaseConfig",
    "loa.core.third_party.RQConfig",
    "loa.core.third_party.AuditConfig",
    "loa.core.third_party.AxesConfig",
    "csp",
    # Django Ninja: the read API; its app serves the docs page's vendored Swagger UI files (no CDN).
    "ninja",
    "loa.core",
    "loa.units",
    "loa.accounts",
    "loa.scheduling",
    "loa.sources",
    "loa.articles",
    "loa.analysis",
    "loa.analytics",
    "loa.outbox",
    "loa.alerts",
    "loa.incidents",
    "loa.claims",
    "loa.reports",
    "loa.digests",
    "loa.directives",
    "loa.events",
    "loa.plans",
    "loa.opinion",
    "loa.people",
    "loa.study",
    "loa.evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loa.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "loa.config.urls"
WSGI_APPLICATION = "loa.config.wsgi.application"
ASGI_APPLICATION = "loa.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "loa.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": env.database_config(VAR_DIR / "loa.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.redis_url()
if REDIS_URL:
    CACHES: dict[str, Any] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks go through the django-tasks API. The embedded mode keeps the queue
# in the database; with Redis, RQ lets any number of workers on other machines share it.
TASKS_BACKEND_NAME = env.env_list("LOA_TASKS_BACKEND", ["rq" if REDIS_URL else "database"])[0]
if TASKS_BACKEND_NAME not in {"database", "rq"}:
    raise env.ConfigError("LOA_TASKS_BACKEND phải là 'database' hoặc 'rq'.")
if TASKS_BACKEND_NAME == "rq" and not REDIS_URL:
    raise env.ConfigError("LOA_TASKS_BACKEND=rq cần REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
TASK_QUEUES = ["default", "ingest", "analysis", "notify"]
TASKS: dict[str, Any] = {
    "default": {
        "BACKEND": ("django_tasks_rq.RQBackend" if TASKS_BACKEND_NAME == "rq" else "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
RQ_QUEUES = {name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900} for name in TASK_QUEUES}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (loa.accounts.throttle): failures within the cool-off are counted per
# username and address, per address across usernames (higher: an office shares an address),
# and per username across addresses; each count has its own limit. The owner of a username
# others have locked passes with a one-time link e-mailed to the account's address.
LOA_LOGIN_FAILURE_LIMIT = env.env_int("LOA_LOGIN_FAILURE_LIMIT", 5)
LOA_LOGIN_ADDRESS_FAILURE_LIMIT = env.env_int("LOA_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOA_LOGIN_ACCOUNT_FAILURE_LIMIT = env.env_int("LOA_LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOA_LOGIN_UNLOCK_MINUTES = env.env_int("LOA_LOGIN_UNLOCK_MINUTES", 30)
# Requests a minute one account may make to the read API (/api/v1/); more are answered 429.
LOA_API_RATE = f"{env.env_int('LOA_API_REQUESTS_PER_MINUTE', 120)}/m"
# Pages of the API's lists: 50 rows unless asked, never more than 100 (Ninja has no upper bound).
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 100
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; none by default,
# so the client's address is REMOTE_ADDR and a forged header counts for nothing.
LOA_TRUSTED_PROXIES = env.env_list("LOA_TRUSTED_PROXIES", [])
for _proxy in LOA_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _error:
        raise env.ConfigError(f"LOA_TRUSTED_PROXIES: {_proxy!r} không phải địa chỉ hay dải mạng IP.") from _error
AXES_FAILURE_LIMIT = LOA_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.env_int("LOA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "loa.accounts.throttle.lockout_parameters"
AXES_HANDLER = "loa.accounts.throttle.LoginThrottle"
AXES_CLIENT_IP_CALLABLE = "loa.accounts.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
# Successful logins are not kept: addresses are personal data the work does not need.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Audit of every change; addresses are not recorded (minimal personal data).
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "admin.logentry",
    "auditlog.logentry",
    "axes",
    # Background task results (the app label of django_tasks_db): machine records, not changes.
    "django_tasks_database",
    "contenttypes",
    "scheduling.periodicjob",
    # Machine-made records of the monitoring pipeline, not changes people make.
    "articles.article",
    "articles.articleband",
    "articles.fetchitem",
    # A social post's counts, snapshotted at each poll (dozens a minute in the demo).
    "articles.engagement",
    "sources.pipelinecount",
    "sources.hostslot",
    "analysis.articleanalysis",
    "analysis.articletopic",
    "analysis.mention",
    "analysis.querymatch",
    "analysis.story",
    "analysis.storyterm",
    "alerts.alert",
    "alerts.delivery",
    # What Loa sent: machine records of messages, whose content the change that queued them holds.
    "outbox.message",
    # The timeline is the incident's own record of who did what, and mostly coverage.
    "incidents.timelineentry",
    # Sections are made by the build from the profile; editors act on the items, which are audited.
    "digests.digestsection",
)
# Derived data that would only bloat each entry: a review's folded search text, a report's figures.
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login", "search_text", "figures", "token_hash")
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_STORE_JSON_CHANGES = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.env_int("LOA_SESSION_HOURS", 10) * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.env_bool("LOA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# dd/mm/yyyy in both languages.
FORMAT_MODULE_PATH = ["loa.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, Any] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# `loa backup` writes its archives here unless given --output; LOA_PG_BIN_DIR chooses the
# pg_dump/pg_restore matching a newer PostgreSQL server (e.g. /usr/lib/postgresql/17/bin).
LOA_BACKUP_DIR = Path(os.environ.get("LOA_BACKUP_DIR", "").strip() or VAR_DIR / "backups")
LOA_PG_BIN_DIR = os.environ.get("LOA_PG_BIN_DIR", "").strip()

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.env_list("EMAIL_HOST", ["127.0.0.1"])[0]
EMAIL_PORT = env.env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.env_bool("EMAIL_USE_SSL", False)
# A mail server that hangs must not hold an alert worker for long; the delivery is retried.
EMAIL_TIMEOUT = env.env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.env_list("DEFAULT_FROM_EMAIL", ["loa@localhost"])[0]
# How long a link to choose a password stays valid ("forgot password", a new account's e-mail).
PASSWORD_RESET_TIMEOUT = env.env_int("LOA_PASSWORD_LINK_HOURS", 72) * 3600

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "trafilatura": {"level": "WARNING"},
        "htmldate": {"level": "WARNING"},
    },
}

# The scheduler wakes this often to enqueue due periodic jobs.
LOA_SCHEDULER_TICK_SECONDS = env.env_int("LOA_SCHEDULER_TICK_SECONDS", 5)
# Finished task rows older than this are pruned by the housekeeping job.
LOA_TASK_RESULT_RETENTION_DAYS = env.env_int("LOA_TASK_RESULT_RETENTION_DAYS", 14)
# A task whose worker died is requeued, up to this many runs in all, then failed. A worker
# on this host is known dead at once (its pid is gone); one on another host only when its
# task has been RUNNING longer than the lease, kept far above any task's run (RQ's job
# timeout is 15 min) since there is no heartbeat. The scheduler looks this often.
LOA_TASK_MAX_ATTEMPTS = env.env_int("LOA_TASK_MAX_ATTEMPTS", 3)
LOA_TASK_LEASE_SECONDS = env.env_int("LOA_TASK_LEASE_SECONDS", 3600)
LOA_TASK_RECLAIM_SECONDS = env.env_int("LOA_TASK_RECLAIM_SECONDS", 60)

# --- ingestion ----------------------------------------------------------------------
# Private networks Loa may fetch from (CIDRs); empty refuses every non-public address.
LOA_FETCH_ALLOW_NETWORKS = env.env_list("LOA_FETCH_ALLOW_NETWORKS", [])
LOA_FETCH_MAX_BYTES = env.env_int("LOA_FETCH_MAX_BYTES", 5 * 1024 * 1024)
LOA_FETCH_TIMEOUT_SECONDS = env.env_int("LOA_FETCH_TIMEOUT_SECONDS", 15)
LOA_FETCH_DEADLINE_SECONDS = env.env_int("LOA_FETCH_DEADLINE_SECONDS", 30)
LOA_FETCH_ATTEMPTS = env.env_int("LOA_FETCH_ATTEMPTS", 3)
# Milliseconds between two requests to one host, and requests in flight per host.
LOA_FETCH_HOST_INTERVAL_MS = env.env_int("LOA_FETCH_HOST_INTERVAL_MS", 1000)
LOA_FETCH_HOST_CONCURRENCY = env.env_int("LOA_FETCH_HOST_CONCURRENCY", 2)
LOA_FETCH_RESPECT_ROBOTS = env.env_bool("LOA_FETCH_RESPECT_ROBOTS", True)
LOA_ARCHIVE_DIR = VAR_DIR / "archive"
# Items a worker takes at once, threads it fetches them with, and how long it may hold them.
LOA_INGEST_BATCH = env.env_int("LOA_INGEST_BATCH", 24)
LOA_INGEST_THREADS = env.env_int("LOA_INGEST_THREADS", 4)
LOA_ITEM_LEASE_SECONDS = env.env_int("LOA_ITEM_LEASE_SECONDS", 300)
LOA_ITEM_MAX_ATTEMPTS = env.env_int("LOA_ITEM_MAX_ATTEMPTS", 5)
# How often the scheduler looks for work a dead worker left behind.
LOA_FRONTIER_SWEEP_SECONDS = env.env_int("LOA_FRONTIER_SWEEP_SECONDS", 60)
# Sitemap entries older than this are history, not news.
LOA_SITEMAP_MAX_AGE_DAYS = env.env_int("LOA_SITEMAP_MAX_AGE_DAYS", 3)
# New links one poll of one source may queue (the freshest first); the rest wait for the
# next polls. 500 is about what one worker fetches in a 10-minute poll interval at the
# default politeness, and half a Google News sitemap's 1,000, so a listing of 130,000
# links cannot bury every other source's news under a day and a half of backlog.
LOA_SOURCE_MAX_NEW_LINKS_PER_POLL = env.env_int("LOA_SOURCE_MAX_NEW_LINKS_PER_POLL", 500)

# --- social platforms, forums, video (loa.pipeline.connectors) ----------------------------
# YouTube Data API v3 key: with it, a channel's videos get their views, likes and comment
# counts (videos.list statistics); without it, only the channel's public feed is read.
LOA_YOUTUBE_API_KEY = os.environ.get("LOA_YOUTUBE_API_KEY", "")
LOA_YOUTUBE_API_URL = os.environ.get("LOA_YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3")
# Facebook pages: "PAGE_ID=TOKEN" pairs separated by commas, a page access token of each public
# page the organisation manages or has been granted. Graph API's address (a replay in tests).
LOA_FACEBOOK_PAGE_TOKENS = dict(
    pair.split("=", 1) for pair in env.env_list("LOA_FACEBOOK_PAGE_TOKENS", []) if "=" in pair
)
LOA_GRAPH_API_URL = os.environ.get("LOA_GRAPH_API_URL", "https://graph.facebook.com/v19.0")

# --- analysis -----------------------------------------------------------------------
# Trained by `loa model train` (sentiment, topics, story term weights); shipped with Loa.
LOA_MODEL_PATH = PACKAGE_DIR / "analysis" / "models_store" / "loa-models.joblib"
if env.env_list("LOA_MODEL_PATH", []):
    LOA_MODEL_PATH = Path(env.env_list("LOA_MODEL_PATH", [])[0])
# Topics: "bloc" (default), the bloc's themes (rules plus what staff confirmed, see
# `loa model themes`); "danes" adds the DANeS model's consumer-news labels as topics as well.
LOA_TOPICS = os.environ.get("LOA_TOPICS", "bloc").strip().lower() or "bloc"
if LOA_TOPICS not in ("bloc", "danes"):
    raise env.ConfigError(f"LOA_TOPICS={LOA_TOPICS!r}: dùng 'bloc' hoặc 'danes'")
# The themes' learned part, trained from this install's confirmed articles by `loa model themes`;
# without the file every theme is assigned by its rule alone.
LOA_THEMES_PATH = VAR_DIR / "models" / "loa-themes.json"
if env.env_list("LOA_THEMES_PATH", []):
    LOA_THEMES_PATH = Path(env.env_list("LOA_THEMES_PATH", [])[0])

# --- alerts -------------------------------------------------------------------------
# Where links in alert messages point, and the key that signs webhook bodies (HMAC-SHA256).
LOA_SITE_URL = env.env_list("LOA_SITE_URL", ["http://127.0.0.1:8000"])[0]
LOA_WEBHOOK_SECRET = os.environ.get("LOA_WEBHOOK_SECRET", SECRET_KEY)
# How often window rules, retries and escalations are looked at; how long a sender holds a message.
LOA_ALERTS_SWEEP_SECONDS = env.env_int("LOA_ALERTS_SWEEP_SECONDS", 30)
LOA_DELIVERY_LEASE_SECONDS = env.env_int("LOA_DELIVERY_LEASE_SECONDS", 120)
# How often the outbox sends again what failed or what a dead worker left leased.
LOA_OUTBOX_SWEEP_SECONDS = env.env_int("LOA_OUTBOX_SWEEP_SECONDS", 30)
# Webhooks go to public addresses only, unless these networks (an intranet chat, say) are allowed.
LOA_WEBHOOK_ALLOW_NETWORKS = env.env_list("LOA_WEBHOOK_ALLOW_NETWORKS", [])

# --- documents: the press review and reports ---------------------------------------------------
# Page margins in mm (top, bottom, left, right); 36-HD/VPTW's usual 20, 20, 30, 15.
LOA_DOCUMENT_MARGINS_MM = os.environ.get("LOA_DOCUMENT_MARGINS_MM", "20,20,30,15")
# LibreOffice's DOCX → PDF conversion is stopped after this long.
LOA_PDF_TIMEOUT_SECONDS = env.env_int("LOA_PDF_TIMEOUT_SECONDS", 120)
# How often due press reviews are looked for (each is built once, at its profile's hour).
LOA_DIGEST_SWEEP_SECONDS = env.env_int("LOA_DIGEST_SWEEP_SECONDS", 300)

# --- directives ------------------------------------------------------------------------------
# Units are reminded of a task this many days before its deadline (and once more when late).
LOA_TASK_REMIND_DAYS = env.env_int("LOA_TASK_REMIND_DAYS", 7)
# An uploaded directive (DOCX, PDF, text) is read in a child process that is stopped after this
# many seconds or when it asks for more than this much memory; the web worker never parses it.
LOA_IMPORT_TIMEOUT_SECONDS = env.env_int("LOA_IMPORT_TIMEOUT_SECONDS", 20)
LOA_IMPORT_MEMORY_MB = env.env_int("LOA_IMPORT_MEMORY_MB", 512)
# A directive runs to 5,000–60,000 characters and 5–30 task items; these bounds are ten times the
# longest, so only a mistake or an attack meets them.
LOA_DIRECTIVE_MAX_CHARS = env.env_int("LOA_DIRECTIVE_MAX_CHARS", 300_000)
LOA_DIRECTIVE_MAX_ITEMS = env.env_int("LOA_DIRECTIVE_MAX_ITEMS", 500)
# How long a roster record is kept after consent unless set otherwise (personal data, kept no longer than needed).
LOA_PEOPLE_RETENTION_YEARS = env.env_int("LOA_PEOPLE_RETENTION_YEARS", 5)
# The longest a record may be kept after consent, whatever date is typed: two five-year terms
# (a party committee's term, over which a speaker or collaborator usually serves), twice the
# default. Longer needs the consent given again, which moves the consent date.
LOA_PEOPLE_MAX_RETENTION_YEARS = env.env_int("LOA_PEOPLE_MAX_RETENTION_YEARS", 10)
if not 1 <= LOA_PEOPLE_RETENTION_YEARS <= LOA_PEOPLE_MAX_RETENTION_YEARS:
    raise env.ConfigError(
        "LOA_PEOPLE_RETENTION_YEARS phải từ 1 đến LOA_PEOPLE_MAX_RETENTION_YEARS "
        f"({LOA_PEOPLE_RETENTION_YEARS} > {LOA_PEOPLE_MAX_RETENTION_YEARS}?)."
    )
