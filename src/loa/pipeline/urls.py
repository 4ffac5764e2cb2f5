"""Canonical article URLs, so that one article reached by many links is stored once.

Drops tracking parameters (utm_*, fbclid, Zalo's zarsrc…), fragments, default ports and
"www."; folds AMP and mobile variants onto the desktop page ("m.", "amp.", "/amp/",
".amp"); sorts what query remains.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|"
    r"zarsrc|gidzl|_ga|_gl|ref|ref_src|referrer|source|src|cmpid|itm_\w+|vn_\w+|share|"
    r"amp|amp_js_v|usqp|outputType|__twitter_impression|fb_action_ids|fb_source)$",
    re.IGNORECASE,
)
MOBILE_PREFIXES = ("www.", "m.", "mobile.", "amp.", "wap.")


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in MOBILE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    port = parts.port
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=-._~") or "/"
    path = re.sub(r"/{2,}", "/", path)
    path = re.sub(r"^/amp(?=/)", "", path)
    path = re.sub(r"(/amp/?|\.amp)$", "", path) or "/"
    if path != "/" and path.endswith("/"):
        path = path[:-1]
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k))
    # https and http are one page: keep the scheme, but key deduplication on the rest.
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """The deduplication key of a URL: its canonical form without the scheme, hashed."""
    canonical = canonical_url(url)
    without_scheme = canonical.split("://", 1)[-1]
    return hashlib.sha1(without_scheme.encode("utf-8"), usedforsecurity=False).hexdigest()


def host_of(url: str) -> str:
    """The host (with a non-default port) that politeness limits apply to."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host
