"""Mention detection: rules on crafted sentences, and precision/recall on real ones."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from loa.pipeline.mention_accuracy import mention_accuracy
from loa.pipeline.mentions import EntitySpec, Matcher, article_prominence
from loa.text import normalize, sentences
from tests.shared import shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def specs() -> list[EntitySpec]:
    entries = yaml.safe_load((FIXTURES / "monitored_organisations.yaml").read_text(encoding="utf-8"))
    return [
        EntitySpec(
            key=e["key"],
            name=e["name"],
            aliases=(e["name"], *e.get("aliases", [])),
            acronyms=tuple(e.get("acronyms", [])),
            ambiguous=tuple(e.get("ambiguous", [])),
            context=tuple(e.get("context", [])),
            exclude=tuple(e.get("exclude", [])),
        )
        for e in entries
    ]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(specs())


def keys(matcher: Matcher, text: str) -> list[str]:
    return [m.key for m in matcher.find(body=normalize(text))]


def test_names_match_without_diacritics_or_case(matcher: Matcher) -> None:
    assert keys(matcher, "Tập đoàn Điện lực Việt Nam họp") == ["evn"]
    assert keys(matcher, "TAP DOAN DIEN LUC VIET NAM hop") == ["evn"]
    assert keys(matcher, "tập đoàn dầu khí việt nam") == ["pvn"]


def test_acronyms_need_their_capitals(matcher: Matcher) -> None:
    assert keys(matcher, "EVN tăng giá") == ["evn"]
    assert keys(matcher, "trang evn.com.vn và chữ evn thường") == []
    assert keys(matcher, "PVN, TKV và VNPT") == ["pvn", "tkv", "vnpt"]


def test_word_boundaries(matcher: Matcher) -> None:
    assert keys(matcher, "VNPTX và XEVN") == []
    assert keys(matcher, "(EVN)") == ["evn"]


def test_ambiguous_names_need_context(matcher: Matcher) -> None:
    assert keys(matcher, "Ngành điện lực phát triển mạnh.") == []
    assert keys(matcher, "Điện lực Hà Nội cho biết giá điện không đổi.") == ["evn"]
    assert keys(matcher, "Luật Điện lực sửa đổi quy định giá điện.") == []  # excluded in that sentence


def test_longest_match_wins(matcher: Matcher) -> None:
    found = matcher.find(body=normalize("Tập đoàn Điện lực Việt Nam cho biết giá điện tăng."))
    assert [(m.key, m.text) for m in found] == [("evn", "Tập đoàn Điện lực Việt Nam")]


def test_exclusions_apply_to_the_sentence_only(matcher: Matcher) -> None:
    text = normalize("Viettel thắng trận giao hữu. Viettel báo lãi quý 3.")
    found = matcher.find(body=text)
    assert [(m.key, text[m.start : m.end]) for m in found] == [("viettel", "Viettel")]
    assert found[0].start == text.index("Viettel báo")


def test_spans_point_into_normalised_text_with_paragraphs(matcher: Matcher) -> None:
    body = normalize("Đoạn một.\n\nĐoạn hai: Vietcombank báo lãi.")
    (mention,) = matcher.find(body=body)
    assert body[mention.start : mention.end] == "Vietcombank"


def test_prominence_by_field_and_position(matcher: Matcher) -> None:
    found = matcher.find(title="EVN tăng giá điện", lead="", body=normalize("Mở đầu. " * 30 + "EVN cho biết."))
    by_field = {m.field: m.prominence for m in found}
    assert by_field["title"] == 1.0
    assert by_field["body"] < 0.4
    assert article_prominence(found)["evn"] == 1.0


def test_empty_entity_list_finds_nothing() -> None:
    assert Matcher([]).find(title="EVN", body="Viettel") == []


def labelled_sentences() -> list[tuple[str, str, set[str]]]:
    document = yaml.safe_load((FIXTURES / "mentions_labelled.yaml").read_text(encoding="utf-8"))
    wanted = {entry["article"] for entry in document["sentences"]}
    texts: dict[str, str] = {}
    with gzip.open(shared_path("data", "news", "baomoi-articles.jsonl.gz"), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = normalize(record["text"])
    out = []
    for entry in document["sentences"]:
        sentence = sentences(texts[entry["article"]])[entry["sentence"]].text
        assert hashlib.sha1(sentence.encode(), usedforsecurity=False).hexdigest()[:10] == entry["sha1"], entry
        out.append((f"{entry['article']}/{entry['sentence']}", sentence, set(entry["entities"])))
    return out


def test_precision_and_recall_on_labelled_real_sentences(matcher: Matcher) -> None:
    labelled = labelled_sentences()
    assert len(labelled) == 90
    accuracy = mention_accuracy(matcher, labelled)
    assert accuracy.precision >= 0.95, accuracy.errors
    assert accuracy.recall >= 0.95, accuracy.errors


SEED = Path(__file__).resolve().parents[2] / "src" / "loa" / "analysis" / "seed" / "organisations.yaml"


@pytest.fixture(scope="module")
def seeded() -> Matcher:
    from loa.pipeline.entities import specs_from_yaml

    return Matcher(specs_from_yaml(yaml.safe_load(SEED.read_text(encoding="utf-8"))))


def found(matcher: Matcher, text: str) -> list[tuple[str, str, str]]:
    return [(m.key, m.text, m.member) for m in matcher.find(body=normalize(text))]


@pytest.mark.parametrize(
    "text",
    [
        "Cổ phiếu VCB tăng 2%.",
        "Mã VCB giảm nhẹ.",
        "PV GAS (HOSE: GAS) báo lãi.",
        "Nhóm ngân hàng VCB, BID, CTG kéo thị trường. Cổ phiếu ngân hàng hút tiền.",
        "Khối ngoại bán ròng VCB trong phiên.",
        "Trong khi HVN nhích nhẹ 0,38% thì GEX giảm.",
    ],
)
def test_tickers_count_in_a_stock_context(seeded: Matcher, text: str) -> None:
    keys = {key for key, _t, _m in found(seeded, text)}
    assert keys & {"vcb", "pvn", "vna"}


@pytest.mark.parametrize(
    "text",
    [
        "Ông nói GAS là khí đốt.",
        "Anh ấy nhắn VCB rồi đi.",
        "Giá OIL thế giới.",
        "cổ phiếu vcb tăng.",
        "Máy ảnh có cảm biến BSI, OIS và đèn kép.",
        "Các đài CNN, ABC, NBC đưa tin về cuộc bầu cử.",
    ],
)
def test_tickers_need_capitals_and_a_stock_context(seeded: Matcher, text: str) -> None:
    assert found(seeded, text) == []


def test_member_companies_count_for_their_organisation(seeded: Matcher) -> None:
    assert found(seeded, "EVNNPC cắt điện luân phiên.") == [("evn", "EVNNPC", "Tổng công ty Điện lực miền Bắc")]
    text = normalize("Tổng công ty Khí Việt Nam (PV GAS) ký hợp đồng.")
    mentions = seeded.find(body=text)
    assert {(m.key, m.member) for m in mentions} == {("pvn", "Tổng công ty Khí Việt Nam")}
    assert [text[m.start : m.end] for m in mentions] == ["Tổng công ty Khí Việt Nam", "PV GAS"]


@pytest.mark.parametrize(
    "text",
    [
        "Ngành điện ảnh Việt Nam có nhiều phim hay, giá điện không liên quan.",
        "Cục Hàng không Việt Nam yêu cầu các hãng bay đúng giờ.",
        "Tổng công ty Cảng hàng không Việt Nam mở rộng nhà ga.",
        "CLB Viettel giành chiến thắng.",
        "Tập đoàn dầu khí quốc gia Malaysia (Petronas) báo lãi.",
        "Tổng công ty Bưu điện Việt Nam phát hành tem.",
    ],
)
def test_look_alikes_are_not_the_monitored_organisation(seeded: Matcher, text: str) -> None:
    assert found(seeded, text) == []


def test_a_name_saying_viet_nam_survives_a_foreign_exclusion_in_its_sentence(seeded: Matcher) -> None:
    text = "Tập đoàn Dầu khí Việt Nam ký thỏa thuận với Tập đoàn dầu khí quốc gia Malaysia."
    assert found(seeded, text) == [("pvn", "Tập đoàn Dầu khí Việt Nam", "")]
    # Exclusion terms keep diacritics and case: "mỹ phẩm" is not the country.
    assert [k for k, _t, _m in found(seeded, "Tập đoàn Dầu khí đầu tư nhà máy mỹ phẩm.")] == ["pvn"]
    assert found(seeded, "Tập đoàn Dầu khí Mỹ ExxonMobil.") == []


def test_a_football_report_names_the_club_even_without_a_sports_word_in_the_sentence(seeded: Matcher) -> None:
    report = normalize(
        "Viettel đón Hà Nội FC trên sân Hàng Đẫy. Trận đấu diễn ra sôi nổi. HLV hai đội hài lòng. "
        "Cầu thủ Viettel ghi bàn cuối hiệp. Viettel vươn lên thứ ba."
    )
    assert seeded.find(body=report) == []
    business = normalize("Viettel báo lãi. Viettel mở rộng 5G. Đội tuyển bóng đá được Viettel tài trợ.")
    assert len(seeded.find(body=business)) == 2  # the sponsorship sentence names sports words
    # Exclusion terms throughout, none next to the organisation's name: it stays.
    foreign = normalize(
        "ExxonMobil tài trợ 50.000 đô la Mỹ. Số tiền mua thiết bị từ Mỹ. Hãng thảo luận với Tập đoàn "
        "Dầu khí Quốc gia về mỏ khí. Đại sứ Mỹ dự lễ."
    )
    assert [m.key for m in seeded.find(body=foreign)] == ["pvn"]


@pytest.mark.parametrize(
    "text",
    [
        "Tập đoàn Than - Khoáng sản Việt Nam họp.",
        "Tập đoàn Công nghiệp Than-Khoáng sản Việt Nam họp.",
        "Tập đoàn Công nghiệp Than — Khoáng sản Việt Nam họp.",
    ],
)
def test_dashes_of_any_kind_and_spacing(seeded: Matcher, text: str) -> None:
    normalised = normalize(text)
    (mention,) = seeded.find(body=normalised)
    assert mention.key == "tkv"
    assert normalised[mention.start : mention.end] == mention.text
    assert mention.text.startswith("Tập đoàn")
    assert mention.text.endswith("Việt Nam")
