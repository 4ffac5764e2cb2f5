"""The shell's navigation: every module of Loa, linked once it exists.

Modules still to be built appear greyed out so users see the whole shape of the
product; an app adds its entry by giving the item a URL name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, user_can


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
        [
            NavItem(_("Coverage"), "articles:list"),
            NavItem(_("Search"), "articles:search"),
            NavItem(_("Coverage analytics"), "analytics:coverage"),
            NavItem(_("Stories"), "analysis:stories"),
            NavItem(_("Monitored organisations"), "analysis:organisations"),
            NavItem(_("Saved queries"), "analysis:queries"),
            NavItem(_("Topics"), "analysis:topics"),
            NavItem(_("Sources"), "sources:list"),
        ],
    ),
    NavSection(
        _("Alerts and crises"),
        [
            NavItem(_("Alerts"), "alerts:list"),
            NavItem(_("Alert rules"), "alerts:rules"),
            NavItem(_("Incidents"), "incidents:list"),
            NavItem(_("Playbooks"), "incidents:playbooks"),
            NavItem(_("Spokespersons"), "incidents:spokespersons"),
            NavItem(_("False claims"), "claims:list"),
            NavItem(_("Rebuttal library"), "claims:rebuttals"),
            NavItem(_("Correction and removal requests"), "claims:requests"),
        ],
    ),
    NavSection(
        _("Press review and reports"),
        [NavItem(_("Daily press review"), "digests:list"), NavItem(_("Reports"), "reports:list")],
    ),
    NavSection(
        _("Work management"),
        [
            NavItem(_("Directives and tasks"), "directives:list"),
            NavItem(_("Communication plans"), "plans:list"),
            NavItem(_("Event calendar"), "events:month"),
            NavItem(_("Study sessions"), "study:list"),
            NavItem(_("Speakers and collaborators"), "people:list"),
            NavItem(_("Opinion reports"), "opinion:list"),
            NavItem(_("Annual evaluation"), "evaluation:list"),
        ],
    ),
    NavSection(
        _("Administration"),
        [
            NavItem(_("Units"), "units:list"),
            NavItem(_("Accounts"), "accounts:list"),
            NavItem(_("Audit log"), "core:audit", capability=roles.READ_AUDIT),
            NavItem(_("Outbox"), "outbox:list", capability=roles.WRITE),
        ],
    ),
]


@dataclass
class NavLink:
    label: str | Promise
    url: str | None
    active: bool = False


@dataclass
class NavGroup:
    label: str | Promise
    items: list[NavLink]


def navigation_for(user: Actor, current_path: str) -> list[NavGroup]:
    """Sections and items for `user`; the item whose address is the longest prefix of the
    current path is marked active (so /articles/search/ marks Search, not Coverage)."""
    groups = []
    for section in SECTIONS:
        links = []
        for item in section.items:
            if item.capability and not user_can(user, item.capability):
                continue
            url = None
            if item.url_name:
                try:
                    url = reverse(item.url_name)
                except NoReverseMatch:
                    url = None
            links.append(NavLink(label=item.label, url=url))
        if links:
            groups.append(NavGroup(label=section.label, items=links))
    matching = [link for g in groups for link in g.items if link.url and current_path.startswith(link.url)]
    if matching:
        max(matching, key=lambda link: len(link.url or "")).active = True
    return groups
