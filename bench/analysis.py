"""Analysis quality and speed: cross-validated sentiment and topic scores on the DANeS
training split, mention precision and recall on labelled real sentences, and articles
analysed per second (models alone, and the full stage with database writes)."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from pathlib import Path

import yaml

from bench.data import news_articles, shared_dir
from bench.table import Row

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _quality(quick: bool) -> list[Row]:
    from loa.analysis.cli import DEFAULT_VECTORS_PATH
    from loa.pipeline.classify import evaluate, examples_from_records, load_lexicon
    from loa.pipeline.vectors import WordVectors

    path = shared_dir() / "data" / "danes" / "danes-train.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    folds = 3 if quick else 5
    # The word vectors Loa ships (from `loa model vectors`), as `loa model train` uses them.
    vectors_path = DEFAULT_VECTORS_PATH
    vectors = WordVectors.load(vectors_path) if vectors_path.is_file() else None
    metrics = evaluate(examples_from_records(records), folds=folds, lexicon=load_lexicon(), vectors=vectors)
    detail = f"DANeS training split, {len(records)} headlines, {folds}-fold CV" + (
        ", with word vectors" if vectors else ""
    )
    return [
        Row("analysis", "sentiment macro-F1", metrics.sentiment_macro_f1, "F1", detail),
        Row("analysis", "sentiment negative-class F1", metrics.sentiment_f1_by_class["negative"], "F1", detail),
        Row("analysis", "sentiment accuracy", metrics.sentiment_accuracy, "share", detail),
        Row(
            "analysis",
            "topics micro-F1",
            metrics.topics_micro_f1,
            "F1",
            f"{detail}, threshold {metrics.topic_threshold}",
        ),
        Row("analysis", "topics macro-F1", metrics.topics_macro_f1, "F1", detail),
    ]


def _mentions() -> list[Row]:
    from loa.pipeline.mention_accuracy import mention_accuracy
    from loa.pipeline.mentions import EntitySpec, Matcher
    from loa.text import normalize, sentences

    entries = yaml.safe_load((FIXTURES / "monitored_organisations.yaml").read_text(encoding="utf-8"))
    matcher = Matcher(
        [
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
    )
    labels = yaml.safe_load((FIXTURES / "mentions_labelled.yaml").read_text(encoding="utf-8"))["sentences"]
    wanted = {e["article"] for e in labels}
    texts = {}
    with gzip.open(shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = normalize(record["text"])
    labelled = []
    for entry in labels:
        sentence = sentences(texts[entry["article"]])[entry["sentence"]].text
        if hashlib.sha1(sentence.encode(), usedforsecurity=False).hexdigest()[:10] == entry["sha1"]:
            labelled.append((entry["article"], sentence, set(entry["entities"])))
    accuracy = mention_accuracy(matcher, labelled)
    detail = f"{len(labelled)} labelled real sentences, {accuracy.true_positives + accuracy.false_negatives} mentions"
    return [
        Row("analysis", "mention precision", accuracy.precision, "share", detail),
        Row("analysis", "mention recall", accuracy.recall, "share", detail),
    ]


def _throughput(quick: bool) -> list[Row]:
    from django.db import transaction

    from loa.analysis.runtime import classifier
    from loa.analysis.services import articles_analyse, organisation_save
    from loa.articles import search
    from loa.articles.models import Article
    from loa.pipeline.classify import model_text
    from loa.sources.models import Outlet
    from loa.text import normalize

    count = 300 if quick else 2000
    records = list(news_articles(count))
    texts = [model_text(normalize(r["title"]), normalize(r.get("lead") or ""), normalize(r["text"])) for r in records]
    models = classifier()
    started = time.perf_counter()
    models.sentiment(texts)
    models.topics(texts)
    model_rate = len(texts) / (time.perf_counter() - started)
    for code, name in (("EVN", "Tập đoàn Điện lực Việt Nam"), ("VNPT", "Tập đoàn Bưu chính Viễn thông Việt Nam")):
        organisation_save(name=name, short_name=code, unit=None, acronyms=code)
    outlet, _ = Outlet.objects.get_or_create(domain="analysis.example.vn", defaults={"name": "Báo phân tích"})
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            [
                Article(
                    outlet=outlet,
                    url=f"https://analysis.example.vn/{n}",
                    url_key=f"analysis{n:030d}",
                    title=normalize(r["title"]),
                    lead=normalize(r.get("lead") or ""),
                    body=normalize(r["text"]),
                    content_hash=f"a{n}",
                    signature=b"",
                )
                for n, r in enumerate(records)
            ]
        )
        search.index_many(articles)
    started = time.perf_counter()
    for start in range(0, len(articles), 100):
        articles_analyse(articles=articles[start : start + 100])
    stage_rate = len(articles) / (time.perf_counter() - started)
    detail = f"{len(records)} baomoi articles"
    return [
        Row("analysis", "models only (tone + topics)", model_rate, "articles/s", detail),
        Row(
            "analysis",
            "full stage (mentions, tone, topics, story, writes)",
            stage_rate,
            "articles/s",
            f"{detail}, SQLite",
        ),
    ]


def run(*, quick: bool) -> list[Row]:
    from bench.django_env import setup

    setup()
    return [*_quality(quick), *_mentions(), *_throughput(quick)]
