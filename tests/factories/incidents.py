"""Playbooks, spokespeople, incidents and their statements."""

from __future__ import annotations

from loa.accounts.scoping import Actor
from loa.incidents.models import Incident, Playbook, Spokesperson, Statement
from loa.units.models import Unit
from tests.factories.base import START


def make_playbook(name: str = "Kịch bản thử", *, first_response_hours: int = 4) -> Playbook:
    from loa.accounts.scoping import SYSTEM
    from loa.incidents.services import StepSpec, playbook_save

    return playbook_save(
        user=SYSTEM,
        name=name,
        description="Thông tin sai sự thật lan trên báo chí.",
        first_response_hours=first_response_hours,
        steps=[
            StepSpec("Xác minh thông tin, báo cáo lãnh đạo", 1, "Văn phòng"),
            StepSpec("Dự thảo thông cáo báo chí", 3, "Ban Tuyên giáo"),
            StepSpec("Theo dõi phản ứng của báo chí", 24, "Ban Tuyên giáo"),
        ],
    )


def make_spokesperson(
    unit: Unit, name: str = "Nguyễn Văn Phát", *, channels: tuple[str, ...] = ("release",)
) -> Spokesperson:
    from loa.accounts.scoping import SYSTEM
    from loa.incidents.services import spokesperson_save

    return spokesperson_save(
        user=SYSTEM,
        unit=unit,
        name=name,
        position="Phó Bí thư, người phát ngôn",
        channels=channels,
        authorisation="12-QĐ/ĐU",
        valid_from=START,
    )


def make_statement(
    incident: Incident,
    user: Actor,
    spokesperson: Spokesperson,
    channel: str = "release",
    *,
    title: str = "Thông cáo báo chí",
    body: str = "EVN khẳng định thông tin trên là không đúng sự thật.",
) -> Statement:
    """A statement `user` drafts for the incident, to be given by the spokesperson."""
    from loa.incidents.services import statement_save

    return statement_save(
        user=user, incident=incident, title=title, body=body, channel=channel, spokesperson=spokesperson
    )


def make_incident(unit: Unit, label: str, *, playbook: Playbook, spokesperson: Spokesperson) -> Incident:
    """The incident 'Sự cố <label>' of the unit, with a drafted statement 'Thông cáo <label>'."""
    from loa.accounts.scoping import SYSTEM
    from loa.incidents.services import incident_open

    incident = incident_open(user=SYSTEM, title=f"Sự cố {label}", unit=unit, playbook=playbook)
    make_statement(incident, SYSTEM, spokesperson, title=f"Thông cáo {label}", body="Nội dung thông cáo.")
    return incident
