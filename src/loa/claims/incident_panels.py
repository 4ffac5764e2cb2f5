"""The claims module's panel on an incident's page (registered in `loa.incidents.panels`): the
correction and removal requests sent about the incident, with a link to record a new one."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, user_can
from loa.claims.requests_selectors import request_list, request_overdue
from loa.incidents.models import Incident, IncidentStatus
from loa.incidents.panels import Panel

# An incident's requests are few; a long list is read on the requests page.
ROWS = 50


def requests_panel(user: Actor, incident: Incident) -> Panel:
    requests = list(request_list(user=user).filter(incident=incident)[:ROWS])
    return Panel(
        template="claims/_incident_requests.html",
        context={
            "rows": [(item, request_overdue(item)) for item in requests],
            "can_add": incident.status != IncidentStatus.CLOSED and user_can(user, roles.WRITE, incident.unit),
            "new_url": f"{reverse('claims:request_new')}?incident={incident.pk}",
            "empty": _("No correction or removal request recorded for this incident."),
        },
    )
