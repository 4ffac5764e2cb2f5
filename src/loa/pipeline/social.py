"""Posts from social platforms, forums and video channels, as connectors hand them to storage.

A connector (loa.pipeline.connectors.*) reads one platform's public interface and returns
`Post`s: the text a public page, channel or forum thread published, its address and time, and
what the platform showed about it (views, reactions, comments, shares). What a connector never
returns is who wrote or commented: a `Post` has no field for a person, and `scrub` takes
handles, profile links and e-mail addresses out of the text, so that no private person's name,
handle or id reaches the database, the search index, the archive or the logs.

Comment texts may be handed over (`comment_texts`) only for their tone to be counted in memory;
storage reads their tone and forgets them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from loa.text import normalize

# Titles cut from a post's text (posts have none): the first sentence, at most this long.
TITLE_MAX = 160
# Comments read for their tone, per post and poll: enough for a share, bounded per post.
MAX_COMMENTS_READ = 200

_HANDLE = re.compile(r"(?<![\w.])@[\w.]{2,64}")
_PROFILE = re.compile(
    r"https?://(?:[\w-]+\.)?(?:facebook\.com|fb\.com|m\.me|t\.me|tiktok\.com|instagram\.com|twitter\.com|x\.com|"
    r"zalo\.me|youtube\.com/@)[^\s]*",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True)
class Engagement:
    """Counts a platform showed for a post at one moment; None where it shows none."""

    views: int | None = None
    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None


@dataclass
class Post:
    url: str  # the post's own public address (its key: the same post is stored once)
    text: str
    title: str = ""
    published: dt.datetime | None = None
    engagement: Engagement | None = None
    # Read for their tone only, in memory; never stored (see module docstring).
    comment_texts: list[str] = field(default_factory=list, repr=False)


@dataclass
class Rejected:
    """A part of a payload that could not be read as a post, with the reason (for the counters);
    `where` locates it (an index or a platform's post id), never a person."""

    where: str
    reason: str


@dataclass
class PostPage:
    posts: list[Post] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    next_url: str | None = None  # the next (older) page, if the platform has one


def scrub(text: str) -> str:
    """The text without handles (@name), profile links, e-mail addresses or phone numbers: a post
    may name a private person only by those, and Loa keeps none of them."""
    text = _PROFILE.sub("", text)
    text = _EMAIL.sub("", text)
    text = _HANDLE.sub("", text)
    text = _PHONE.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def title_from(text: str, *, limit: int = TITLE_MAX) -> str:
    """A title for a post that has none: its first sentence, cut at a word if too long."""
    text = text.strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip() if text else ""
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + "…"


def clean_post(post: Post) -> Post:
    """The post as stored: normalised, scrubbed, with a title; comments bounded."""
    text = scrub(normalize(post.text))
    title = scrub(normalize(post.title)) if post.title.strip() else ""
    return Post(
        url=post.url,
        text=text,
        title=title or title_from(text),
        published=post.published,
        engagement=post.engagement,
        comment_texts=post.comment_texts[:MAX_COMMENTS_READ],
    )


def posted_at(value: object) -> dt.datetime | None:
    """A platform's time of posting: ISO 8601 ("…Z", "+00:00", or Graph's "+0000"); without a
    zone it is UTC, as the platforms write it; unreadable, None (the post is kept undated)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip().replace("Z", "+00:00"))
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)


def count(value: object) -> int | None:
    """A platform's count as an int (they come as numbers, strings, "1,2K" or "3.4M"), or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)([KkMmBb]|N|Tr|tr|nghìn|triệu)?", text)
    if not match:
        digits = re.sub(r"[.,]", "", text)
        return int(digits) if digits.isdigit() else None
    number, unit = match.groups()
    if unit is None:
        # "1.234" and "1,234" are thousands on these platforms; a bare decimal is not a count.
        digits = re.sub(r"[.,]", "", number)
        return int(digits)
    scale = {"k": 1_000, "n": 1_000, "nghìn": 1_000, "m": 1_000_000, "tr": 1_000_000, "triệu": 1_000_000}
    factor = scale.get(unit.lower(), 1_000_000_000)
    return round(float(number.replace(",", ".")) * factor)
