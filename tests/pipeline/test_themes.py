"""The bloc's themes as plain code: rules, the learned part, its artefact (synthetic data)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from loa.pipeline.themes import (
    BODY_CHARS,
    MIN_POSITIVES,
    Example,
    Learned,
    Tagger,
    ThemeSpec,
    key_of,
    load_seed,
    terms,
    theme_text,
    train,
)
from loa.text.query import has_positive, parse

THEMES = [
    ThemeSpec(key="prices", rule='"giá điện" OR "giá xăng"'),
    ThemeSpec(key="digital", rule='"chuyển đổi số"'),
]
PRICE_WORDS = ["biểu giá bán lẻ", "điều chỉnh tăng", "hóa đơn tiền điện", "kỳ điều hành", "mức tăng"]
DIGITAL_WORDS = ["nền tảng số", "dữ liệu", "ứng dụng di động", "điện toán đám mây", "hạ tầng số"]
OTHER_WORDS = ["đội tuyển", "trận đấu", "bàn thắng", "huấn luyện viên", "giải đấu", "cổ động viên"]


def _article(rng: random.Random, words: list[str], extra: str = "") -> str:
    picked = rng.sample(words, 3)
    return theme_text(f"Tin về {picked[0]}", f"{picked[1]} và {picked[2]}. {extra}", " ".join(rng.sample(words, 4)))


def _examples(rng: random.Random, prices: int, digital: int, other: int) -> list[Example]:
    out = []
    for n in range(prices):
        # Half the price articles never say "giá điện": the rule misses them, examples teach them.
        out.append(Example(_article(rng, PRICE_WORDS, "giá điện" if n % 2 else ""), frozenset({"prices"})))
    for n in range(digital):
        # Some digital articles mention the electricity price in passing: the rule is wrong there.
        out.append(Example(_article(rng, DIGITAL_WORDS, "giá điện" if n % 3 == 0 else ""), frozenset({"digital"})))
    out.extend(Example(_article(rng, OTHER_WORDS), frozenset()) for _ in range(other))
    return out


def test_the_seed_themes_have_keys_names_and_valid_rules() -> None:
    seed = load_seed()
    assert len(seed) >= 11
    assert len({t.key for t in seed}) == len(seed)
    for theme in seed:
        assert key_of(theme.key) == theme.key
        assert theme.name
        assert has_positive(parse(theme.rule)), theme.key


def test_keys_and_the_text_themes_read() -> None:
    assert key_of("Giá điện, xăng dầu") == "gia-dien-xang-dau"
    assert key_of("Đời sống", prefix="danes-") == "danes-doi-song"
    body = "lời " * BODY_CHARS
    text = theme_text("Tiêu đề", "Sapo", body)
    assert text.startswith("Tiêu đề\nSapo\nlời")
    assert len(text) < BODY_CHARS + 30
    assert text.endswith("lời")  # cut between words
    assert terms("Giá điện tăng") == ["giá", "điện", "tăng", "giá điện", "điện tăng"]


def test_a_theme_with_too_few_confirmed_examples_keeps_its_rule_alone() -> None:
    rng = random.Random(3)
    examples = _examples(rng, prices=MIN_POSITIVES - 1, digital=MIN_POSITIVES - 1, other=20)
    learned = train(THEMES, examples)
    assert learned.themes == {}
    assert learned.card["rule_only"] == ["digital", "prices"]
    tagger = Tagger(THEMES, learned)
    assert tagger.assign("EVN đề xuất tăng giá điện") == [("prices", 1.0)]
    assert tagger.assign("Biểu giá bán lẻ điều chỉnh tăng") == []  # no rule hit, nothing learned


def test_confirmed_examples_teach_a_theme_beyond_and_against_its_rule(tmp_path: Path) -> None:
    rng = random.Random(7)
    learned = train(THEMES, _examples(rng, prices=30, digital=30, other=40))
    assert set(learned.themes) == {"prices", "digital"}
    assert learned.themes["prices"].positives == 30
    assert learned.themes["prices"].negatives == 70
    tagger = Tagger(THEMES, learned)
    held_out = random.Random(99)
    # A price article that never names the electricity price: the rule alone misses it.
    unnamed = _article(held_out, PRICE_WORDS)
    assert Tagger(THEMES).assign_text(unnamed) == []
    assert [key for key, _s in tagger.assign_text(unnamed)] == ["prices"]
    # A digital article that names the electricity price in passing is not about prices.
    passing = _article(held_out, DIGITAL_WORDS, "giá điện")
    assert {key for key, _s in Tagger(THEMES).assign_text(passing)} == {"prices"}
    assert [key for key, _s in tagger.assign_text(passing)] == ["digital"]
    assert tagger.assign_text(_article(held_out, OTHER_WORDS)) == []

    # The artefact is plain JSON and scores as the object that wrote it.
    path = tmp_path / "themes.json"
    assert learned.save(path) > 0
    loaded = Learned.load(path)
    again = Tagger(THEMES, loaded)
    for text in (unnamed, passing):
        assert [k for k, _ in again.assign_text(text)] == [k for k, _ in tagger.assign_text(text)]
        for (_k1, s1), (_k2, s2) in zip(again.assign_text(text), tagger.assign_text(text), strict=True):
            assert s1 == pytest.approx(s2, abs=0.01)


def test_the_vector_is_the_one_scikit_learn_trained_on() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = random.Random(5)
    texts = [e.text for e in _examples(rng, prices=10, digital=10, other=10)]
    vectorizer = TfidfVectorizer(tokenizer=terms, token_pattern=None, lowercase=False, min_df=2, sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    learned = Learned(
        vocabulary={str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
        idf=[float(v) for v in vectorizer.idf_],
        themes={},
    )
    for row, text in enumerate(texts[:5]):
        ours = learned.vector(text)
        theirs = {int(i): float(v) for i, v in zip(matrix[row].indices, matrix[row].data, strict=True)}
        assert ours.keys() == theirs.keys()
        for index, value in theirs.items():
            assert ours[index] == pytest.approx(value)


def test_a_damaged_artefact_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "themes.json"
    path.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="learned themes"):
        Learned.load(path)
