"""Whether a published item changed after a correction, reply or removal request.

Given the text of the item as archived when the request was made and a new fetch of its
address (the HTTP status and the page), `verify` says what became of it:

- `removed`: the address answers 404, 410 or 451, or the page no longer holds the text
  (fewer than `REMOVED_BELOW` of the original's four-word shingles remain: a redirect to
  the home page, an empty shell, another article);
- `corrected`: a correction notice that the original did not carry appears in the text
  ("đính chính", "cải chính", "xin lỗi bạn đọc", …), matched on folded text so that case,
  tone marks and spelling variants of the same words do not matter;
- `edited`: the words differ from the original; the changed runs are kept with a little
  context, `[["=", "context"], ["-", "old words"], ["+", "new words"], …]`;
- `unchanged`: the same words (spacing, punctuation, case and tone-mark placement aside);
- `unreachable`: no answer, a 5xx, or another 4xx (429, 401, 403: an answer that hides the
  page): nothing can be said, the next check will try again.

Plain Python: no Django, no network; the caller fetches.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from loa.pipeline.dedup import shingles
from loa.pipeline.extract import extract_article
from loa.pipeline.outcomes import StageError
from loa.text.folding import fold_chars
from loa.text.normalization import normalize

REMOVED = "removed"
CORRECTED = "corrected"
EDITED = "edited"
UNCHANGED = "unchanged"
UNREACHABLE = "unreachable"

GONE_STATUSES = frozenset({404, 410, 451})
# Below this share of the original's shingles the page no longer carries the item. An edited
# article keeps most of its sentences (a rewritten paragraph of ten leaves ~0.9); a page that
# now shows something else shares a few stock phrases at most (< 0.05 measured on the replay
# outlets' pages). 0.2 keeps a heavy rewrite "edited" and a swapped page "removed".
REMOVED_BELOW = 0.2
# Words of unchanged text kept on each side of a change, so the change can be read.
CONTEXT_WORDS = 4
# A runaway diff (a page that is all new) is cut: the evidence stays readable.
MAX_RUNS = 60
MAX_RUN_WORDS = 80
# How a newsroom says it corrected an item. Matched folded ("dinh chinh"), whole words.
CORRECTION_PHRASES = (
    "đính chính",
    "cải chính",
    "xin lỗi bạn đọc",
    "thành thật xin lỗi",
    "ghi chú của tòa soạn",
    "ghi chú của toà soạn",
    "tòa soạn xin lỗi",
    "bài viết đã được chỉnh sửa",
    "bài viết đã được điều chỉnh",
    "bài viết đã được cập nhật, chỉnh sửa",
    "nội dung bài viết đã được điều chỉnh",
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Verdict:
    outcome: str
    http_status: int | None
    diff: list[list[str]] = field(default_factory=list)
    text_sha256: str = ""
    detail: str = ""
    # The share of the original's shingles still on the page (None when nothing was read).
    kept: float | None = None


def _folded_words(text: str) -> list[str]:
    return _WORD.findall(fold_chars(normalize(text)))


def _phrase_keys() -> tuple[tuple[str, str], ...]:
    return tuple((phrase, " " + " ".join(_folded_words(phrase)) + " ") for phrase in CORRECTION_PHRASES)


_PHRASE_KEYS = _phrase_keys()


def correction_notices(text: str) -> list[str]:
    """The correction phrases `text` carries, as written in `CORRECTION_PHRASES`."""
    folded = " " + " ".join(_folded_words(text)) + " "
    return [phrase for phrase, key in _PHRASE_KEYS if key in folded]


def shingle_share(original: str, text: str) -> float:
    """The share of the original's four-word shingles found in `text` (1.0 for an empty original)."""
    before = shingles(original)
    if not before:
        return 1.0
    return len(before & shingles(text)) / len(before)


def _display_words(text: str) -> list[str]:
    return normalize(text).split()


def _key(word: str) -> str:
    # Punctuation glued to a word, case and tone-mark placement are not edits.
    return " ".join(_WORD.findall(fold_chars(word)))


Opcode = tuple[str, int, int, int, int]
# Changes separated by this many unchanged words or fewer read as one change: "cao hơn thực
# tế" → "thấp hơn kế hoạch" is one rewording, not two edits around a shared "hơn".
BRIDGE_WORDS = 2


def _coalesce(opcodes: Sequence[Opcode]) -> list[Opcode]:
    out: list[Opcode] = []
    for index, op in enumerate(opcodes):
        tag, i1, i2, _j1, j2 = op
        bridge = tag == "equal" and i2 - i1 <= BRIDGE_WORDS and 0 < index < len(opcodes) - 1
        if out and out[-1][0] != "equal" and (tag != "equal" or bridge):
            _, a1, _, b1, _ = out[-1]
            out[-1] = ("replace", a1, i2, b1, j2)
        else:
            out.append(op)
    # A merged change that only removed or only added words keeps its plain tag.
    return [
        ("delete" if j1 == j2 else "insert" if i1 == i2 else tag, i1, i2, j1, j2)
        if tag != "equal"
        else (tag, i1, i2, j1, j2)
        for tag, i1, i2, j1, j2 in out
    ]


def word_diff(original: str, text: str, *, context: int = CONTEXT_WORDS) -> list[list[str]]:
    """The changed runs between two texts, word by word, with `context` words around each."""
    old, new = _display_words(original), _display_words(text)
    old_keys = [_key(w) for w in old]
    new_keys = [_key(w) for w in new]
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    runs: list[list[str]] = []
    opcodes = _coalesce(matcher.get_opcodes())
    changed = [index for index, op in enumerate(opcodes) if op[0] != "equal"]
    if not changed:
        return []

    def cut(words: list[str]) -> str:
        if len(words) > MAX_RUN_WORDS:
            half = MAX_RUN_WORDS // 2
            return " ".join([*words[:half], "…", *words[-half:]])
        return " ".join(words)

    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old[i1:i2]
            before_change = index + 1 < len(opcodes)
            after_change = index > 0
            if after_change and before_change and len(words) > 2 * context:
                runs.append(["=", " ".join(words[:context]) + " …"])
                runs.append(["=", "… " + " ".join(words[-context:])])
            elif after_change and before_change:
                runs.append(["=", " ".join(words)])
            elif before_change:
                runs.append(["=", ("… " if len(words) > context else "") + " ".join(words[-context:])])
            else:
                runs.append(["=", " ".join(words[:context]) + (" …" if len(words) > context else "")])
            continue
        if tag in ("delete", "replace"):
            runs.append(["-", cut(old[i1:i2])])
        if tag in ("insert", "replace"):
            runs.append(["+", cut(new[j1:j2])])
        if len(runs) >= MAX_RUNS:
            runs.append(["=", "…"])
            break
    # Two context halves of one unchanged stretch read as one run.
    merged: list[list[str]] = []
    for run in runs:
        if merged and run[0] == "=" == merged[-1][0]:
            merged[-1] = ["=", f"{merged[-1][1]} {run[1]}".replace("… …", "…")]
        else:
            merged.append(run)
    return merged


def page_text(html: str, url: str, *, now: dt.datetime) -> str:
    """The item's title and body as the project's extractor reads them; the page's visible
    text when the extractor finds no article (a shell, an error page served with 200)."""
    try:
        extracted = extract_article(html, url, now=now, deduplicate=False)
    except StageError:
        if not html.strip():
            return ""
        try:
            document = lxml_html.fromstring(html)
        except (etree.ParserError, ValueError):
            return ""
        etree.strip_elements(document, "script", "style", "noscript", with_tail=False)
        return normalize(" ".join(" ".join(str(piece) for piece in document.itertext()).split()))
    return f"{extracted.title}\n{extracted.body}"


def verify(*, original: str, status: int | None, html: str, url: str, now: dt.datetime, error: str = "") -> Verdict:
    """What became of the item whose archived text is `original`, from a new fetch of `url`
    (`status` None when the fetch failed, `error` saying why)."""
    if status in GONE_STATUSES:
        return Verdict(REMOVED, status, detail=f"HTTP {status}", kept=0.0)
    if status is None or status >= 400:
        return Verdict(UNREACHABLE, status, detail=error or f"HTTP {status}")
    text = page_text(html, url, now=now)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""
    kept = shingle_share(original, text)
    if kept < REMOVED_BELOW:
        return Verdict(
            REMOVED, status, text_sha256=digest, kept=kept, detail=f"{kept:.0%} of the original text remains"
        )
    diff = word_diff(original, text)
    notices = sorted(set(correction_notices(text)) - set(correction_notices(original)))
    if notices:
        return Verdict(CORRECTED, status, diff=diff, text_sha256=digest, kept=kept, detail="; ".join(notices))
    if diff:
        return Verdict(EDITED, status, diff=diff, text_sha256=digest, kept=kept)
    return Verdict(UNCHANGED, status, text_sha256=digest, kept=kept)
