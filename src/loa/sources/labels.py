"""Human names of the pipeline's stages, outcomes and reasons, for the pages that show its
counters. The codes stay in the database and the CLI; people read these names."""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loa.pipeline.outcomes import Outcome, Stage

STAGES: dict[str, Promise] = {
    Stage.DISCOVER: _("Link discovery"),
    Stage.FETCH: _("Fetching"),
    Stage.EXTRACT: _("Text extraction"),
    Stage.DEDUP: _("Duplicate check"),
    Stage.STORE: _("Storing"),
}

OUTCOMES: dict[str, Promise] = {
    Outcome.KEPT: _("Kept"),
    Outcome.NOT_MODIFIED: _("Not modified"),
    Outcome.DISCARDED: _("Discarded"),
    Outcome.QUARANTINED: _("Quarantined"),
    Outcome.RETRY: _("To retry"),
    Outcome.FAILED: _("Failed"),
}

REASONS: dict[str, Promise] = {
    "new": _("New links"),
    # Social platforms, forums and video channels (loa.pipeline.connectors).
    "no_connector": _("No connector for this kind of source"),
    "empty_post": _("Post without text"),
    "malformed_post": _("Unreadable post (left out)"),
    "rate_limited": _("The platform limits requests (tried again later)"),
    "token_expired": _("The access token has expired: renew it in the settings"),
    "token_invalid": _("The access token is refused: check it in the settings"),
    "credentials_missing": _("No access token or key for this source in the settings"),
    "platform_error": _("The platform answered with an error"),
    "malformed_payload": _("Unreadable answer from the platform"),
    "not_a_forum": _("Not a forum section Loa can read (XenForo, phpBB or vBulletin)"),
    "already_seen": _("Links already seen"),
    "malformed_but_readable": _("Malformed but readable"),
    "malformed_feed": _("Malformed feed"),
    "malformed_sitemap": _("Malformed sitemap"),
    "malformed_html": _("Malformed HTML"),
    "empty_listing": _("Empty response (no feed or sitemap)"),
    "feed_is_html": _("Returned HTML instead of RSS/Atom"),
    "sitemap_is_html": _("Returned HTML instead of a sitemap"),
    "sitemap_too_large": _("Compressed sitemap too large once unpacked"),
    "not_a_feed": _("Unreadable: not RSS or Atom"),
    "numeric_host": _("Host is an IP address written in an unusual form (octal, hexadecimal, shortened)"),
    "over_link_cap": _("Over the cap of new links per poll (left for later polls)"),
    "bad_encoding": _("Unreadable character encoding"),
    "bad_scheme": _("Address is not http or https"),
    "bad_url": _("Invalid address"),
    "blocked_address": _("Address not allowed (private network)"),
    "robots_disallowed": _("Forbidden by robots.txt"),
    "deadline": _("Took too long"),
    "timeout": _("Timed out"),
    "dns": _("Domain name not found"),
    "network": _("Network error"),
    "redirect_loop": _("Redirect loop"),
    "redirect_without_location": _("Redirect without an address"),
    "too_many_redirects": _("Too many redirects"),
    "too_large": _("Page too large"),
    "compression_ratio": _("Compressed far beyond normal pages (a compression bomb)"),
    "unsupported_encoding": _("Unsupported compression (Content-Encoding)"),
    "host_slow": _("Host too slow lately, tried again later"),
    "not_html": _("Not a web page"),
    "empty_page": _("Empty page"),
    "extract_error": _("Text could not be extracted"),
    "no_content": _("No article text"),
    "no_title": _("No title"),
    "too_short": _("Article too short"),
    "not_vietnamese": _("Not in Vietnamese"),
    "duplicate_url": _("Same address already stored"),
    "duplicate_content": _("Same content already stored"),
    "unexpected_error": _("Unexpected error"),
}

_HTTP = re.compile(r"http_(\d{3})")


def stage_label(code: str) -> str:
    return str(STAGES.get(code, code))


def outcome_label(code: str) -> str:
    return str(OUTCOMES.get(code, code))


def reason_label(code: str) -> str:
    """The name of a reason; "—" when there is none, the code itself if it is unknown."""
    if not code:
        return "—"
    if code in REASONS:
        return str(REASONS[code])
    http = _HTTP.fullmatch(code)
    if http:
        return gettext("HTTP error %(status)s") % {"status": http.group(1)}
    return code
