"""Template context every page of the shell needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from loa import __version__
from loa.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"loa_version": __version__}
    return {"loa_version": __version__, "navigation": navigation_for(user, request.path)}
