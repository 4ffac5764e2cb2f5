"""The passwords Loa generates at first start: shown in a box once everything listens, and kept
in `var/credentials.txt`, readable by its owner only, so that they do not scroll away under the
log. Plain Python: the `loa` command calls it around Django, never a view."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "credentials.txt"
FILE_MODE = 0o600
# Widest line of names in the box and the file.
WIDTH = 72


@dataclass(frozen=True)
class Credential:
    """Accounts that share one generated password (the administrator, or the demo accounts)."""

    label: str
    usernames: tuple[str, ...]
    password: str


def credentials_path(var_dir: str | os.PathLike[str]) -> Path:
    return Path(var_dir) / FILE_NAME


def credentials_write(*, path: Path, credentials: Sequence[Credential], url: str, now: dt.datetime) -> None:
    """Add `credentials` to the file at `path`.

    The file is created with mode 0600 by the same call that opens it (never created readable
    and narrowed afterwards, which would leave a moment in which anyone could read it). A later
    start that generates another password (a `loa demo` after the first start) appends to it.
    """
    if not credentials:
        return
    lines = [f"# Loa — {url} — {now:%d/%m/%Y %H:%M}", *_lines(credentials), ""]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def _lines(credentials: Sequence[Credential]) -> list[str]:
    lines = []
    for credential in credentials:
        names = ", ".join(credential.usernames)
        if len(credential.label) + len(names) + 2 <= WIDTH:
            lines.append(f"{credential.label}: {names}")
        else:
            # Many demo accounts: one name list wrapped under the label keeps the box within
            # an 80-column terminal, where a wider box would break apart.
            lines.append(f"{credential.label}:")
            lines += textwrap.wrap(names, WIDTH, initial_indent="  ", subsequent_indent="  ")
        lines.append(f"  Mật khẩu: {credential.password}")
    return lines


def credentials_box(*, credentials: Sequence[Credential], url: str, path: Path) -> str:
    """The box printed at the end of start-up."""
    body = [
        f"Loa đã sẵn sàng tại {url}",
        "",
        *_lines(credentials),
        "",
        f"Đã lưu vào {path} (chỉ chủ tệp đọc được).",
        "Hãy đổi mật khẩu sau lần đăng nhập đầu tiên, rồi xoá tệp này.",
    ]
    width = max(len(line) for line in body)
    rule = "═" * (width + 2)
    return "\n".join([f"╔{rule}╗", *(f"║ {line.ljust(width)} ║" for line in body), f"╚{rule}╝"])
