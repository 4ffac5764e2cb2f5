"""Demo data for `make run`: the bloc of the seed documents, member enterprises, accounts, and a
few records in each module.

Built through the services, so the demo also exercises revisions and the audit trail. One module
per part of Loa; this one loads them in order (later parts use the units, the organisations and
the topics of earlier ones). The demo belongs to the shell: no domain app imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from loa.devtools.demo import (
    alerts,
    analysis,
    claims,
    directives,
    documents,
    evaluation,
    events,
    opinion,
    people,
    plans,
    study,
    units,
)
from loa.devtools.demo.sources import demo_social_sources_add, demo_sources
from loa.units.models import Unit

__all__ = ["DemoResult", "demo_load", "demo_social_sources_add", "demo_sources"]


@dataclass(frozen=True)
class DemoResult:
    created: bool
    accounts: list[str]
    password: str | None


@transaction.atomic
def demo_load(*, password: str | None = None, webhook_url: str = "") -> DemoResult:
    """Load the demo bloc once; a second call changes nothing."""
    if Unit.objects.filter(code="duk").exists():
        return DemoResult(created=False, accounts=[], password=None)
    by_code = units.units_load()
    created, secret = units.accounts_load(by_code, password=password)
    analysis.load(by_code)
    alerts.load(by_code, webhook_url=webhook_url)
    claims.load(by_code)
    documents.load(by_code)
    events.load()
    directives.load(by_code)
    plans.load(by_code)
    opinion.load(by_code)
    people.load(by_code)
    study.load(by_code)
    evaluation.load(by_code)
    return DemoResult(created=True, accounts=created, password=None if password else secret)
