"""Run every benchmark scenario and print one table.

Scenarios are plain functions returning rows; each module in SCENARIOS adds its own.
Timings come from repeated runs on this machine; compare them between commits, not
against absolute targets.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable, Iterable

from bench.table import Row, print_table

SCENARIOS = [
    "bench.text",
    "bench.scoping",
    "bench.ingest",
    "bench.analysis",
    "bench.entities",
    "bench.themes",
    "bench.search",
    "bench.analytics",
    "bench.alerts",
    "bench.demo_alerts",
    "bench.documents",
    "bench.study",
    "bench.stories",
    "bench.claims",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--only", help="run only scenarios whose module name contains this")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    rows: list[Row] = []
    started = time.perf_counter()
    for name in SCENARIOS:
        if args.only and args.only not in name:
            continue
        module = importlib.import_module(name)
        run: Callable[..., Iterable[Row]] = module.run
        rows.extend(run(quick=args.quick))
    print_table(rows)
    print(f"\n{len(rows)} measurements in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
