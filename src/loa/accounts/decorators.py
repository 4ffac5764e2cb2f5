"""View decorators that check a role capability; data scoping stays in the selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from loa.accounts import roles
from loa.accounts.scoping import user_can

View = TypeVar("View", bound=Callable[..., HttpResponse])


def capability_required(capability: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


def may_write(request: HttpRequest) -> bool:
    """Whether the request's user may add records at all (which unit is checked by the service)."""
    return user_can(request.user, roles.WRITE)
