"""Salience and tone toward each organisation (`loa.pipeline.salience`), on short made-up
articles and a stand-in sentiment classifier."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from loa.pipeline.mentions import EntitySpec, Matcher, MemberSpec
from loa.pipeline.salience import (
    Features,
    Judgement,
    ToneSentence,
    cue_hits,
    cue_score,
    judge,
    salience_of,
    tone_contexts,
    tone_sentences,
)
from loa.text import normalize

SPECS = [
    EntitySpec(
        key="evn",
        name="Tập đoàn Điện lực Việt Nam",
        aliases=("Tập đoàn Điện lực Việt Nam",),
        acronyms=("EVN",),
        members=(MemberSpec(name="Tổng công ty Điện lực miền Bắc", acronyms=("EVNNPC",)),),
    ),
    EntitySpec(key="vcb", name="Vietcombank", aliases=("Vietcombank",), tickers=("VCB",)),
    EntitySpec(key="bidv", name="BIDV", acronyms=("BIDV",), tickers=("BID",)),
    EntitySpec(key="pvn", name="Tập đoàn Dầu khí Việt Nam", acronyms=("PVN",)),
]


def stand_in_tones(texts: Sequence[str]) -> list[tuple[str, float]]:
    """Negative on "sự cố"/"thua lỗ", positive on "vinh danh"/"lãi lớn": enough to see which
    sentences the tone was read from."""
    out = []
    for text in texts:
        lowered = text.lower()
        polarity = -0.8 * ("sự cố" in lowered or "thua lỗ" in lowered) + 0.8 * (
            "vinh danh" in lowered or "lãi lớn" in lowered
        )
        out.append(("neutral", polarity))
    return out


def run(title: str, lead: str, body: str) -> dict[str, Judgement]:
    fields = {"title": normalize(title), "lead": normalize(lead), "body": normalize(body)}
    found = Matcher(SPECS).find(**fields)
    return judge(found, tones=stand_in_tones, **fields)


def test_the_organisation_in_the_title_is_main_and_a_ticker_in_a_market_list_is_passing() -> None:
    judged = run(
        "EVN khắc phục sự cố mất điện diện rộng",
        "Tập đoàn Điện lực Việt Nam huy động lực lượng trong đêm.",
        "EVN cho biết đã cấp điện trở lại. Nhiều khu vực ổn định.\n"
        "Trên sàn chứng khoán, cổ phiếu VCB, BID, CTG, FPT đều tăng nhẹ.",
    )
    assert judged["evn"].salience == "main"
    # The incident pulls the tone down; whether repairing it reads as negative is a threshold
    # (NEGATIVE_BELOW, set on the labelled dev split), not what this test is about.
    assert judged["evn"].score < -0.2
    assert judged["vcb"].salience == "passing"
    assert judged["bidv"].salience == "passing"


def test_a_member_company_counts_for_its_organisation() -> None:
    judged = run(
        "EVNNPC được vinh danh doanh nghiệp tiêu biểu",
        "Tổng công ty Điện lực miền Bắc được vinh danh và nhận bằng khen.",
        "Lễ vinh danh diễn ra tại Hà Nội.",
    )
    assert set(judged) == {"evn"}
    assert judged["evn"].salience == "main"
    assert judged["evn"].tone == "positive"
    assert judged["evn"].score > 0


def test_secondary_when_a_substantive_part_and_tone_read_from_its_own_sentences() -> None:
    judged = run(
        "Vietcombank báo lãi lớn trong quý 3",
        "Ngân hàng vượt kế hoạch lợi nhuận.",
        "Vietcombank tăng trưởng tín dụng tốt. Ngân hàng có lãi lớn. BIDV cũng ghi nhận thua lỗ ở một công ty con. "
        "Công ty này đang tái cơ cấu. BIDV cho biết sẽ xử lý dứt điểm. Thị trường chờ đợi.",
    )
    assert judged["vcb"].salience == "main"
    assert judged["vcb"].tone == "positive"
    assert judged["bidv"].salience == "secondary"
    assert judged["bidv"].tone == "negative"  # its sentences, not the article's headline


def test_the_sentence_after_a_mention_is_read_for_tone() -> None:
    body = normalize("PVN họp. Sau đó xảy ra sự cố tại nhà máy. Trời mưa.")
    found = Matcher(SPECS).find(body=body)
    contexts = tone_contexts(found, title="", lead="", body=body)
    assert contexts["pvn"] == "PVN họp. Sau đó xảy ra sự cố tại nhà máy."


def test_no_mentions_no_judgements_and_no_classifier_call() -> None:
    def refuse(texts: Sequence[str]) -> list[tuple[str, float]]:
        raise AssertionError("not called")

    assert judge([], title="x", lead="", body="", tones=refuse) == {}


BASE = Features(
    in_title=False,
    in_lead=False,
    sentences=1,
    share=0.05,
    paragraphs=1,
    first=0.5,
    mentions=1,
    listed_only=False,
    members_only=False,
    tickers_only=False,
    quoted=False,
    organisations=2,
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "passing"),
        ({"in_title": True}, "main"),
        ({"in_title": True, "organisations": 8}, "secondary"),
        ({"in_title": True, "listed_only": True, "organisations": 8}, "passing"),
        ({"share": 0.5, "sentences": 6}, "main"),
        ({"in_lead": True}, "secondary"),
        ({"in_lead": True, "share": 0.2, "sentences": 3}, "main"),
        ({"sentences": 3, "share": 0.06}, "secondary"),
        ({"listed_only": True, "sentences": 3, "share": 0.1}, "passing"),
        ({"tickers_only": True, "sentences": 3, "share": 0.1}, "passing"),
        ({"tickers_only": True, "in_lead": True}, "secondary"),
        ({"quoted": True}, "secondary"),
        ({"organisations": 1, "sentences": 3, "share": 0.2}, "main"),
        ({"organisations": 2, "sentences": 3, "share": 0.2}, "secondary"),
    ],
)
def test_salience_rules(changes: dict[str, object], expected: str) -> None:
    fields = {**BASE.__dict__, **changes}
    assert salience_of(Features(**fields)) == expected


def neutral_tones(texts: Sequence[str]) -> list[tuple[str, float]]:
    return [("neutral", 0.0) for _ in texts]


def test_events_after_the_name_set_the_tone_toward_it_and_a_victim_is_not_blamed() -> None:
    fields = {
        "title": "",
        "lead": "",
        "body": normalize(
            "Công an khởi tố nghi phạm cướp ngân hàng Vietcombank. PVN bị kỷ luật vì sai phạm. Trời mưa."
        ),
    }
    found = Matcher(SPECS).find(**fields)
    judged = judge(found, tones=neutral_tones, **fields)
    assert judged["vcb"].tone == "neutral"  # "khởi tố" comes before the bank: it is the victim
    assert judged["pvn"].tone == "negative"
    assert judged["pvn"].score == pytest.approx(-0.7)  # CUE_WEIGHT: one sentence, clipped to -1


def test_cues_keep_diacritics_and_longer_phrases_shield_shorter_ones() -> None:
    assert [term for _o, term, _w in cue_hits(normalize("TKV báo lãi, làm lại, giảm lãi suất"))] == [
        "báo lãi",
        "lãi suất",
    ]
    picked = [ToneSentence(normalize("BIDV giảm lãi suất cho vay"), 0)]
    assert cue_score(picked) == 0.0


def test_tone_sentences_mark_where_the_organisation_is_named() -> None:
    body = normalize("Năm nay PVN có lãi. Sau đó xảy ra sự cố. Trời mưa.")
    found = Matcher(SPECS).find(body=body)
    picked = tone_sentences(found, title="", lead="", body=body)["pvn"]
    assert [(s.text.strip(), s.cue_from) for s in picked] == [
        ("Năm nay PVN có lãi.", 8),
        ("Sau đó xảy ra sự cố.", None),
    ]
    assert cue_score(picked) == 1.0  # "sự cố" is in the sentence after, which does not name it
