"""Organisations as the bloc knows them (member companies, tickers, look-alike phrases) and
each organisation in each article: its salience and the tone toward it, kept when staff
corrected them, counted by the press review and reports only when main or secondary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loa.accounts.models import User
from loa.analysis import runtime
from loa.analysis.models import ArticleEntity, Correction, MemberCompany, Mention, Organisation, Salience
from loa.analysis.selectors import organisation_coverage
from loa.analysis.services import (
    MemberData,
    articles_analyse,
    correction_record,
    organisation_save,
    organisations_import,
    organisations_seed_data,
)
from loa.articles.models import Article
from loa.pipeline import salience as pipeline_salience
from loa.pipeline.mentions import Mention as FoundMention
from loa.pipeline.salience import Judgement
from tests.conftest import login
from tests.factories import Tree, make_article
from tests.factories.analysis import make_evn, make_pvn

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))

BODY = (
    "Tập đoàn Điện lực Việt Nam (EVN) đóng điện đường dây 500 kV mạch 3 đúng hạn. "
    "Trên sàn, cổ phiếu của nhiều doanh nghiệp tăng, trong đó có PVN."
)


@pytest.fixture
def organisations(tree: Tree) -> dict[str, Organisation]:
    return {"evn": make_evn(tree.evn), "pvn": make_pvn(tree.pvn)}


def _judging(verdicts: dict[str, tuple[str, str, float]]) -> Callable[..., dict[str, Judgement]]:
    """A judge that says what the test needs (the pipeline's judge is not under test here); it
    still asks the tone reader, as the real one does."""

    def judge(
        mentions: Sequence[FoundMention],
        *,
        title: str,
        lead: str,
        body: str,
        tones: Callable[[Sequence[str]], list[tuple[str, float]]],
    ) -> dict[str, Judgement]:
        assert tones([title])
        assert title
        keys = {m.key for m in mentions}
        return {k: Judgement(k, *verdicts[k]) for k in keys}

    return judge


def _verdicts(organisations: dict[str, Organisation], **by_name: tuple[str, str, float]) -> dict[str, Any]:
    return {str(organisations[name].pk): verdict for name, verdict in by_name.items()}


# --- editing organisations ------------------------------------------------------------------------


def test_members_tickers_and_look_alikes_are_saved_and_checked(tree: Tree) -> None:
    saved = organisation_save(
        name="Tập đoàn Dầu khí Quốc gia Việt Nam",
        short_name="PVN",
        unit=tree.pvn,
        acronyms="PVN",
        tickers=" pvs \nPVS",
        blocked_phrases="tập đoàn  dầu khí quốc gia Malaysia",
        members=[
            MemberData(name="Tổng công ty Khí Việt Nam", aliases=("PV GAS", "PVGas"), tickers=("gas",)),
            MemberData(name="Tổng công ty Thăm dò Khai thác Dầu khí", acronyms=("PVEP",)),
        ],
    )
    assert saved.ticker_list() == ["PVS"]
    assert saved.blocked_list() == ["tập đoàn dầu khí quốc gia Malaysia"]
    gas = saved.members.get(name="Tổng công ty Khí Việt Nam")
    assert (gas.alias_list(), gas.ticker_list()) == (["PV GAS", "PVGas"], ["GAS"])
    # The list given is the list kept: PVEP stays the same row, Khí goes.
    pvep = saved.members.get(name="Tổng công ty Thăm dò Khai thác Dầu khí")
    organisation_save(
        organisation=saved,
        name=saved.name,
        short_name="PVN",
        unit=tree.pvn,
        members=[MemberData(name="Tổng công ty Thăm dò Khai thác Dầu khí", acronyms=("PVEP",))],
    )
    assert list(saved.members.values_list("pk", flat=True)) == [pvep.pk]
    with pytest.raises(ValidationError, match="Tổng công ty Khí"):
        organisation_save(
            organisation=saved,
            name=saved.name,
            short_name="PVN",
            unit=tree.pvn,
            members=[MemberData(name="Tổng công ty Khí Việt Nam", tickers=("GAS-1",))],
        )
    with pytest.raises(ValidationError):
        organisation_save(
            organisation=saved,
            name=saved.name,
            short_name="PVN",
            unit=tree.pvn,
            members=[MemberData(name="PV Power"), MemberData(name="PV  Power")],
        )


def test_the_seed_file_loads_with_members_and_units(tree: Tree) -> None:
    data = organisations_seed_data()
    saved = organisations_import(data=data, units={"evn": tree.evn, "pvn": tree.pvn})
    assert len(saved) == len(data) == Organisation.objects.count()
    evn = Organisation.objects.get(short_name="EVN")
    assert evn.unit == tree.evn
    assert "EVNNPC" in [a for m in evn.members.all() for a in m.acronym_list()]
    assert "ngành điện ảnh" in evn.blocked_list()
    vcb = Organisation.objects.get(name="Ngân hàng TMCP Ngoại thương Việt Nam")
    assert (vcb.short_name, vcb.ticker_list(), vcb.unit) == ("Vietcombank", ["VCB"], None)
    members = MemberCompany.objects.count()
    # Loading again updates, never duplicates.
    organisations_import(data=data, units={"evn": tree.evn})
    assert Organisation.objects.count() == len(data)
    assert MemberCompany.objects.count() == members


def test_the_matcher_spec_carries_members_and_follows_their_edits(organisations: dict[str, Organisation]) -> None:
    pvn = organisations["pvn"]
    organisation_save(
        organisation=pvn,
        name=pvn.name,
        short_name="PVN",
        unit=pvn.unit,
        acronyms="PVN",
        tickers="PVS",
        blocked_phrases="tập đoàn dầu khí quốc gia Malaysia",
        members=[MemberData(name="Tổng công ty Khí Việt Nam", aliases=("PV GAS",), tickers=("GAS",))],
    )
    spec: Any = runtime.spec_of(Organisation.objects.get(pk=pvn.pk))
    assert spec.tickers == ("PVS",)
    assert spec.blocked == ("tập đoàn dầu khí quốc gia Malaysia",)
    assert [(m.name, m.aliases, m.tickers) for m in spec.members] == [
        ("Tổng công ty Khí Việt Nam", ("Tổng công ty Khí Việt Nam", "PV GAS"), ("GAS",))
    ]
    before = runtime.matcher()
    assert runtime.matcher() is before
    # Only the member changes: the matcher is built again.
    MemberCompany.objects.filter(organisation=pvn).update(aliases="PV GAS\nPVGas", updated_at=dt.datetime.now(VN))
    assert runtime.matcher() is not before


def test_staff_edit_members_on_the_organisation_page(
    organisations: dict[str, Organisation], users: dict[str, User]
) -> None:
    pvn = organisations["pvn"]
    client = login(users["bloc_staff"])
    url = reverse("analysis:organisation_edit", args=[pvn.pk])
    form = {
        "name": pvn.name,
        "short_name": "PVN",
        "unit": pvn.unit_id,
        "acronyms": "PVN",
        "tickers": "PVS",
        "blocked_phrases": "",
        "enabled": "on",
        "members": "Tổng công ty Khí Việt Nam | PV GAS, PVGas | | GAS\n\nTổng công ty Điện lực Dầu khí Việt Nam | PV Power",
    }
    assert client.post(url, form).status_code == 302
    assert sorted(pvn.members.values_list("name", "tickers")) == [
        ("Tổng công ty Khí Việt Nam", "GAS"),
        ("Tổng công ty Điện lực Dầu khí Việt Nam", ""),
    ]
    page = client.get(url).content.decode()
    assert "Tổng công ty Khí Việt Nam | PV GAS, PVGas |  | GAS" in page
    detail = client.get(reverse("analysis:organisation", args=[pvn.pk])).content.decode()
    assert "PV GAS, PVGas" in detail.split('data-testid="members"')[1]
    # A line the form cannot read is named, and nothing is saved.
    bad = client.post(url, {**form, "members": "A | b | c | d | e\n | PV GAS"}).content.decode()
    assert "Line 1 has more than four columns" in bad or "Dòng 1 có hơn bốn cột" in bad
    assert "Dòng 2" in bad or "Line 2" in bad
    assert pvn.members.count() == 2
    bad_ticker = client.post(url, {**form, "tickers": "PV S"}).content.decode()
    assert "PV S" in bad_ticker
    assert Organisation.objects.get(pk=pvn.pk).tickers == "PVS"


# --- each organisation in each article ----------------------------------------------------------


def test_analysis_stores_salience_tone_and_the_member_named(
    organisations: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch
) -> None:
    evn, pvn = organisations["evn"], organisations["pvn"]
    verdicts = _verdicts(organisations, evn=("main", "positive", 0.8), pvn=("passing", "neutral", 0.0))
    monkeypatch.setattr(pipeline_salience, "judge", _judging(verdicts), raising=False)
    article = make_article("EVN đóng điện đường dây 500 kV mạch 3", body=BODY)
    articles_analyse(articles=[article])
    rows = {e.organisation_id: (e.salience, e.tone, e.score) for e in ArticleEntity.objects.filter(article=article)}
    assert rows == {evn.pk: ("main", "positive", 0.8), pvn.pk: ("passing", "neutral", 0.0)}
    assert ArticleEntity.objects.get(article=article, organisation=evn).published_at == article.published_at

    # The member company a mention names is stored with it.
    real = runtime.matcher()

    class Members:
        def find(self, **fields: str) -> list[FoundMention]:
            return [
                FoundMention(m.key, m.field, m.start, m.end, m.text, m.prominence, member="EVNNPC")
                if m.key == str(evn.pk)
                else m
                for m in real.find(**fields)
            ]

    monkeypatch.setattr(runtime, "matcher", Members)
    articles_analyse(articles=[Article.objects.get(pk=article.pk)])
    assert set(Mention.objects.filter(article=article, organisation=evn).values_list("member", flat=True)) == {"EVNNPC"}
    assert set(Mention.objects.filter(article=article, organisation=pvn).values_list("member", flat=True)) == {""}


def test_staff_corrections_of_salience_and_tone_survive_reanalysis(
    organisations: dict[str, Organisation], users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    evn, pvn = organisations["evn"], organisations["pvn"]
    verdicts = _verdicts(organisations, evn=("main", "positive", 0.8), pvn=("passing", "neutral", 0.0))
    monkeypatch.setattr(pipeline_salience, "judge", _judging(verdicts), raising=False)
    article = make_article("EVN đóng điện đường dây 500 kV mạch 3", body=BODY)
    articles_analyse(articles=[article])
    staff = users["bloc_staff"]
    correction_record(article=article, user=staff, organisation=pvn, salience=Salience.SECONDARY)
    correction_record(article=article, user=staff, organisation=evn, sentiment="negative")
    pvn_row = ArticleEntity.objects.get(article=article, organisation=pvn)
    assert (pvn_row.salience, pvn_row.salience_corrected, pvn_row.tone_corrected) == ("secondary", True, False)
    evn_row = ArticleEntity.objects.get(article=article, organisation=evn)
    assert (evn_row.tone, evn_row.score, evn_row.tone_corrected, evn_row.salience) == ("negative", -1.0, True, "main")
    assert Correction.objects.get(organisation=pvn).salience == "secondary"

    # The model now reads it otherwise; the staff's readings stay, the rest follows the model.
    verdicts.update(_verdicts(organisations, evn=("secondary", "positive", 0.9), pvn=("passing", "positive", 0.5)))
    articles_analyse(articles=[Article.objects.get(pk=article.pk)])
    rows = {e.organisation_id: (e.salience, e.tone) for e in ArticleEntity.objects.filter(article=article)}
    assert rows == {evn.pk: ("secondary", "negative"), pvn.pk: ("secondary", "positive")}
    with pytest.raises(ValidationError):
        correction_record(article=article, user=staff, salience="central")
    with pytest.raises(ValidationError):
        correction_record(article=article, user=staff, salience=Salience.MAIN)  # no organisation


def test_the_article_page_shows_salience_and_tone_toward_each(
    organisations: dict[str, Organisation], users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    evn, pvn = organisations["evn"], organisations["pvn"]
    verdicts = _verdicts(organisations, evn=("main", "negative", -0.7), pvn=("passing", "positive", 0.4))
    monkeypatch.setattr(pipeline_salience, "judge", _judging(verdicts), raising=False)
    article = make_article("EVN đóng điện đường dây 500 kV mạch 3", body=BODY)
    articles_analyse(articles=[article])
    client = login(users["bloc_staff"])
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    chips = page.split('data-testid="organisations"')[1].split("</ul>")[0]
    evn_chip = chips.split(f'data-testid="organisation-{evn.pk}"')[1].split("</li>")[0]
    pvn_chip = chips.split(f'data-testid="organisation-{pvn.pk}"')[1].split("</li>")[0]
    assert "Chủ thể chính" in evn_chip
    assert "Tiêu cực" in evn_chip
    assert "Nhắc qua" in pvn_chip
    assert "Tích cực" in pvn_chip
    assert chips.index(f"organisation-{evn.pk}") < chips.index(f"organisation-{pvn.pk}")  # main first
    # Staff correct the salience from the same page.
    response = client.post(
        reverse("analysis:correct", args=[article.pk]),
        {"organisation": pvn.pk, "sentiment": "positive", "salience": "secondary"},
    )
    assert response.status_code == 302
    assert ArticleEntity.objects.get(article=article, organisation=pvn).salience == "secondary"
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert 'data-testid="salience-correction"' in page
    pvn_chip = page.split(f'data-testid="organisation-{pvn.pk}"')[1].split("</li>")[0]
    assert "Một phần đáng kể" in pvn_chip


def test_organisation_pages_count_main_and_secondary_with_passing_apart(
    organisations: dict[str, Organisation], users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    pvn = organisations["pvn"]
    verdicts = _verdicts(organisations, evn=("main", "neutral", 0.0), pvn=("passing", "negative", -0.5))
    monkeypatch.setattr(pipeline_salience, "judge", _judging(verdicts), raising=False)
    articles_analyse(articles=[make_article("EVN đóng điện đường dây 500 kV mạch 3", body=BODY)])
    verdicts.update(_verdicts(organisations, pvn=("secondary", "positive", 0.5)))
    articles_analyse(articles=[make_article("PVN khởi công dự án khí Lô B", body="PVN khởi công dự án khí Lô B.")])
    coverage = organisation_coverage(organisation=pvn)
    assert (coverage.total, coverage.by_tone, coverage.passing) == (1, {"positive": 1}, 1)
    client = login(users["bloc_staff"])
    listing = client.get(reverse("analysis:organisations")).content.decode()
    row = listing.split(f'href="{reverse("analysis:organisation", args=[pvn.pk])}"')[1].split("</tr>")[0]
    assert 'data-testid="relevant">1<' in row
    assert 'data-testid="passing">1<' in row
    detail = client.get(reverse("analysis:organisation", args=[pvn.pk])).content.decode()
    assert "1 bài chỉ nhắc qua" in detail.split('data-testid="coverage-passing">')[1]
