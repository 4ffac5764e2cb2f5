"""Test settings: fast hashing, in-memory mail, plain static storage; database from DATABASE_URL."""

import os
import tempfile

# Tests keep generated files (secret key, archives) out of the developer's var/.
os.environ.setdefault("LOA_VAR_DIR", tempfile.mkdtemp(prefix="loa-test-var-"))

from loa.config.settings.base import *  # noqa: F403
from loa.config.settings.base import STORAGES, TASKS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Services enqueue on commit; tests run those tasks at once unless they exercise a queue.
TASKS = {
    **TASKS,
    "default": {**TASKS["default"], "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
TASKS["database"] = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: threads and the live server then lock and wait the
    # way web, worker and scheduler processes do in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns about a missing root

# The replay server runs on loopback; tests never reach the internet.
LOA_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
LOA_WEBHOOK_ALLOW_NETWORKS = ["127.0.0.0/8"]
LOA_FETCH_HOST_INTERVAL_MS = 0
LOA_FETCH_HOST_CONCURRENCY = 4
LOA_FETCH_TIMEOUT_SECONDS = 3
LOA_FETCH_DEADLINE_SECONDS = 6
LOA_FETCH_ATTEMPTS = 2
