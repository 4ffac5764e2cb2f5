"""What every app's factories share: the test password, the start of history and a counter."""

from __future__ import annotations

import datetime as dt
import itertools

PASSWORD = "mật-khẩu-thử-nghiệm-42"
# Units and spokespeople are valid from a fixed day, long before any date a test places data at.
START = dt.date(2020, 1, 1)
_counter = itertools.count(1)


def next_number() -> int:
    """A number no other factory call has used, for unique names, codes and addresses."""
    return next(_counter)
