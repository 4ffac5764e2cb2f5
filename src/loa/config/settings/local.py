"""Embedded mode on one machine: `make run`, SQLite under var/, database task queue."""

from loa.config.settings.base import *  # noqa: F403
