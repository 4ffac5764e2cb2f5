"""Looking for a person's trace in stored text or logs without false alarms: an account id or a
phone prefix is a whole number, so "3301" is not found in the replay's port 33015."""

from __future__ import annotations

import re


def pattern(trace: str) -> re.Pattern[str]:
    key = re.escape(trace)
    return re.compile(rf"(?<!\d){key}(?!\d)" if trace.replace(" ", "").isdigit() else key)


def contains(text: str, trace: str) -> bool:
    return pattern(trace).search(text) is not None
