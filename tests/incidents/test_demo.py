"""The demo's incidents can be worked by its one-person Ban: every unit an alert rule watches
has someone authorised to speak for its incidents, and the bloc's statements can be reviewed."""

from __future__ import annotations

import pytest

from loa.accounts.scoping import SYSTEM
from loa.alerts.models import AlertRule
from loa.devtools.demo import demo_load
from loa.incidents.services import incident_open, spokespersons_for
from loa.units.models import Unit
from loa.units.selectors import author_may_review

pytestmark = pytest.mark.django_db


def test_every_watched_unit_has_a_spokesperson_and_the_bloc_its_review() -> None:
    demo_load(password="mật-khẩu-demo-đủ-dài-42")
    units = {rule.unit for rule in AlertRule.objects.select_related("unit")}
    assert Unit.objects.get(code="duk") in units
    for unit in units:
        incident = incident_open(user=SYSTEM, title=f"Sự cố {unit.short_name}", unit=unit)
        assert spokespersons_for(incident=incident), unit.name
    # The Ban has one staff member: the administrator has let the author review bloc statements.
    assert author_may_review(unit=Unit.objects.get(code="duk"))
    assert not author_may_review(unit=Unit.objects.get(code="evn"))
