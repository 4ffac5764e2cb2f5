"""Test data built through the services, so tests see the same rows the product writes."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from loa.accounts.models import Role, User
from loa.accounts.services import user_create
from loa.alerts.models import Alert, AlertRule
from loa.analysis.models import ArticleAnalysis, Mention, Organisation
from loa.articles.models import Article
from loa.incidents.models import Playbook, Spokesperson
from loa.sources.models import Outlet, Source
from loa.units.models import Unit, UnitKind
from loa.units.services import unit_create

PASSWORD = "mật-khẩu-thử-nghiệm-42"
START = dt.date(2020, 1, 1)
_counter = itertools.count(1)


def make_unit(
    name: str | None = None,
    *,
    parent: Unit | None = None,
    kind: str = UnitKind.COMMITTEE,
    symbol: str = "ĐU",
    valid_from: dt.date = START,
    code: str | None = None,
) -> Unit:
    number = next(_counter)
    name = name or f"Đảng ủy đơn vị {number}"
    return unit_create(
        code=code or f"unit-{number}",
        name=name,
        short_name=name.replace("Đảng ủy ", "ĐU "),
        kind=kind,
        symbol=symbol,
        parent=parent,
        valid_from=valid_from,
    )


def make_user(role: str = Role.UNIT_STAFF, *, unit: Unit | None = None, username: str | None = None) -> User:
    number = next(_counter)
    return user_create(
        username=username or f"user{number}",
        full_name=f"Người dùng {number}",
        role=role,
        unit=unit,
        password=PASSWORD,
        validate=False,
    )


@dataclass
class Tree:
    """bloc → (evn → evn_a, evn_b), (pvn → pvn_a), board."""

    bloc: Unit
    board: Unit
    evn: Unit
    evn_a: Unit
    evn_b: Unit
    pvn: Unit
    pvn_a: Unit

    @property
    def evn_subtree(self) -> set[int]:
        return {self.evn.pk, self.evn_a.pk, self.evn_b.pk}


def make_tree() -> Tree:
    bloc = make_unit("Đảng ủy Khối Thử nghiệm", kind=UnitKind.BLOC, symbol="ĐUK")
    board = make_unit("Ban Tuyên giáo Đảng ủy Khối", parent=bloc, kind=UnitKind.BOARD, symbol="BTG")
    evn = make_unit("Đảng ủy Tập đoàn Điện lực", parent=bloc)
    evn_a = make_unit("Đảng ủy Điện lực miền Bắc", parent=evn, kind=UnitKind.GRASSROOTS)
    evn_b = make_unit("Chi bộ Truyền thông", parent=evn, kind=UnitKind.CELL, symbol="CB")
    pvn = make_unit("Đảng ủy Tập đoàn Dầu khí", parent=bloc)
    pvn_a = make_unit("Đảng ủy Tổng công ty Khí", parent=pvn, kind=UnitKind.GRASSROOTS)
    return Tree(bloc=bloc, board=board, evn=evn, evn_a=evn_a, evn_b=evn_b, pvn=pvn, pvn_a=pvn_a)


def make_source(
    url: str = "https://baothu.vn/rss/tin-moi.rss",
    *,
    name: str = "Tin mới",
    outlet_name: str = "Báo Thử",
) -> Source:
    from loa.sources.services import source_create

    return source_create(url=url, name=name, outlet_name=outlet_name)


def make_article(
    title: str = "Tập đoàn Điện lực Việt Nam tăng giá điện",
    *,
    body: str | None = None,
    url: str | None = None,
    outlet_domain: str = "baothu.vn",
    outlet_name: str = "Báo Thử",
    published_at: dt.datetime | None = None,
    lead: str = "",
) -> Article:
    """An article stored through the pipeline's write path.

    Unless the test says when, it was published just now: windows counted back from now
    ("the last 24 hours", "7 days before the incident") and today's press review then hold it
    whatever the date and time of day the suite runs at.
    """
    from django.db import transaction
    from django.utils import timezone

    from loa.articles.services import article_store
    from loa.sources.services import outlet_for_url

    number = next(_counter)
    url = url or f"https://{outlet_domain}/bai-viet/{number}.html"
    body = body or (
        f"Bài số {number}. Tập đoàn Điện lực Việt Nam (EVN) cho biết giá điện bình quân sẽ điều chỉnh "
        "từ ngày 11/10. Theo EVN, mức điều chỉnh giúp bù đắp chi phí sản xuất. "
        f"Chuyên gia nhận định tác động tới lạm phát không lớn. Mã tin {number * 7919}."
    )
    with transaction.atomic():
        return article_store(
            outlet=outlet_for_url(url, name=outlet_name),
            source=None,
            url=url,
            title=title,
            lead=lead,
            body=body,
            published_at=published_at or timezone.now(),
        )


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


def unit_of(record: Organisation | AlertRule) -> Unit:
    assert record.unit is not None
    return record.unit


def article_of(alert: Alert) -> Article:
    assert alert.article is not None
    return alert.article


def coverage(
    *,
    tone: str = "negative",
    tier: int = 1,
    domain: str = "baolon.vn",
    title: str = "EVN bị phản ánh về hóa đơn tiền điện",
    created_at: dt.datetime | None = None,
    analyse: bool = True,
) -> Article:
    """An article naming EVN, analysed, with the tone the test needs (the model is not under test here)."""
    article = make_article(title=title, outlet_domain=domain, outlet_name=domain)
    Outlet.objects.filter(domain=domain).update(tier=tier)
    if created_at is not None:
        Article.objects.filter(pk=article.pk).update(created_at=created_at)
    article.refresh_from_db()
    if analyse:
        from loa.analysis.services import articles_analyse

        articles_analyse(articles=[article])
        ArticleAnalysis.objects.filter(article=article).update(sentiment=tone)
        Mention.objects.filter(article=article).update(sentiment=tone)
    return article
