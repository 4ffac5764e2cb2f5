"""The shell's navigation: every module of Loa, linked once it exists.

Modules still to be built appear greyed out so users see the whole shape of the
product; an app adds its entry by giving the item a URL name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from loa.accounts import roles
from loa.accounts.scoping import user_can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str | None = None
    capability: str | None = None


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    items: list[NavItem] = field(default_factory=list)


SECTIONS: list[NavSection] = [
    NavSection(
        _("Monitoring"),
        [NavItem(_("Coverage")), NavItem(_("Search")), NavItem(_("Sources"))],
    ),
    NavSection(_("Alerts and crises"), [NavItem(_("Alerts")), NavItem(_("Incidents"))]),
    NavSection(
        _("Press review and reports"), [NavItem(_("Daily press review")), NavItem(_("Reports"))]
    ),
    NavSection(
        _("Work management"),
        [
            NavItem(_("Directives and tasks")),
            NavItem(_("Communication plans")),
            NavItem(_("Event calendar")),
            NavItem(_("Study sessions")),
            NavItem(_("Speakers and collaborators")),
            NavItem(_("Opinion reports")),
            NavItem(_("Annual evaluation")),
        ],
    ),
    NavSection(
        _("Administration"),
        [
            NavItem(_("Units"), "units:list"),
            NavItem(_("Accounts"), "accounts:list"),
            NavItem(_("Audit log"), "core:audit", capability=roles.READ_AUDIT),
        ],
    ),
]


def navigation_for(user: object, current_path: str) -> list[dict[str, Any]]:
    sections = []
    for section in SECTIONS:
        items = []
        for item in section.items:
            if item.capability and not user_can(user, item.capability):
                continue
            url = None
            if item.url_name:
                try:
                    url = reverse(item.url_name)
                except NoReverseMatch:
                    url = None
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": bool(url) and current_path.startswith(url or "\0"),
                }
            )
        if items:
            sections.append({"label": section.label, "items": items})
    return sections
