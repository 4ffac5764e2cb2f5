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
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import user_can
from tests.conftest import login
from tests.factories import Tree

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
    "alerts:rule_create": (_writes, lambda o: {}),
    "incidents:create": (_writes, lambda o: {}),
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
}
# POST-only actions: GET is refused, anonymous posts go to log-in, readers get 403.
POST_VIEWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "analysis:correct": lambda o: {"pk": o["article"].pk},
    "analysis:suggest": lambda o: {"pk": o["article"].pk},
    "analysis:suggestion_decide": lambda o: {"pk": _suggestion(o["article"])},
    "alerts:acknowledge": lambda o: {"pk": _named("alerts.Alert", "Cảnh báo EVN", "title")},
    "incidents:from_alert": lambda o: {"alert_pk": _named("alerts.Alert", "Cảnh báo EVN", "title")},
    "incidents:note": lambda o: {"pk": _named("incidents.Incident", "Sự cố EVN", "title")},
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
}


@dataclass(frozen=True)
class ListCase:
    # Text that appears only for data outside the EVN subtree.
    foreign_markers: tuple[str, ...]
    own_markers: tuple[str, ...]
    capability_denied: tuple[str, ...] = ()


LIST_VIEWS: dict[str, ListCase] = {
    # The home page shows the size of the scope: three units for the EVN subtree,
    # and counts only the EVN subtree's open alerts (one of the two).
    "home": ListCase(
        foreign_markers=(), own_markers=('data-testid="units-in-scope">3<', 'data-testid="open-alerts">1<')
    ),
    "units:list": ListCase(foreign_markers=("Dầu khí", "Tổng công ty Khí"), own_markers=("Điện lực miền Bắc",)),
    "accounts:list": ListCase(foreign_markers=("pvn.staff", "quantri"), own_markers=("evna.staff",)),
    "core:audit": ListCase(
        foreign_markers=(),
        own_markers=(),
        capability_denied=("evn_staff", "evn_leader", "evn_viewer"),
    ),
    "analysis:queries": ListCase(foreign_markers=("Truy vấn PVN",), own_markers=("Truy vấn EVN",)),
    "alerts:list": ListCase(foreign_markers=("Cảnh báo PVN",), own_markers=("Cảnh báo EVN",)),
    "alerts:rules": ListCase(foreign_markers=("Quy tắc PVN",), own_markers=("Quy tắc EVN",)),
    "incidents:list": ListCase(foreign_markers=("Sự cố PVN",), own_markers=("Sự cố EVN",)),
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
}
# Edit pages of unit data: writers of the unit (200), readers of it (403), others (404).
EDIT_VIEWS: dict[str, Callable[[Tree, dict[str, User]], tuple[dict[str, Any], dict[str, Any]]]] = {
    "analysis:query_edit": lambda t, u: _queries(t),
    "alerts:rule_edit": lambda t, u: _pair("alerts.AlertRule", "Quy tắc", "name"),
    "incidents:spokesperson_edit": lambda t, u: _pair("incidents.Spokesperson", "Người nói", "name"),
    "incidents:statement": lambda t, u: _pair("incidents.Incident", "Sự cố", "title"),
    "incidents:close": lambda t, u: _pair("incidents.Incident", "Sự cố", "title"),
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
    from loa.analysis.services import articles_analyse, organisation_save
    from tests.factories import make_article, make_source

    organisation = organisation_save(name="Tập đoàn Điện lực Việt Nam", short_name="EVN", unit=None, acronyms="EVN")
    article = make_article()
    articles_analyse(articles=[article])
    return {"source": make_source(), "article": article, "organisation": organisation, "story": Story.objects.get()}


@pytest.fixture(autouse=True)
def saved_queries(request: Any) -> None:
    if "tree" not in request.fixturenames:
        return
    tree = request.getfixturevalue("tree")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from loa.accounts.scoping import SYSTEM
    from loa.alerts.models import Alert
    from loa.alerts.services import rule_save
    from loa.analysis.services import saved_query_save
    from loa.digests.services import ProfileData, digest_build, profile_save
    from loa.directives.models import Assignment, Directive, TaskItem
    from loa.directives.services import progress_report
    from loa.events.services import EventData, event_save
    from loa.incidents.services import incident_open, statement_save
    from loa.opinion.services import Stream, report_save, report_submit
    from loa.plans.services import CampaignData, EntryData, PlanData, campaign_save, entry_save, plan_save
    from loa.reports.models import Report
    from loa.reports.services import letterhead_ensure, letterhead_save
    from tests.factories import make_article, make_playbook, make_spokesperson

    playbook = make_playbook()
    chart = {"kind": "bars", "title": "Số bài", "labels": ["EVN"], "values": [3], "series": {}, "unit": ""}
    for name, unit in (("EVN", tree.evn), ("PVN", tree.pvn)):
        letterhead = letterhead_save(user=SYSTEM, letterhead=letterhead_ensure(unit=unit), issuer=f"TIÊU ĐỀ {name}")
        Report.objects.create(
            unit=unit,
            letterhead=letterhead,
            kind="month",
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            label="tháng 10 năm 2026",
            summary=f"Báo cáo {name}",
            figures={"sections": [{"key": "x", "title": "T", "paragraphs": [], "tables": [], "charts": [chart]}]},
            prepared_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )
        profile = profile_save(
            user=SYSTEM, profile=None, data=ProfileData(name=f"Hồ sơ {name}", unit=unit, recipients="a@example.vn")
        )
        digest = digest_build(profile=profile, day=dt.date(2026, 11, 20))
        services_item(digest, make_article(title=f"Bài {name}"))
        soon = timezone.localdate() + dt.timedelta(days=1)
        event_save(
            user=SYSTEM,
            event=None,
            data=EventData(title=f"Sự kiện {name}", calendar="solar", day=soon.day, month=soon.month, unit=unit),
        )
        plan = plan_save(
            user=SYSTEM,
            plan=None,
            data=PlanData(title=f"Kế hoạch {name}", unit=unit, first_year=2026, last_year=2026, objectives="…"),
        )
        campaign_save(
            user=SYSTEM,
            plan=plan,
            campaign=None,
            data=CampaignData(title=f"Chiến dịch {name}", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)),
        )
        opinion = report_save(
            user=SYSTEM,
            unit=unit,
            kind="monthly",
            period="2026-10",
            streams=[Stream(topic=f"Chủ đề {name}", tendency="agree", breadth="da_so")],
        )
        report_submit(user=SYSTEM, report=opinion)
        roster_and_study(name, unit)
        entry_save(
            user=SYSTEM,
            entry=None,
            data=EntryData(
                year=2026,
                unit=unit,
                title=f"Tác phẩm {name}",
                genre="print",
                outlet="Báo",
                published_on=dt.date(2026, 5, 1),
            ),
        )
    directive = Directive.objects.create(symbol="60-KL/ĐUK", doc_type="Kết luận", title="Kết luận thử", unit=tree.board)
    for name, unit in (("EVN", tree.evn), ("PVN", tree.pvn)):
        item = TaskItem.objects.create(directive=directive, number=name, text=f"Nhiệm vụ {name}")
        assignment = Assignment.objects.create(task=item, unit=unit, deadline=dt.date(2026, 12, 31))
        progress_report(
            user=SYSTEM,
            assignment=assignment,
            progress=50,
            text="Đang làm",
            files=[SimpleUploadedFile(f"minh-chung {name}.pdf", b"%PDF bien ban")],
        )
        saved = saved_query_save(name=f"Truy vấn {name}", query=name.lower(), unit=unit)
        rule = rule_save(name=f"Quy tắc {name}", unit=unit, kind="negative_prominent", saved_query=saved)
        Alert.objects.create(rule=rule, trigger_key="test", title=f"Cảnh báo {name}", severity="high")
        person = make_spokesperson(unit, f"Người nói {name}")
        incident = incident_open(user=SYSTEM, title=f"Sự cố {name}", unit=unit, playbook=playbook)
        statement_save(
            user=SYSTEM,
            incident=incident,
            title=f"Thông cáo {name}",
            body="Nội dung thông cáo.",
            channel="release",
            spokesperson=person,
        )


def roster_and_study(name: str, unit: Any) -> None:
    """A speaker and a course, a laid-out study plan and an evaluation round of the unit."""
    from decimal import Decimal

    from django.utils import timezone

    from loa.accounts.scoping import SYSTEM
    from loa.evaluation.services import CriterionSpec, RoundData, round_open
    from loa.people.services import CourseData, PersonData, course_save, enrol, person_save
    from loa.study.services import StudyPlanData, audiences_save, plan_generate, plan_save

    today = timezone.localdate()
    person = person_save(
        user=SYSTEM,
        person=None,
        data=PersonData(
            unit=unit,
            kind="speaker",
            full_name=f"Báo cáo viên {name}",
            consent_on=today - dt.timedelta(days=30),
            consent_note="Phiếu đồng ý",
        ),
    )
    course = course_save(
        user=SYSTEM,
        course=None,
        data=CourseData(unit=unit, title=f"Lớp {name}", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 2)),
    )
    enrol(user=SYSTEM, course=course, people=[person])
    audiences_save(user=SYSTEM, unit=unit, headcounts={"key_cadres": 5})
    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=StudyPlanData(title=f"Học tập {name}", unit=unit, complete_by=dt.date(2026, 12, 31)),
    )
    plan_generate(user=SYSTEM, plan=plan)
    round_open(
        user=SYSTEM,
        unit=unit,
        data=RoundData(year=2026, title=f"Đợt {name}"),
        criteria=[CriterionSpec("Toàn bộ", Decimal(100))],
    )


def services_item(digest: Any, article: Any) -> None:
    from loa.accounts.scoping import SYSTEM
    from loa.digests.services import item_add

    item_add(user=SYSTEM, digest=digest, article=article)


def test_every_view_is_classified() -> None:
    classified = (
        PUBLIC
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


@pytest.mark.parametrize("name", ["units:list", "accounts:list", "core:audit", "home", "sources:list", "articles:list"])
def test_list_views_do_a_bounded_number_of_queries(
    name: str, tree: Tree, users: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    from tests.factories import make_article, make_source, make_unit, make_user

    for number in range(15):
        make_user(unit=make_unit(parent=tree.evn))
        make_source(url=f"https://bao{number}.vn/rss", name=f"Nguồn {number}")
        make_article(outlet_domain=f"bao{number}.vn")
    client = login(users["bloc_staff"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200
