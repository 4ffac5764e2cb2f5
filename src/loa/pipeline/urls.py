"""Canonical article URLs, so that one article reached by many links is stored once.

Drops tracking parameters (utm_*, fbclid, Zalo's zarsrc…), fragments, default ports and
"www."; folds AMP and mobile variants onto the desktop page ("m.", "amp.", "/amp/",
".amp"); sorts what query remains.
"""

from __future__ import annotations

import hashlib
import ipaddress
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
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets, or the port would join it
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
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


_NUMBER_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


def _ipv4_part(label: str) -> tuple[int, str] | None:
    """A label as a browser's URL parser reads it in an IPv4 host: hex, octal or decimal."""
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16), "hexadecimal"
    if len(label) > 1 and label.startswith("0"):
        return (int(label, 8), "octal") if set(label) <= set("01234567") else None
    return (int(label), "decimal") if label.isdigit() else None


def numeric_host_problem(url: str) -> str:
    """What is wrong with a host that writes an IPv4 address other than as four plain
    decimal numbers (0177.0.0.1, 0x7f.1, 2130706433, 127.1), or "" if nothing is.

    Resolvers and URL parsers disagree on such spellings (the C library reads 0177 as
    octal, Python's ipaddress refuses it, some read it as decimal), so the address that
    was checked may not be the one connected to; no news link needs them.
    """
    host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    labels = host.split(".")
    # As the WHATWG URL standard has it: a host whose last label is a number is an address.
    if not host or not _NUMBER_LABEL.fullmatch(labels[-1]):
        return ""
    try:
        ipaddress.IPv4Address(host)
        return ""
    except ValueError:
        pass
    parts = [_ipv4_part(label) for label in labels]
    if len(labels) > 4 or any(part is None for part in parts):
        return f"host {host!r} looks like an IPv4 address but is not one"
    values = [part[0] for part in parts if part is not None]
    spellings = sorted({part[1] for part in parts if part is not None} - {"decimal"})
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        return f"host {host!r} is an IPv4 address out of range"
    number = sum(v << (8 * (3 - i)) for i, v in enumerate(head)) + last
    read_as = ipaddress.IPv4Address(number)
    how = " and ".join(spellings) if spellings else "decimal"
    form = f"in {how}" + ("" if len(labels) == 4 else f" with {len(labels)} part(s) instead of 4")
    return f"host {host!r} writes an IPv4 address {form}; resolvers may read it as {read_as}"
