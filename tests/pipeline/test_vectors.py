"""Word vectors: compact storage, features for the sentiment model, training on small text."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from loa.pipeline.classify import (
    VECTORS_FILE,
    Classifier,
    ModelsError,
    examples_from_records,
    model_text,
    sentiment_pipeline,
    train,
)
from loa.pipeline.vectors import EmbeddingFeatures, WordVectors, read_corpus, tokens, train_vectors


def _toy_vectors() -> WordVectors:
    # Three directions: accident words, award words, meeting words.
    words = ["tai", "nạn", "tử", "vong", "khen", "thưởng", "vinh", "danh", "họp", "hội", "nghị"]
    axes = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
    matrix = np.zeros((len(words), 3), dtype=np.float16)
    for row, axis in enumerate(axes):
        matrix[row, axis] = 1
    return WordVectors(words, matrix)


def test_vectors_round_trip_as_float16(tmp_path: Path) -> None:
    vectors = _toy_vectors()
    size = vectors.save(tmp_path / "v.npz")
    loaded = WordVectors.load(tmp_path / "v.npz")
    assert size > 0
    assert loaded.words == vectors.words
    assert loaded.matrix.dtype == np.float16
    assert loaded.index["khen"] == 4
    assert np.allclose(loaded.mean(["tai", "nạn", "không-có"]), [1, 0, 0])
    assert np.allclose(loaded.mean(["không-có"]), [0, 0, 0])


def test_embedding_features_average_text_and_headline() -> None:
    features = EmbeddingFeatures(_toy_vectors()).transform(["Họp hội nghị. Tai nạn tử vong", "Không có gì"])
    dense = features.toarray()
    assert dense.shape == (2, 6)
    assert np.allclose(dense[0, 3:], [0, 0, 1])  # the headline holds only meeting words
    assert np.allclose(dense[0, :3], [4 / 7, 0, 3 / 7])
    assert np.allclose(dense[1], 0)
    assert EmbeddingFeatures(None).transform(["x"]).shape == (1, 0)


def test_words_seen_only_through_vectors_move_the_tone() -> None:
    # "vong" and "danh" never occur in the labelled texts; only the vectors tie them to a tone.
    texts = [model_text(f"Tai nạn số {n}", "tử") for n in range(20)] + [
        model_text(f"Khen thưởng số {n}", "vinh") for n in range(20)
    ]
    labels = ["negative"] * 20 + ["positive"] * 20
    pipeline = sentiment_pipeline(None, _toy_vectors()).fit(texts, labels)
    assert list(pipeline.predict(["vong vong", "danh danh"])) == ["negative", "positive"]


def test_training_with_vectors_keeps_them_beside_the_artefact(tmp_path: Path) -> None:
    records = []
    for n in range(20):
        records += [
            {"title": f"Tai nạn số {n}", "description": "Hai người tử vong.", "sentiment": "negative", "topics": ["A"]},
            {"title": f"Khen thưởng số {n}", "description": "Vinh danh.", "sentiment": "positive", "topics": ["B"]},
            {"title": f"Họp số {n}", "description": "Hội nghị.", "sentiment": "neutral", "topics": ["C"]},
        ]
    models, metrics = train(examples_from_records(records), folds=3, vectors=_toy_vectors(), source="test")
    assert metrics.sentiment_macro_f1 > 0.9
    models.save(tmp_path / "m.joblib")
    # One copy of the vectors: written beside the artefact, not pickled into it, and still in
    # the trained object after saving.
    assert WordVectors.load(tmp_path / VECTORS_FILE).digest() == _toy_vectors().digest()
    stored = joblib.load(tmp_path / "m.joblib")
    assert stored.sentiment.named_steps["features"].transformer_list[-1][1].vectors is None
    assert models.sentiment.named_steps["features"].transformer_list[-1][1].vectors is not None
    loaded = Classifier.load(tmp_path / "m.joblib")
    assert loaded.sentiment([model_text("Tai nạn mới", "tử vong")])[0].label == "negative"

    # Vectors retrained after the models: refused with a clear message, not silently misread.
    other = _toy_vectors()
    other.matrix = other.matrix[::-1].copy()
    other.save(tmp_path / VECTORS_FILE)
    with pytest.raises(ModelsError, match="loa model train"):
        Classifier.load(tmp_path / "m.joblib")
    (tmp_path / VECTORS_FILE).unlink()
    with pytest.raises(ModelsError, match=VECTORS_FILE):
        Classifier.load(tmp_path / "m.joblib")


def test_corpus_reads_news_and_headline_records(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl.gz"
    with gzip.open(news, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "1", "title": "Giá điện tăng mạnh", "lead": "", "text": "Dòng một ở đây.\nHai"}))
        handle.write("\n\n")
    headlines = tmp_path / "h.jsonl"
    headlines.write_text(json.dumps({"title": "EVN khởi công dự án", "description": "Sáng nay"}) + "\n")
    sentences = read_corpus([news, headlines])
    assert ["giá", "điện", "tăng", "mạnh"] in sentences
    assert ["dòng", "một", "ở", "đây"] in sentences
    assert ["evn", "khởi", "công", "dự", "án"] in sentences
    assert ["hai"] not in sentences  # too short to teach a context
    assert tokens("Tai nạn, 3 người") == ["tai", "nạn", "3", "người"]


def test_train_vectors_on_a_small_corpus() -> None:
    pytest.importorskip("gensim")
    sentences = [["giá", "điện", "tăng", "mạnh", "hôm", "nay"]] * 50 + [
        ["cháy", "nhà", "máy", "làm", "chết", "người"]
    ] * 50
    vectors = train_vectors(sentences, dims=8, keep=5, min_count=1, epochs=2, workers=1)
    assert len(vectors.words) == 5
    assert vectors.matrix.shape == (5, 8)
    assert vectors.matrix.dtype == np.float16
    assert np.allclose(np.linalg.norm(vectors.matrix.astype(np.float32), axis=1), 1, atol=1e-2)
