"""No view leaks another unit's data.

Every named URL of Loa must be listed here as public, as a list view or as a detail
view, so a new view cannot ship without a scoping test: `test_every_view_is_classified`
fails until it is added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import user_can
from loa.directives.models import Directive
from loa.incidents.models import Playbook
from loa.units.models import Unit, UnitKind
from tests.conftest import login
from tests.factories import (
    Tree,
    make_alert,
    make_article,
    make_incident,
    make_organisation,
    make_playbook,
    make_rule,
    make_saved_query,
    make_source,
    make_spokesperson,
    make_unit,
    make_user,
    next_number,
)
from tests.factories.claims import make_claim, make_content_request
from tests.factories.digests import make_digest
from tests.factories.directives import make_assignment, make_directive
from tests.factories.evaluation import make_round
from tests.factories.events import make_event
from tests.factories.opinion import make_opinion_report
from tests.factories.outbox import make_message
from tests.factories.people import make_course, make_person
from tests.factories.plans import make_award_entry, make_plan
from tests.factories.rebuttals import make_rebuttal
from tests.factories.reports import make_report
from tests.factories.study import make_study_plan

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "logout", "healthz", "set_language"}
# "Forgot password": reached before logging in; what it shows depends on a secret token only.
PUBLIC |= {
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
# Past a log-in lock: reached before logging in; the link's secret token alone decides whose
# lock it lifts, and asking for one answers the same whether the account exists.
PUBLIC |= {"accounts:unlock_request", "accounts:unlock_sent", "accounts:unlock"}
# A calendar client fetches the secret calendar address without a log-in: the token alone
# decides whose calendar it is (scoping as that user's calendar page: tests/events).
PUBLIC |= {"events:feed"}

# Published coverage and the source registry are shared by every unit (the press is
# public); these views must still require a login and show the same to every role.
SHARED_VIEWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "sources:list": lambda o: {},
    "sources:detail": lambda o: {"pk": o["source"].pk},
    "articles:list": lambda o: {},
    "articles:search": lambda o: {},
    "articles:detail": lambda o: {"pk": o["article"].pk},
}
SHARED_VIEWS.update(
    {
        "incidents:playbooks": lambda o: {},
        "incidents:playbook": lambda o: {"pk": _named("incidents.Playbook", "Kịch bản thử")},
        "analysis:organisations": lambda o: {},
        "analysis:organisation": lambda o: {"pk": o["organisation"].pk},
        "analysis:stories": lambda o: {},
        "analysis:story": lambda o: {"pk": o["story"].pk},
        "directives:list": lambda o: {},
        "directives:detail": lambda o: {"pk": _named("directives.Directive", "60-KL/ĐUK", "symbol")},
        "directives:graph": lambda o: {},
        # The list of opinion topics holds no unit's data; only bloc staff change it (tests/opinion).
        "opinion:topics": lambda o: {},
        # The bloc's themes are one taxonomy for every unit; only bloc staff change it (tests/analysis).
        "analysis:topics": lambda o: {},
    }
)


def _writes(user: User) -> bool:
    from loa.accounts.roles import WRITE, has_capability

    return has_capability(user.role, WRITE)


def _writes_bloc_wide(user: User) -> bool:
    from loa.accounts.roles import SEE_ALL_UNITS, has_capability

    return _writes(user) and has_capability(user.role, SEE_ALL_UNITS)


# Views that change data: who may open them (others get 403).
CAPABILITY_VIEWS: dict[str, tuple[Callable[[User], bool], Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "sources:create": (lambda u: u.role in ("admin", "bloc_staff"), lambda o: {}),
    "sources:edit": (lambda u: u.role in ("admin", "bloc_staff"), lambda o: {"pk": o["source"].pk}),
    "analysis:organisation_create": (_writes, lambda o: {}),
    # A bloc-wide organisation (no unit) is for bloc staff to edit.
    "analysis:organisation_edit": (_writes_bloc_wide, lambda o: {"pk": o["organisation"].pk}),
    "analysis:query_create": (_writes, lambda o: {}),
    # The themes are the bloc's one taxonomy: its staff edit them.
    "analysis:topic_create": (_writes_bloc_wide, lambda o: {}),
    "analysis:topic_edit": (_writes_bloc_wide, lambda o: {"pk": _named("analysis.Topic", "prices", "key")}),
    "alerts:rule_create": (_writes, lambda o: {}),
    "incidents:create": (_writes, lambda o: {}),
    "claims:request_new": (_writes, lambda o: {}),
    "claims:create": (_writes, lambda o: {}),
    "incidents:spokesperson_create": (_writes, lambda o: {}),
    # The playbook library serves the whole bloc: the propaganda board keeps it.
    "incidents:playbook_create": (_writes_bloc_wide, lambda o: {}),
    "incidents:playbook_edit": (_writes_bloc_wide, lambda o: {"pk": _named("incidents.Playbook", "Kịch bản thử")}),
    "digests:profile_create": (_writes, lambda o: {}),
    "events:create": (_writes, lambda o: {}),
    "plans:create": (_writes, lambda o: {}),
    "opinion:create": (_writes, lambda o: {}),
    # A picture of the reader's own scope (the synthesis page's markers test what it holds).
    "opinion:chart": (lambda u: True, lambda o: {}),
    # The reader's own synthesis as a document; its scope is tested in tests/opinion.
    "opinion:export_docx": (lambda u: True, lambda o: {}),
    "plans:award_create": (_writes, lambda o: {}),
    # A directive registered by the board is corrected by the bloc's staff.
    "directives:correct": (
        _writes_bloc_wide,
        lambda o: {"pk": _named("directives.Directive", "60-KL/ĐUK", "symbol")},
    ),
    "reports:create": (_writes, lambda o: {}),
    "people:create": (_writes, lambda o: {}),
    "people:course_create": (_writes, lambda o: {}),
    "study:create": (_writes, lambda o: {}),
    "evaluation:create": (_writes, lambda o: {}),
    # Accounts are managed by administrators; every user changes their own password.
    "accounts:create": (lambda u: u.role == "admin", lambda o: {}),
    "accounts:edit": (lambda u: u.role == "admin", lambda o: {"pk": _named("accounts.User", "evna.staff", "username")}),
    "accounts:password_change": (lambda u: True, lambda o: {}),
    "accounts:password_change_done": (lambda u: True, lambda o: {}),
    # Everyone manages their own secret calendar address.
    "events:subscription": (lambda u: True, lambda o: {}),
    # Everyone manages their own keys to the read API.
    "accounts:api_tokens": (lambda u: True, lambda o: {}),
}
# POST-only actions: GET is refused, anonymous posts go to log-in, readers get 403.
POST_VIEWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "analysis:correct": lambda o: {"pk": o["article"].pk},
    "analysis:suggest": lambda o: {"pk": o["article"].pk},
    "analysis:suggestion_decide": lambda o: {"pk": _suggestion(o["article"])},
    "alerts:acknowledge": lambda o: {"pk": _named("alerts.Alert", "Cảnh báo EVN", "title")},
    "outbox:retry": lambda o: {"pk": _named("outbox.Message", "Thư EVN", "subject")},
    "incidents:from_alert": lambda o: {"alert_pk": _named("alerts.Alert", "Cảnh báo EVN", "title")},
    "incidents:note": lambda o: {"pk": _named("incidents.Incident", "Sự cố EVN", "title")},
    "claims:request_close": lambda o: {"pk": _named("claims.ContentRequest", "Tòa soạn nhận EVN", "addressee")},
    "claims:example_add": lambda o: {"pk": _named("claims.Claim", "Luận điệu EVN", "title")},
    # Readers are refused before the match is looked up.
    "claims:match_decide": lambda o: {"pk": _named("claims.Claim", "Luận điệu EVN", "title"), "match_pk": 1},
    "incidents:status": lambda o: {"pk": _named("incidents.Incident", "Sự cố EVN", "title")},
    "incidents:story": lambda o: {"pk": _named("incidents.Incident", "Sự cố EVN", "title")},
    "incidents:step": lambda o: {
        "pk": _named("incidents.Incident", "Sự cố EVN", "title"),
        "step_pk": _named("incidents.IncidentStep", "Sự cố EVN", "incident__title"),
    },
    "incidents:step_owner": lambda o: {
        "pk": _named("incidents.Incident", "Sự cố EVN", "title"),
        "step_pk": _named("incidents.IncidentStep", "Sự cố EVN", "incident__title"),
    },
    "incidents:statement_action": lambda o: {
        "pk": _named("incidents.Incident", "Sự cố EVN", "title"),
        "statement_pk": _named("incidents.Statement", "Thông cáo EVN", "title"),
        "action": "review",
    },
    "digests:build": lambda o: {},
    "digests:introduction": lambda o: {"pk": _named("digests.Digest", "Hồ sơ EVN", "profile__name")},
    "digests:add": lambda o: {"pk": _named("digests.Digest", "Hồ sơ EVN", "profile__name")},
    "digests:refresh": lambda o: {"pk": _named("digests.Digest", "Hồ sơ EVN", "profile__name")},
    "digests:send": lambda o: {"pk": _named("digests.Digest", "Hồ sơ EVN", "profile__name")},
    "digests:item": lambda o: {
        "pk": _named("digests.Digest", "Hồ sơ EVN", "profile__name"),
        "item_pk": _named("digests.DigestItem", "Hồ sơ EVN", "digest__profile__name"),
        "action": "remove",
    },
    "reports:text": lambda o: {"pk": _named("reports.Report", "Báo cáo EVN", "summary")},
    "directives:import": lambda o: {},
    "plans:output": lambda o: {"pk": _named("plans.Campaign", "Chiến dịch EVN", "title")},
    "opinion:submit": lambda o: {"pk": _named("opinion.OpinionReport", "Chủ đề EVN", "items__topic__name")},
    "plans:award_review": lambda o: {"pk": _named("plans.AwardEntry", "Tác phẩm EVN", "title")},
    "directives:link": lambda o: {"pk": _named("directives.Directive", "60-KL/ĐUK", "symbol")},
    "directives:assign": lambda o: {
        "pk": _named("directives.Directive", "60-KL/ĐUK", "symbol"),
        "item_pk": _named("directives.TaskItem", "60-KL/ĐUK", "directive__symbol"),
    },
    "directives:report": lambda o: {"pk": _named("directives.Assignment", "Nhiệm vụ EVN", "task__text")},
    "reports:refresh": lambda o: {"pk": _named("reports.Report", "Báo cáo EVN", "summary")},
    "people:erase": lambda o: {"pk": _named("people.Person", "Báo cáo viên EVN", "full_name")},
    "people:enrol": lambda o: {"pk": _named("people.Course", "Lớp EVN", "title")},
    "people:attendance": lambda o: {"pk": _named("people.Course", "Lớp EVN", "title")},
    "people:certificates": lambda o: {"pk": _named("people.Course", "Lớp EVN", "title")},
    "study:generate": lambda o: {"pk": _named("study.StudyPlan", "Học tập EVN", "title")},
    "study:schedule": lambda o: {"pk": _named("study.StudySession", "Học tập EVN", "plan__title")},
    "study:attendance": lambda o: {"pk": _named("study.StudySession", "Học tập EVN", "plan__title")},
    "study:makeup": lambda o: {"pk": _named("study.StudySession", "Học tập EVN", "plan__title")},
    "evaluation:decide": lambda o: {"pk": _named("evaluation.Round", "Đợt EVN", "title")},
    "evaluation:self": lambda o: {"pk": _named("evaluation.Evaluation", "Đợt EVN", "round__title")},
    "evaluation:appraise": lambda o: {"pk": _named("evaluation.Evaluation", "Đợt EVN", "round__title")},
    "evaluation:refresh": lambda o: {"pk": _named("evaluation.Evaluation", "Đợt EVN", "round__title")},
    "evaluation:grade": lambda o: {"pk": _named("evaluation.Evaluation", "Đợt EVN", "round__title")},
    "reports:issue": lambda o: {"pk": _named("reports.Report", "Báo cáo EVN", "summary")},
    # Administrators only: a one-person unit's author may review their own statements.
    "units:author_may_review": lambda o: {"pk": _named("units.Unit", "Đảng ủy Điện lực miền Bắc")},
    "accounts:deactivate": lambda o: {"pk": _named("accounts.User", "evna.staff", "username")},
    "accounts:reactivate": lambda o: {"pk": _named("accounts.User", "evna.staff", "username")},
    "accounts:password_mail": lambda o: {"pk": _named("accounts.User", "evna.staff", "username")},
    "claims:rebuttal_action": lambda o: {
        "pk": _named("claims.Rebuttal", "Lập luận EVN", "title"),
        "version_pk": _named("claims.RebuttalVersion", "Lập luận EVN", "rebuttal__title"),
        "action": "review",
    },
}


@dataclass(frozen=True)
class ListCase:
    # Text that appears only for data outside the EVN subtree.
    foreign_markers: tuple[str, ...]
    own_markers: tuple[str, ...]
    capability_denied: tuple[str, ...] = ()


LIST_VIEWS: dict[str, ListCase] = {
    # The home page shows the size of the scope: three units for the EVN subtree; its dashboard
    # counts and lists only the EVN subtree's open alerts (one of the two) and incidents, and
    # the drafts waiting are of the unit's own press reviews, reports and statements.
    "home": ListCase(
        foreign_markers=("Cảnh báo PVN", "Sự cố PVN", "Hồ sơ PVN", "Thông cáo PVN"),
        own_markers=(
            'data-testid="units-in-scope">3<',
            'data-testid="alerts-count">1<',
            "Cảnh báo EVN",
            'data-testid="incidents-count">1<',
            "Sự cố EVN",
        ),
    ),
    # The same dashboard on a monitoring room's screen.
    "core:screen": ListCase(
        foreign_markers=("Cảnh báo PVN", "Sự cố PVN", "Hồ sơ PVN", "Thông cáo PVN"),
        own_markers=('data-testid="alerts-count">1<', "Cảnh báo EVN", "Sự cố EVN"),
    ),
    "units:list": ListCase(foreign_markers=("Dầu khí", "Tổng công ty Khí"), own_markers=("Điện lực miền Bắc",)),
    "accounts:list": ListCase(foreign_markers=("pvn.staff", "quantri"), own_markers=("evna.staff",)),
    "core:audit": ListCase(
        foreign_markers=(),
        own_markers=(),
        capability_denied=("evn_staff", "evn_leader", "evn_viewer"),
    ),
    "analysis:queries": ListCase(foreign_markers=("Truy vấn PVN",), own_markers=("Truy vấn EVN",)),
    # Coverage analytics offers the saved queries in scope as series (the press itself is shared).
    "analytics:coverage": ListCase(foreign_markers=("Truy vấn PVN",), own_markers=("Truy vấn EVN",)),
    "alerts:list": ListCase(foreign_markers=("Cảnh báo PVN",), own_markers=("Cảnh báo EVN",)),
    "alerts:rules": ListCase(foreign_markers=("Quy tắc PVN",), own_markers=("Quy tắc EVN",)),
    # Recipients' addresses are for the staff who write for the unit.
    "outbox:list": ListCase(
        foreign_markers=("Thư PVN",), own_markers=("Thư EVN",), capability_denied=("evn_leader", "evn_viewer")
    ),
    "incidents:list": ListCase(foreign_markers=("Sự cố PVN",), own_markers=("Sự cố EVN",)),
    "claims:list": ListCase(foreign_markers=("Luận điệu PVN",), own_markers=("Luận điệu EVN",)),
    "claims:rebuttals": ListCase(foreign_markers=("Lập luận PVN",), own_markers=("Lập luận EVN",)),
    "claims:requests": ListCase(foreign_markers=("Tòa soạn nhận PVN",), own_markers=("Tòa soạn nhận EVN",)),
    "incidents:spokespersons": ListCase(foreign_markers=("Người nói PVN",), own_markers=("Người nói EVN",)),
    "digests:list": ListCase(foreign_markers=("Hồ sơ PVN",), own_markers=("Hồ sơ EVN",)),
    "digests:profiles": ListCase(foreign_markers=("Hồ sơ PVN",), own_markers=("Hồ sơ EVN",)),
    "reports:list": ListCase(foreign_markers=("Báo cáo PVN",), own_markers=("Báo cáo EVN",)),
    "reports:letterheads": ListCase(foreign_markers=("TIÊU ĐỀ PVN",), own_markers=("TIÊU ĐỀ EVN",)),
    "directives:tasks": ListCase(foreign_markers=("Nhiệm vụ PVN",), own_markers=("Nhiệm vụ EVN",)),
    "directives:rollup": ListCase(foreign_markers=("Dầu khí",), own_markers=("Điện lực",)),
    "events:month": ListCase(foreign_markers=("Sự kiện PVN",), own_markers=("Sự kiện EVN",)),
    "events:agenda": ListCase(foreign_markers=("Sự kiện PVN",), own_markers=("Sự kiện EVN",)),
    "events:ical": ListCase(foreign_markers=("Sự kiện PVN",), own_markers=("Sự kiện EVN",)),
    "plans:list": ListCase(foreign_markers=("Kế hoạch PVN",), own_markers=("Kế hoạch EVN",)),
    "plans:awards": ListCase(foreign_markers=("Tác phẩm PVN",), own_markers=("Tác phẩm EVN",)),
    "opinion:list": ListCase(foreign_markers=("Dầu khí",), own_markers=("Điện lực",)),
    "opinion:synthesis": ListCase(foreign_markers=("Chủ đề PVN",), own_markers=("Chủ đề EVN",)),
    "opinion:export_csv": ListCase(foreign_markers=("Chủ đề PVN",), own_markers=("Chủ đề EVN",)),
    "people:list": ListCase(foreign_markers=("Báo cáo viên PVN",), own_markers=("Báo cáo viên EVN",)),
    "people:courses": ListCase(foreign_markers=("Lớp PVN",), own_markers=("Lớp EVN",)),
    "study:list": ListCase(foreign_markers=("Học tập PVN",), own_markers=("Học tập EVN",)),
    "study:audiences": ListCase(foreign_markers=("Dầu khí",), own_markers=("Điện lực",)),
    "evaluation:list": ListCase(foreign_markers=("Đợt PVN",), own_markers=("Đợt EVN",)),
}

# name → (object in the EVN subtree, object outside it) as URL kwargs
DETAIL_VIEWS: dict[str, Callable[[Tree, dict[str, User]], tuple[dict[str, Any], dict[str, Any]]]] = {
    "units:detail": lambda t, u: ({"pk": t.evn_a.pk}, {"pk": t.pvn_a.pk}),
    "accounts:detail": lambda t, u: ({"pk": u["evn_a_staff"].pk}, {"pk": u["pvn_staff"].pk}),
    "analysis:query": lambda t, u: _queries(t),
    "alerts:detail": lambda t, u: _pair("alerts.Alert", "Cảnh báo", "title"),
    "incidents:detail": lambda t, u: _pair("incidents.Incident", "Sự cố", "title"),
    "claims:request_detail": lambda t, u: _pair("claims.ContentRequest", "Tòa soạn nhận", "addressee"),
    "claims:request_evidence": lambda t, u: _with(
        _pair("claims.ContentRequest", "Tòa soạn nhận", "addressee"), fmt="docx"
    ),
    "claims:detail": lambda t, u: _pair("claims.Claim", "Luận điệu", "title"),
    "digests:detail": lambda t, u: _pair("digests.Digest", "Hồ sơ", "profile__name"),
    "digests:preview": lambda t, u: _pair("digests.Digest", "Hồ sơ", "profile__name"),
    "digests:export": lambda t, u: _with(_pair("digests.Digest", "Hồ sơ", "profile__name"), fmt="docx"),
    "reports:detail": lambda t, u: _pair("reports.Report", "Báo cáo", "summary"),
    "reports:export": lambda t, u: _with(_pair("reports.Report", "Báo cáo", "summary"), fmt="docx"),
    "reports:chart": lambda t, u: _with(_pair("reports.Report", "Báo cáo", "summary"), section=0, chart=0),
    "directives:assignment": lambda t, u: _pair("directives.Assignment", "Nhiệm vụ", "task__text"),
    "directives:evidence": lambda t, u: _pair("directives.Evidence", "minh-chung", "name__startswith"),
    "plans:detail": lambda t, u: _pair("plans.Plan", "Kế hoạch", "title"),
    "plans:campaign": lambda t, u: _pair("plans.Campaign", "Chiến dịch", "title"),
    "opinion:detail": lambda t, u: _pair("opinion.OpinionReport", "Chủ đề", "items__topic__name"),
    "people:detail": lambda t, u: _pair("people.Person", "Báo cáo viên", "full_name"),
    "people:sheet": lambda t, u: _pair("people.Person", "Báo cáo viên", "full_name"),
    "people:course": lambda t, u: _pair("people.Course", "Lớp", "title"),
    "study:detail": lambda t, u: _pair("study.StudyPlan", "Học tập", "title"),
    "study:session": lambda t, u: _pair("study.StudySession", "Học tập", "plan__title"),
    "evaluation:round": lambda t, u: _pair("evaluation.Round", "Đợt", "title"),
    "evaluation:detail": lambda t, u: _pair("evaluation.Evaluation", "Đợt", "round__title"),
    "claims:rebuttal": lambda t, u: _pair("claims.Rebuttal", "Lập luận", "title"),
}
# Edit pages of unit data: writers of the unit (200), readers of it (403), others (404).
EDIT_VIEWS: dict[str, Callable[[Tree, dict[str, User]], tuple[dict[str, Any], dict[str, Any]]]] = {
    "analysis:query_edit": lambda t, u: _queries(t),
    "alerts:rule_edit": lambda t, u: _pair("alerts.AlertRule", "Quy tắc", "name"),
    "incidents:spokesperson_edit": lambda t, u: _pair("incidents.Spokesperson", "Người nói", "name"),
    "incidents:statement": lambda t, u: _pair("incidents.Incident", "Sự cố", "title"),
    "incidents:close": lambda t, u: _pair("incidents.Incident", "Sự cố", "title"),
    "claims:edit": lambda t, u: _pair("claims.Claim", "Luận điệu", "title"),
    "digests:profile_edit": lambda t, u: _pair("digests.DigestProfile", "Hồ sơ", "name"),
    "reports:letterhead_edit": lambda t, u: _pair("reports.Letterhead", "TIÊU ĐỀ", "issuer"),
    "events:edit": lambda t, u: _pair("events.Event", "Sự kiện", "title"),
    "plans:edit": lambda t, u: _pair("plans.Plan", "Kế hoạch", "title"),
    "plans:campaign_create": lambda t, u: _pair("plans.Plan", "Kế hoạch", "title"),
    "plans:campaign_edit": lambda t, u: _pair("plans.Campaign", "Chiến dịch", "title"),
    "plans:award_edit": lambda t, u: _pair("plans.AwardEntry", "Tác phẩm", "title"),
    "people:edit": lambda t, u: _pair("people.Person", "Báo cáo viên", "full_name"),
    "people:course_edit": lambda t, u: _pair("people.Course", "Lớp", "title"),
    "study:edit": lambda t, u: _pair("study.StudyPlan", "Học tập", "title"),
    "study:audience_edit": lambda t, u: ({"pk": t.evn.pk}, {"pk": t.pvn.pk}),
    "claims:rebuttal_create": lambda t, u: _pair("claims.Claim", "Luận điệu", "title"),
    "claims:rebuttal_edit": lambda t, u: _pair("claims.Rebuttal", "Lập luận", "title"),
    # Using an argument writes on the incidents the user writes for; readers of the claim get 403.
    "claims:rebuttal_use": lambda t, u: _pair("claims.Rebuttal", "Lập luận", "title"),
}


def _with(pair: tuple[dict[str, Any], dict[str, Any]], **extra: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    return {**pair[0], **extra}, {**pair[1], **extra}


def _queries(tree: Tree) -> tuple[dict[str, Any], dict[str, Any]]:
    from loa.analysis.models import SavedQuery

    inside = SavedQuery.objects.get(name="Truy vấn EVN")
    outside = SavedQuery.objects.get(name="Truy vấn PVN")
    return {"pk": inside.pk}, {"pk": outside.pk}


def _named(model: str, value: str, field: str = "name") -> int:
    from django.apps import apps

    return int(apps.get_model(model).objects.filter(**{field: value}).earliest("pk").pk)


def _suggestion(article: Any) -> int:
    from loa.analysis.models import Suggestion

    return Suggestion.objects.create(article=article, sentiment="negative").pk


def _pair(model: str, prefix: str, field: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The EVN and the PVN record of a model named '<prefix> EVN' and '<prefix> PVN'."""
    return {"pk": _named(model, f"{prefix} EVN", field)}, {"pk": _named(model, f"{prefix} PVN", field)}


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # administrators only; tested in test_admin_is_for_administrators
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def shared(db: None) -> dict[str, Any]:
    from loa.analysis.models import Story
    from loa.analysis.services import articles_analyse
    from tests.factories import make_article, make_source
    from tests.factories.analysis import make_evn

    organisation = make_evn(None)
    article = make_article()
    articles_analyse(articles=[article])
    return {"source": make_source(), "article": article, "organisation": organisation, "story": Story.objects.get()}


@pytest.fixture(autouse=True)
def saved_queries(request: Any) -> None:
    if "tree" not in request.fixturenames:
        return
    tree = request.getfixturevalue("tree")
    playbook = make_playbook()
    directive = make_directive(tree.board)
    for label, unit in (("EVN", tree.evn), ("PVN", tree.pvn)):
        seed_unit(unit, label, playbook=playbook, directive=directive)


def seed_unit(unit: Unit, label: str, *, playbook: Playbook, directive: Directive) -> None:
    """One record of every kind a list page shows, of the unit, each named after the label."""
    make_report(unit, label)
    make_digest(unit, label)
    make_event(unit, label)
    make_plan(unit, label)
    make_opinion_report(unit, label)
    roster_and_study(unit, label)
    make_award_entry(unit, label)
    make_assignment(directive, unit, label)
    make_alert(make_rule(unit, label), label)
    make_incident(unit, label, playbook=playbook, spokesperson=make_spokesperson(unit, f"Người nói {label}"))
    make_message(unit, label)
    claim = make_claim(unit, label)
    make_rebuttal(claim, label)
    make_content_request(unit, label, claim=claim)


def roster_and_study(unit: Unit, label: str) -> None:
    """A speaker and a course, a laid-out study plan and an evaluation round of the unit."""
    make_course(unit, label, people=[make_person(unit, label)])
    make_study_plan(unit, label)
    make_round(unit, label)


# The read API (/api/v1/). Its root, schema and docs page describe the endpoints and hold no data.
API_DOCS = {"api:api-root", "api:openapi-json", "api:openapi-view"}
# Endpoints of unit data, read with a key (path, parameters, what the EVN subtree's key sees).
API_LISTS: dict[str, tuple[str, Callable[[], dict[str, str]], ListCase]] = {
    "api:alerts": ("alerts", dict, ListCase(foreign_markers=("Cảnh báo PVN",), own_markers=("Cảnh báo EVN",))),
    "api:incidents": ("incidents", dict, ListCase(foreign_markers=("Sự cố PVN",), own_markers=("Sự cố EVN",))),
    "api:claims": ("claims", dict, ListCase(foreign_markers=("Luận điệu PVN",), own_markers=("Luận điệu EVN",))),
    "api:content_requests": (
        "claims/requests",
        dict,
        ListCase(foreign_markers=("Tòa soạn nhận PVN",), own_markers=("Tòa soạn nhận EVN",)),
    ),
    "api:directives": (
        "directives",
        dict,
        # The directive and its items are the bloc's, shown to all (directives:detail); the
        # assignments are the units'.
        ListCase(foreign_markers=("Dầu khí",), own_markers=("Điện lực",)),
    ),
    "api:events": (
        "events",
        lambda: _around_today(),
        ListCase(foreign_markers=("Sự kiện PVN",), own_markers=("Sự kiện EVN",)),
    ),
}
_DAYS = {"from": "2025-01-01", "to": "2025-03-31"}
# Endpoints of published coverage, shared by every unit like the pages above: a key of any role.
API_SHARED: dict[str, tuple[str, dict[str, Any]]] = {
    "api:articles": ("articles", {"q": "điện"}),
    "api:organisations": ("organisations", {}),
    "api:stories": ("stories", {}),
    "api:volume": ("analytics/volume", {"q": "điện", **_DAYS}),
    "api:top_outlets": ("analytics/outlets", {"q": "điện", **_DAYS}),
    "api:top_terms": ("analytics/terms", {"q": "điện", **_DAYS}),
    "api:top_stories": ("analytics/stories", {"q": "điện", **_DAYS}),
    "api:share_of_voice": ("analytics/share-of-voice", {"org": "Chung", **_DAYS}),
}


def _around_today() -> dict[str, str]:
    from django.utils import timezone

    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=1)).isoformat(), "to": (today + dt.timedelta(days=1)).isoformat()}


def _api(user: User | None, path: str, params: dict[str, Any]) -> Any:
    from loa.accounts.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(user=user, name='thử').key}"} if user else {}
    return Client().get(f"/api/v1/{path}", params, headers=headers)


@pytest.mark.parametrize("name", sorted(API_LISTS))
def test_api_keys_read_only_the_subtree(name: str, tree: Tree, users: dict[str, User]) -> None:
    path, params, case = API_LISTS[name]
    assert reverse(name) == f"/api/v1/{path}"
    assert _api(None, path, params()).status_code == 401
    for who in ("evn_staff", "evn_leader", "evn_viewer"):
        response = _api(users[who], path, params())
        assert response.status_code == 200, (name, who, response.content)
        body = response.content.decode()
        for marker in case.foreign_markers:
            assert marker not in body, f"{name} shows {marker!r} to {who}'s key"
        for marker in case.own_markers:
            assert marker in body, f"{name} hides {marker!r} from {who}'s key"
    bloc_body = _api(users["bloc_staff"], path, params()).content.decode()
    for marker in case.foreign_markers:
        assert marker in bloc_body, f"{name} hides {marker!r} from bloc staff's key"


@pytest.mark.parametrize("name", sorted(API_SHARED))
def test_api_shared_endpoints_need_a_key_and_answer_every_role(name: str, tree: Tree, users: dict[str, User]) -> None:
    make_organisation(None, "Chung")
    path, params = API_SHARED[name]
    assert reverse(name) == f"/api/v1/{path}"
    assert _api(None, path, params).status_code == 401
    bodies = set()
    for who in ("bloc_staff", "evn_staff", "evn_viewer", "pvn_staff"):
        response = _api(users[who], path, params)
        assert response.status_code == 200, (name, who, response.content)
        bodies.add(response.content)
    assert len(bodies) == 1, f"{name} answers roles differently"


def test_every_view_is_classified() -> None:
    classified = (
        PUBLIC
        | API_DOCS
        | set(API_LISTS)
        | set(API_SHARED)
        | set(LIST_VIEWS)
        | set(DETAIL_VIEWS)
        | set(SHARED_VIEWS)
        | set(CAPABILITY_VIEWS)
        | set(POST_VIEWS)
        | set(EDIT_VIEWS)
    )
    unclassified = {name for name, _ in named_urls()} - classified
    assert not unclassified, f"add a scoping case for: {sorted(unclassified)}"


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
def test_list_views_show_only_the_subtree(name: str, tree: Tree, users: dict[str, User]) -> None:
    case = LIST_VIEWS[name]
    for who in ("evn_staff", "evn_leader", "evn_viewer"):
        response = login(users[who]).get(reverse(name))
        if who in case.capability_denied:
            assert response.status_code == 403, (name, who)
            continue
        assert response.status_code == 200, (name, who)
        body = response.content.decode()
        for marker in case.foreign_markers:
            assert marker not in body, f"{name} shows {marker!r} to {who}"
        for marker in case.own_markers:
            assert marker in body, f"{name} hides {marker!r} from {who}"
    bloc_body = login(users["bloc_staff"]).get(reverse(name)).content.decode()
    for marker in case.foreign_markers:
        assert marker in bloc_body, f"{name} hides {marker!r} from bloc staff"


@pytest.mark.parametrize("name", sorted(DETAIL_VIEWS))
def test_detail_views_refuse_objects_outside_the_subtree(name: str, tree: Tree, users: dict[str, User]) -> None:
    inside, outside = DETAIL_VIEWS[name](tree, users)
    for who in ("evn_staff", "evn_leader", "evn_viewer"):
        client = login(users[who])
        assert client.get(reverse(name, kwargs=inside)).status_code == 200, (name, who)
        assert client.get(reverse(name, kwargs=outside)).status_code == 404, (name, who)
    assert login(users["bloc_staff"]).get(reverse(name, kwargs=outside)).status_code == 200


@pytest.mark.parametrize("name", sorted(EDIT_VIEWS))
def test_edit_views_for_writers_of_the_unit_only(name: str, tree: Tree, users: dict[str, User]) -> None:
    inside, outside = EDIT_VIEWS[name](tree, users)
    assert login(users["evn_staff"]).get(reverse(name, kwargs=inside)).status_code == 200
    assert login(users["evn_staff"]).get(reverse(name, kwargs=outside)).status_code == 404
    assert login(users["evn_viewer"]).get(reverse(name, kwargs=inside)).status_code == 403
    assert login(users["evn_leader"]).get(reverse(name, kwargs=inside)).status_code == 403
    assert login(users["bloc_staff"]).get(reverse(name, kwargs=outside)).status_code == 200


@pytest.mark.parametrize("name", sorted(set(LIST_VIEWS) | set(DETAIL_VIEWS)))
def test_views_require_login(name: str, tree: Tree, users: dict[str, User], client: Any) -> None:
    kwargs = DETAIL_VIEWS[name](tree, users)[0] if name in DETAIL_VIEWS else {}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(SHARED_VIEWS))
def test_shared_views_need_a_login_and_show_to_every_role(
    name: str, shared: dict[str, Any], tree: Tree, users: dict[str, User], client: Any
) -> None:
    url = reverse(name, kwargs=SHARED_VIEWS[name](shared))
    assert client.get(url).status_code == 302
    bodies = set()
    assert login(users["bloc_staff"]).get(url).status_code == 200
    # Roles without rights over shared data must see exactly the same page, unit or not.
    for who in ("evn_staff", "evn_viewer", "evn_leader", "pvn_staff", "evn_a_staff"):
        response = login(users[who]).get(url)
        assert response.status_code == 200, (name, who)
        main = response.content.decode().split('<main id="content">', 1)[1].split("</main>", 1)[0]
        # Sections an action right unlocks (correcting labels) follow the role, never the unit.
        for capability in re.findall(r'<section[^>]* data-capability="(\w+)"', main):
            assert user_can(users[who], getattr(roles, capability.upper())), (name, who, capability)
        main = re.sub(r'<section[^>]* data-capability="\w+".*?</section>', "", main, flags=re.S)
        # Links to a unit's own records (its saved queries) are marked and may differ by unit.
        main = re.sub(r'<(\w+)[^>]* data-scope="unit".*?</\1>', "", main, flags=re.S)
        main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)
        bodies.add(re.sub(r"\s+", " ", main))
    assert len(bodies) == 1, f"{name} differs between units"


@pytest.mark.parametrize("name", sorted(CAPABILITY_VIEWS))
def test_capability_views_refuse_other_roles(
    name: str, shared: dict[str, Any], tree: Tree, users: dict[str, User], client: Any
) -> None:
    allowed, kwargs = CAPABILITY_VIEWS[name]
    url = reverse(name, kwargs=kwargs(shared))
    assert client.get(url).status_code == 302
    for who, user in users.items():
        expected = 200 if allowed(user) else 403
        assert login(user).get(url).status_code == expected, (name, who)


@pytest.mark.parametrize("name", sorted(POST_VIEWS))
def test_post_views_refuse_get_anonymous_and_readers(
    name: str, shared: dict[str, Any], tree: Tree, users: dict[str, User], client: Any
) -> None:
    url = reverse(name, kwargs=POST_VIEWS[name](shared))
    assert login(users["evn_staff"]).get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert login(users["evn_viewer"]).post(url).status_code == 403


def test_admin_is_for_administrators(tree: Tree, users: dict[str, User]) -> None:
    assert login(users["bloc_staff"]).get("/admin/").status_code == 302
    assert login(users["admin"]).get("/admin/").status_code == 200


# The home page is a dashboard of a block per module, each a query or two (flat as data grows:
# test_list_views_cost_the_same_queries_as_data_grows).
MAX_QUERIES = {"home": 20, "core:screen": 20}


@pytest.mark.parametrize(
    "name", ["units:list", "accounts:list", "core:audit", "home", "core:screen", "sources:list", "articles:list"]
)
def test_list_views_do_a_bounded_number_of_queries(
    name: str, tree: Tree, users: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    from tests.factories import make_article, make_source, make_unit, make_user

    for number in range(15):
        make_user(unit=make_unit(parent=tree.evn))
        make_source(url=f"https://bao{number}.vn/rss", name=f"Nguồn {number}")
        make_article(outlet_domain=f"bao{number}.vn")
    client = login(users["bloc_staff"])
    with django_assert_max_num_queries(MAX_QUERIES.get(name, 12)):
        assert client.get(reverse(name)).status_code == 200


@dataclass(frozen=True)
class More:
    """A new unit of the EVN subtree to add records to, and the bloc-wide records they hang off."""

    unit: Unit
    label: str
    playbook: Playbook
    directive: Directive


def _incident(more: More) -> None:
    spokesperson = make_spokesperson(more.unit, f"Người nói {more.label}")
    make_incident(more.unit, more.label, playbook=more.playbook, spokesperson=spokesperson)


# name → what to add, in a new unit, so that the list shows more rows (the new unit alone for
# units:list). Every list view needs one: test_every_list_view_grows_in_a_query_test.
GROWTH: dict[str, Callable[[More], object]] = {
    "home": lambda m: seed_unit(m.unit, m.label, playbook=m.playbook, directive=m.directive),
    "core:screen": lambda m: seed_unit(m.unit, m.label, playbook=m.playbook, directive=m.directive),
    "units:list": lambda m: make_user(unit=m.unit),
    "accounts:list": lambda m: make_user(unit=m.unit),
    # Creating a rule writes audit entries (of the alert module: GROWTH_QUERY).
    "core:audit": lambda m: make_rule(m.unit, m.label),
    "analysis:queries": lambda m: make_saved_query(m.unit, m.label),
    "analytics:coverage": lambda m: make_saved_query(m.unit, m.label),
    "alerts:list": lambda m: make_alert(make_rule(m.unit, m.label), m.label),
    "alerts:rules": lambda m: make_rule(m.unit, m.label),
    "incidents:list": _incident,
    "claims:list": lambda m: make_claim(m.unit, m.label),
    "claims:rebuttals": lambda m: make_rebuttal(make_claim(m.unit, m.label), m.label),
    "claims:requests": lambda m: make_content_request(m.unit, m.label, claim=make_claim(m.unit, m.label)),
    "incidents:spokespersons": lambda m: make_spokesperson(m.unit, f"Người nói {m.label}"),
    "digests:list": lambda m: make_digest(m.unit, m.label),
    "digests:profiles": lambda m: make_digest(m.unit, m.label),
    "reports:list": lambda m: make_report(m.unit, m.label),
    "reports:letterheads": lambda m: make_report(m.unit, m.label),
    "directives:tasks": lambda m: make_assignment(m.directive, m.unit, m.label),
    "directives:rollup": lambda m: make_assignment(m.directive, m.unit, m.label),
    "events:month": lambda m: make_event(m.unit, m.label),
    "events:agenda": lambda m: make_event(m.unit, m.label),
    "events:ical": lambda m: make_event(m.unit, m.label),
    "plans:list": lambda m: make_plan(m.unit, m.label),
    "plans:awards": lambda m: make_award_entry(m.unit, m.label),
    "opinion:list": lambda m: make_opinion_report(m.unit, m.label),
    "opinion:synthesis": lambda m: make_opinion_report(m.unit, m.label),
    "opinion:export_csv": lambda m: make_opinion_report(m.unit, m.label),
    "people:list": lambda m: make_person(m.unit, m.label),
    "people:courses": lambda m: make_course(m.unit, m.label, people=[make_person(m.unit, m.label)]),
    "study:list": lambda m: make_study_plan(m.unit, m.label),
    "study:audiences": lambda m: make_study_plan(m.unit, m.label),
    "evaluation:list": lambda m: make_round(m.unit, m.label),
    "outbox:list": lambda m: make_message(m.unit, m.label),
}

# The audit page looks up the records its entries name once per kind of record: entries of one
# module keep the kinds the same while their number grows.
GROWTH_QUERY = {"core:audit": "?module=alerts"}


def test_every_list_view_grows_in_a_query_test() -> None:
    assert set(GROWTH) == set(LIST_VIEWS), "give each list view a growth recipe (and drop those of removed ones)"


def _queries_of(client: Client, url: str) -> tuple[list[str], bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # The same statement with other ids or names is the same query.
    shapes = [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in captured.captured_queries]
    return shapes, response.content


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
def test_list_views_cost_the_same_queries_as_data_grows(name: str, tree: Tree, users: dict[str, User]) -> None:
    """Render a list, add twice as many rows again in more units, render again: no query more."""
    who = "bloc_staff" if "evn_staff" in LIST_VIEWS[name].capability_denied else "evn_staff"
    _assert_flat(name, GROWTH[name], tree, users[who])


def _assert_flat(name: str, recipe: Callable[[More], object], tree: Tree, user: User) -> None:
    client, url = login(user), reverse(name) + GROWTH_QUERY.get(name, "")
    playbook, directive = Playbook.objects.get(), Directive.objects.get()

    def grow(count: int) -> None:
        for _ in range(count):
            unit = make_unit(parent=tree.evn)
            make_unit(parent=unit, kind=UnitKind.CELL)  # something below it to evaluate
            recipe(More(unit, f"EVN{next_number()}", playbook, directive))

    grow(1)
    _queries_of(client, url)  # once to fill the caches a first request fills
    small, small_body = _queries_of(client, url)
    grow(4)
    large, large_body = _queries_of(client, url)
    assert len(large_body) > len(small_body), f"{name}: the recipe added nothing the page shows"
    extra = "\n".join(query for query in large if large.count(query) > small.count(query))
    assert len(large) == len(small), f"{name}: {len(small)} queries, then {len(large)}; repeated:\n{extra}"


def _stories(more: More) -> None:
    """An organisation and an article naming it in words no other story uses: a story of its own."""
    from loa.analysis.services import articles_analyse

    stem = "".join("bcdghklmnt"[int(digit)] for digit in more.label.removeprefix("EVN"))
    words = [f"{stem}{ending}" for ending in ("an", "em", "ip", "ot", "ul", "ay", "ex", "oi", "uy", "ang")]
    make_organisation(None, more.label)
    article = make_article(
        f"{more.label} {' '.join(words[:5])}",
        body=f"{more.label} {' '.join(words)}. {' '.join(reversed(words))}.",
        outlet_domain=f"{more.label.lower()}.vn",
    )
    articles_analyse(articles=[article])


def _directive(more: More) -> None:
    directive = make_directive(more.unit, symbol=f"{next_number()}-KL/ĐUK")
    make_assignment(directive, more.unit, more.label)


# The shared lists grow the same way; those with a search box are read with a query.
SHARED_GROWTH: dict[str, Callable[[More], object]] = {
    "sources:list": lambda m: make_source(f"https://{m.label.lower()}.vn/rss", name=f"Nguồn {m.label}"),
    "articles:list": lambda m: make_article(f"Bài {m.label}", outlet_domain=f"{m.label.lower()}.vn"),
    "articles:search": lambda m: make_article(f"Bài {m.label}", outlet_domain=f"{m.label.lower()}.vn"),
    "incidents:playbooks": lambda m: make_playbook(f"Kịch bản {m.label}"),
    "analysis:organisations": lambda m: make_organisation(m.unit, m.label),
    "analysis:stories": _stories,
    "directives:list": _directive,
    "directives:graph": _directive,
    "opinion:topics": lambda m: make_opinion_report(m.unit, m.label),
    "analysis:topics": lambda m: _topic(m.label),
}
GROWTH_QUERY["articles:search"] = "?q=EVN"


def _topic(label: str) -> object:
    from loa.analysis.services import TopicInput, topic_save

    return topic_save(actor=None, data=TopicInput(name=f"Chủ đề {label}", rule=label))


def test_every_shared_list_grows_in_a_query_test() -> None:
    lists = {name for name, pattern in named_urls() if name in SHARED_VIEWS and not pattern.pattern.converters}
    assert set(SHARED_GROWTH) == lists, "give each shared list a growth recipe (and drop those of removed ones)"


@pytest.mark.parametrize("name", sorted(SHARED_GROWTH))
def test_shared_lists_cost_the_same_queries_as_data_grows(name: str, tree: Tree, users: dict[str, User]) -> None:
    _assert_flat(name, SHARED_GROWTH[name], tree, users["evn_staff"])
