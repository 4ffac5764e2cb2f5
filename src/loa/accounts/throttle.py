"""Log-in throttling on top of django-axes: who the client is, what is counted, and the pass an
e-mailed unlock link gives.

Three counts of failures within the cool-off (AXES_COOLOFF_TIME), each with its own limit:

- one username from one address (LOA_LOGIN_FAILURE_LIMIT): someone mistyping, or guessing one
  account from one machine;
- one address across usernames (LOA_LOGIN_ADDRESS_FAILURE_LIMIT, higher, since an office shares
  an address): guessing many accounts from one machine;
- one username across addresses (LOA_LOGIN_ACCOUNT_FAILURE_LIMIT): guessing one account from
  many machines. Anyone can trip this one for someone else's account, so the account's owner
  passes it with a link e-mailed to the account's address (see `unlock_pass_*`).

Axes compares the largest of its counts with one limit (AXES_FAILURE_LIMIT), so `LoginThrottle`
scales each count to that limit; this is why Loa has its own handler and not only settings.

The client's address is REMOTE_ADDR. Behind a reverse proxy every client would share the proxy's
address (anyone could then lock a named user out), so X-Forwarded-For is read, but only when
REMOTE_ADDR is one of LOA_TRUSTED_PROXIES, and only as far as the proxies listed there: a client
can put anything in that header.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

PER_USERNAME_AND_ADDRESS = ("username", "ip_address")
PER_ADDRESS = "ip_address"
PER_USERNAME = "username"

_SESSION_KEY = "loa_login_unlock"


def _networks() -> list[Network]:
    return [
        ipaddress.ip_network(value.strip(), strict=False) for value in settings.LOA_TRUSTED_PROXIES if value.strip()
    ]


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: list[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the nearest address in
    X-Forwarded-For that is not one of them (read from the right: each proxy appends)."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks()
    peer = _address(remote or "")
    if peer is None or not networks or not _trusted(peer, networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A hop a trusted proxy would never write: what is left of it is the client's own.
            break
        if not _trusted(address, networks):
            return str(address)
    return remote


def limits() -> dict[str | tuple[str, ...], int]:
    return {
        PER_USERNAME_AND_ADDRESS: int(settings.LOA_LOGIN_FAILURE_LIMIT),
        PER_ADDRESS: int(settings.LOA_LOGIN_ADDRESS_FAILURE_LIMIT),
        PER_USERNAME: int(settings.LOA_LOGIN_ACCOUNT_FAILURE_LIMIT),
    }


def _key(parameter: str | list[str]) -> str | tuple[str, ...]:
    return parameter if isinstance(parameter, str) else tuple(parameter)


# --- the pass an unlock link gives -------------------------------------------------------


def unlock_pass_grant(*, request: HttpRequest, username: str) -> None:
    """This browser may try `username` again despite the counts kept for the username."""
    minutes = int(settings.LOA_LOGIN_UNLOCK_MINUTES)
    request.session[_SESSION_KEY] = {"username": username, "until": time.time() + minutes * 60, "failures": 0}


def _pass(request: Any) -> dict[str, Any] | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    granted = session.get(_SESSION_KEY)
    if not isinstance(granted, dict) or float(granted.get("until", 0)) < time.time():
        return None
    return granted


def unlock_pass_holds(request: Any, username: str | None) -> bool:
    granted = _pass(request)
    return granted is not None and username is not None and granted.get("username") == username


def lockout_parameters(request_or_attempt: Any, credentials: dict[str, Any] | None = None) -> list[Any]:
    """AXES_LOCKOUT_PARAMETERS: every count, except the username's own counts for a browser
    holding the username's unlock pass (the address is still counted)."""
    every: list[Any] = [list(PER_USERNAME_AND_ADDRESS), PER_ADDRESS, PER_USERNAME]
    if isinstance(request_or_attempt, AccessBase):
        return every
    if unlock_pass_holds(request_or_attempt, get_client_username(request_or_attempt, credentials)):
        return [PER_ADDRESS]
    return every


class LoginThrottle(AxesDatabaseHandler):
    """Axes's database handler with a limit per count, and the unlock pass spent on failures."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # Axes locks when this reaches AXES_FAILURE_LIMIT: each count is scaled so that it
        # reaches that figure exactly when it reaches its own limit.
        limit = get_failure_limit(request, credentials)
        own = limits()
        worst = 0
        parameters = lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, count * limit // own[_key(parameter)])
        return worst

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        granted = _pass(request)
        if granted is None or granted.get("username") != get_client_username(request, credentials):
            return
        # The pass is for the owner who knows the password, not for guessing it: it lasts as many
        # failures as one username from one address is allowed.
        granted["failures"] = int(granted.get("failures", 0)) + 1
        if granted["failures"] >= int(settings.LOA_LOGIN_FAILURE_LIMIT):
            del request.session[_SESSION_KEY]
        else:
            request.session[_SESSION_KEY] = granted

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        if getattr(request, "session", None) is not None:
            request.session.pop(_SESSION_KEY, None)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # A successful log-in clears that username's failures only: axes would clear every
        # count the request matches, the address's too, so one valid account could wipe the
        # failures of guesses at other accounts from the same address.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
