"""The shipped models load and behave; training works from a file; stories group by content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loa.pipeline import stories
from loa.pipeline.classify import (
    Classifier,
    Example,
    evaluate,
    examples_from_records,
    extra_examples,
    load_lexicon,
    model_text,
    title_sha1,
    train,
)

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "loa" / "analysis" / "models_store" / "loa-models.joblib"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.load(SHIPPED)


def test_shipped_model_card_reports_cross_validated_scores() -> None:
    card = json.loads(SHIPPED.with_suffix(".json").read_text(encoding="utf-8"))
    metrics = card["metrics"]
    assert metrics["folds"] == 5
    assert 0.45 <= metrics["sentiment_macro_f1"] <= 1.0
    assert set(card["sentiment_labels"]) == {"negative", "neutral", "positive"}
    assert "Kinh tế" in card["topic_labels"]
    assert "negative" in metrics["sentiment_f1_by_class"]
    # Compact: the word vectors live once, in the file beside it, not pickled inside.
    assert SHIPPED.stat().st_size < 4 * 1024 * 1024
    assert SHIPPED.with_name("loa-vectors.npz").stat().st_size < 5 * 1024 * 1024


def test_clear_cases_get_the_expected_tone(classifier: Classifier) -> None:
    results = classifier.sentiment(
        [
            model_text(
                "Cháy lớn tại nhà máy, 3 người tử vong",
                "Vụ cháy gây thiệt hại nặng nề, cơ quan chức năng đang điều tra.",
            ),
            model_text(
                "Doanh nghiệp được vinh danh vì thành tích xuất sắc", "Đơn vị nhận bằng khen và giải thưởng cao quý."
            ),
        ]
    )
    assert results[0].label == "negative"
    assert results[0].polarity < 0
    assert results[1].label == "positive"
    assert results[1].polarity > 0
    assert all(0 <= r.confidence <= 1 for r in results)


def test_topics_are_multi_label_from_the_taxonomy(classifier: Classifier) -> None:
    (economy,), (sport,) = (
        classifier.topics([model_text("Giá xăng giảm mạnh, chứng khoán tăng điểm", "Thị trường tài chính khởi sắc.")]),
        classifier.topics([model_text("Đội tuyển bóng đá Việt Nam thắng Thái Lan", "Trận đấu tại Mỹ Đình.")]),
    )
    assert {label for label, _ in economy} & {"Kinh tế", "Chứng khoán"}
    assert "Thể thao" in {label for label, _ in sport}
    assert all(label in classifier.models.topic_labels for label, _ in economy + sport)


def test_empty_input() -> None:
    classifier = Classifier.load(SHIPPED)
    assert classifier.sentiment([]) == []
    assert classifier.topics([]) == []


def test_lexicon_file_parses() -> None:
    lexicon = load_lexicon()
    assert lexicon["tham nhung"] < 0
    assert lexicon["khen thuong"] > 0


def test_training_from_records_gives_a_working_model(tmp_path: Path) -> None:
    records = []
    for n in range(30):
        records.append(
            {
                "title": f"Tai nạn giao thông nghiêm trọng số {n}",
                "description": "Hai người tử vong, nhiều người bị thương.",
                "sentiment": "negative",
                "topics": ["Xã hội"],
            }
        )
        records.append(
            {
                "title": f"Doanh nghiệp vinh danh số {n}",
                "description": "Nhận bằng khen, giải thưởng lớn.",
                "sentiment": "positive",
                "topics": ["Kinh tế"],
            }
        )
        records.append(
            {
                "title": f"Họp giao ban tháng {n}",
                "description": "Hội nghị triển khai nhiệm vụ.",
                "sentiment": "neutral",
                "topics": ["Chính trị"],
            }
        )
    models, metrics = train(examples_from_records(records), folds=3, lexicon=load_lexicon(), source="test")
    assert metrics.sentiment_macro_f1 > 0.9
    models.save(tmp_path / "m.joblib")
    loaded = Classifier.load(tmp_path / "m.joblib")
    assert loaded.sentiment([model_text("Tai nạn giao thông mới", "Một người tử vong.")])[0].label == "negative"
    assert (tmp_path / "m.json").is_file()


def test_story_vectors_separate_events() -> None:
    idf: dict[str, float] = {}
    a = stories.vector(
        "Cháy lớn tại chợ Đồng Xuân", "Đám cháy bùng phát lúc rạng sáng tại chợ Đồng Xuân, Hà Nội.", "", idf, 8.0
    )
    b = stories.vector(
        "Hà Nội: cháy chợ Đồng Xuân, nhiều ki-ốt bị thiêu rụi", "Vụ cháy chợ Đồng Xuân sáng nay.", "", idf, 8.0
    )
    c = stories.vector("Giá vàng tăng mạnh phiên sáng", "Giá vàng SJC tăng 200 nghìn đồng mỗi lượng.", "", idf, 8.0)
    assert stories.cosine(a, b) > 0.3
    assert stories.cosine(a, c) < 0.1
    merged = stories.merge(a, 1, b)
    assert abs(sum(w * w for w in merged.values()) - 1.0) < 1e-3


def test_extra_labels_join_by_line_and_headline_and_only_ever_train() -> None:
    unlabelled = [
        {"title": "Cháy kho hàng, thiệt hại lớn", "description": "Lửa thiêu rụi nhà kho."},
        {"title": "Khánh thành nhà máy mới", "description": "Dự án hoàn thành vượt tiến độ."},
        {"title": "Tiêu đề đã đổi", "description": ""},
    ]
    labels = [
        {"line": 0, "title_sha1": title_sha1("Cháy kho hàng, thiệt hại lớn"), "sentiment": "negative"},
        {"line": 1, "title_sha1": title_sha1("Khánh thành nhà máy mới"), "sentiment": "positive"},
        {"line": 2, "title_sha1": title_sha1("Tiêu đề cũ"), "sentiment": "neutral"},  # the line changed
        {"line": 9, "title_sha1": "0000000000", "sentiment": "neutral"},  # no such line
        {"line": 1, "title_sha1": title_sha1("Khánh thành nhà máy mới"), "sentiment": None},  # left unlabelled
    ]
    extra, skipped = extra_examples(labels, unlabelled)
    assert [e.sentiment for e in extra] == ["negative", "positive"]
    assert skipped == 2
    assert extra[0].text.startswith("Cháy kho hàng")

    # Scored on the labelled set alone: the extra examples change the training folds, never the
    # number of predictions or what they are compared with.
    records = [
        {"title": f"Tai nạn số {n}", "description": "Hai người tử vong.", "sentiment": "negative"} for n in range(12)
    ] + [
        {"title": f"Họp số {n}", "description": "Hội nghị.", "sentiment": "neutral", "topics": ["ABC"[n % 3]]}
        for n in range(12)
    ]
    examples = examples_from_records(records)
    # The negatives' own texts, ten times over, called neutral: they can only pull the training.
    contradicting = [Example(e.text, "neutral", ()) for e in examples if e.sentiment == "negative"] * 10
    plain = evaluate(examples, folds=3)
    swamped = evaluate(examples, folds=3, extra=contradicting)
    assert plain.sentiment_macro_f1 > 0.9
    assert swamped.sentiment_macro_f1 < plain.sentiment_macro_f1
