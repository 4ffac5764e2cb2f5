"""The demo bloc loads once, through the services, with everything a first look needs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import loa.analysis
from loa.accounts.models import User
from loa.alerts.models import AlertRule
from loa.analysis.models import MemberCompany, Organisation, SavedQuery
from loa.claims.models import Claim, RebuttalVersion
from loa.devtools.demo import demo_load
from loa.incidents.models import Playbook, Spokesperson
from loa.units.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_alerts_playbooks_and_spokespersons() -> None:
    result = demo_load(password="mật-khẩu-demo-đủ-dài-42", webhook_url="http://127.0.0.1:8807/hooks/loa")
    assert result.created
    assert Unit.objects.filter(code="duk").exists()
    assert User.objects.count() == len(result.accounts) > 0
    # The bloc's organisations of the seed, with their member companies.
    seed = yaml.safe_load((Path(loa.analysis.__file__).parent / "seed" / "organisations.yaml").read_text("utf-8"))
    assert Organisation.objects.count() == len(seed) == 10
    assert MemberCompany.objects.filter(organisation__short_name="EVN").count() == len(seed[0]["members"])
    # Three saved queries, and the match rule of each of the two claims of the register.
    assert SavedQuery.objects.count() == 3 + 2
    assert Claim.objects.count() == 2
    assert RebuttalVersion.objects.filter(status="approved").count() == 1
    playbooks = Playbook.objects.all()
    assert len(playbooks) == 3
    assert all(p.steps.count() >= 4 for p in playbooks)
    assert Spokesperson.objects.count() == 3
    # Each claim has its own "dormant claim returns" rule, shown in the app until staff add recipients.
    assert AlertRule.objects.filter(kind="claim_return").count() == 2
    rules = list(AlertRule.objects.exclude(kind="claim_return"))
    assert {r.kind for r in rules} == {"negative_prominent", "volume_spike", "negative_story", "crossover"}
    assert all(r.webhook_url == "http://127.0.0.1:8807/hooks/loa" and r.email_list() for r in rules)
    again = demo_load(password="mật-khẩu-demo-đủ-dài-42")
    assert not again.created
    assert Playbook.objects.count() == 3


def test_demo_has_a_trained_roster_a_laid_out_study_plan_and_an_evaluation_round() -> None:
    from loa.evaluation.models import Evaluation, Status
    from loa.people.models import Enrolment, Person
    from loa.study.models import StudyPlan

    demo_load(password="mật-khẩu-demo-đủ-dài-42")
    assert Person.objects.filter(kind="speaker").count() >= 3
    certified = Enrolment.objects.exclude(certificate_no="")
    assert certified.count() >= 3
    assert all(e.certificate_no.endswith("/GCN-BTGDV") for e in certified)
    plan = StudyPlan.objects.get()
    assert plan.sessions.filter(held_on__isnull=False).count() == 1
    assert plan.sessions.count() > 5
    statuses = set(Evaluation.objects.values_list("status", flat=True))
    assert statuses == {Status.DRAFT, Status.SELF}
