"""`loa text …`: the text core from the shell, stdin to stdout, without Django."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import BinaryIO, TextIO

from loa.text.dates import find_dates
from loa.text.docrefs import find_references
from loa.text.encoding import decode
from loa.text.folding import fold
from loa.text.normalization import normalize


def _read(stream: BinaryIO, encoding: str | None) -> str:
    # Bytes, not text: stdin may hold Windows-1258 or a legacy-encoded file.
    return decode(stream.read(), declared=encoding).text


def _out() -> TextIO:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    return sys.stdout


def cmd_normalize(args: argparse.Namespace) -> int:
    _out().write(normalize(_read(sys.stdin.buffer, args.encoding)) + "\n")
    return 0


def cmd_fold(args: argparse.Namespace) -> int:
    _out().write(fold(_read(sys.stdin.buffer, args.encoding)) + "\n")
    return 0


def cmd_refs(args: argparse.Namespace) -> int:
    out = _out()
    for reference in find_references(_read(sys.stdin.buffer, args.encoding)):
        out.write(json.dumps(reference.as_json(), ensure_ascii=False) + "\n")
    return 0


def cmd_dates(args: argparse.Namespace) -> int:
    out = _out()
    reference = dt.date.fromisoformat(args.reference) if args.reference else None
    for match in find_dates(_read(sys.stdin.buffer, args.encoding), reference, years=args.years):
        record = {
            "date": match.value.isoformat(),
            "precision": match.precision,
            "text": match.text,
            "start": match.start,
            "end": match.end,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = subparsers.add_parser("text", help="Vietnamese text tools: normalize, fold, refs, dates")
    commands = text.add_subparsers(dest="text_command", metavar="TOOL", required=True)

    def tool(name: str, help_text: str, handler: object) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--encoding", default=None, help="encoding of stdin if known (default: detect)")
        parser.set_defaults(handler=handler)
        return parser

    tool(
        "normalize",
        "stdin to stdout in Loa's canonical form (NFC, tones, legacy encodings)",
        cmd_normalize,
    )
    tool("fold", "stdin to stdout folded for diacritic-insensitive matching", cmd_fold)
    tool("refs", "document references in stdin, one JSON object per line", cmd_refs)
    dates = tool("dates", "dates in stdin, one JSON object per line", cmd_dates)
    dates.add_argument("--reference", help="date (YYYY-MM-DD) that supplies missing years")
    dates.add_argument("--years", action="store_true", help="also report bare years (năm 2020)")
