"""The claim matcher on its two hand-written sets (tests/claims/fixtures): weights and bar were
chosen on dev.json; test.json is the done-means check. pvn-dungquat.json and vna-bankrupt.json,
written later by other people, served to develop the pooled decision: PVN passes the bar, VNA
does not yet (see the record in `loa.pipeline.claims`), so only its shape is tested."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from loa.pipeline import claims
from loa.pipeline.vectors import WordVectors

FIXTURES = Path(__file__).parent / "fixtures"
VECTORS = Path(__file__).parents[2] / "src" / "loa" / "analysis" / "models_store" / "loa-vectors.npz"


@cache
def weights() -> claims.Weights:
    return claims.Weights(WordVectors.load(VECTORS))


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def outcome(name: str) -> tuple[int, int]:
    data = fixture(name)
    matcher = claims.Matcher(weights=weights(), examples=[claims.Example(t) for t in data["examples"]])
    found = sum(matcher.match(p["title"], "", p["text"]).similar for p in data["paraphrases"])
    decoys = sum(matcher.match(d["title"], "", d["text"]).similar for d in data["decoys"])
    return found, decoys


def test_fixtures_have_the_agreed_shape() -> None:
    for name in ("dev", "test", "pvn-dungquat", "vna-bankrupt"):
        data = fixture(name)
        assert 2 <= len(data["examples"]) <= 3
        assert len(data["paraphrases"]) == 5
        assert len(data["decoys"]) == 15


def test_dev_set() -> None:
    assert outcome("dev") == (5, 0)


def test_test_set_finds_four_paraphrases_and_no_decoy() -> None:
    found, decoys = outcome("test")
    assert found >= 4
    assert decoys == 0


def test_pvn_set_finds_four_paraphrases_and_no_decoy() -> None:
    found, decoys = outcome("pvn-dungquat")
    assert found >= 4
    assert decoys == 0


def test_a_denial_scores_lower_than_the_claim_it_denies() -> None:
    matcher = claims.Matcher(weights=weights(), examples=[claims.Example("EVN lãi lớn nhưng vẫn tăng giá điện.")])
    said = matcher.best("", "", "EVN lãi lớn nhưng vẫn tăng giá điện, dân chịu thiệt.").score
    denied = matcher.best("", "", "EVN bác bỏ thông tin lãi lớn nhưng vẫn tăng giá điện.").score
    assert denied < said


def test_a_negative_example_suppresses_its_near_copy() -> None:
    data = fixture("dev")
    decoy = data["decoys"][1]["text"]
    positives = [claims.Example(t) for t in data["examples"]]
    without = claims.Matcher(weights=weights(), examples=positives, threshold=0.1)
    assert without.match("", "", decoy).similar
    taught = claims.Matcher(
        weights=weights(), examples=[*positives, claims.Example(decoy, positive=False)], threshold=0.1
    )
    assert not taught.match("", "", decoy.replace("10 triệu", "12 triệu")).similar


def test_the_rule_is_the_saved_query_language() -> None:
    matcher = claims.Matcher(weights=weights(), examples=[], query='"giá điện" AND (lãi OR "lợi nhuận")')
    assert matcher.match("Giá điện tăng dù EVN có lãi").rule
    assert not matcher.match("Giá điện tăng").rule
    broken = claims.Matcher(weights=weights(), examples=[], query="NOT lãi")
    assert not broken.match("Giá điện").matched


def test_long_articles_are_cut_to_a_bounded_number_of_sentences() -> None:
    body = " ".join(f"Câu số {i} nói về sản lượng điện của nhà máy." for i in range(500))
    passages = claims.article_passages("Tiêu đề", "", body)
    assert len(passages) <= 1 + claims.MAX_SENTENCES * 2


def test_without_vectors_exact_words_still_match() -> None:
    matcher = claims.Matcher(
        weights=claims.Weights(None), examples=[claims.Example("TKV bán than giá rẻ rồi nhập than giá cao.")]
    )
    assert matcher.best("", "", "TKV bán than giá rẻ rồi nhập than giá cao, dân thiệt.").score > 0.5
