"""Benchmark settings: the test settings on a throwaway SQLite file (or DATABASE_URL)."""

import os
import tempfile

os.environ.setdefault("LOA_VAR_DIR", tempfile.mkdtemp(prefix="loa-bench-"))

from loa.config.settings.test import *  # noqa: F403
