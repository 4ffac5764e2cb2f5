"""`loa model train`, `loa model themes`, `loa classify`, `loa mentions`, `loa reanalyze`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from loa.clikit import CommandError, check_database, require_migrated, setup_django

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "models_store" / "loa-models.joblib"
# Word vectors from `loa model vectors`; `loa model train` folds them into the models.
DEFAULT_VECTORS_PATH = DEFAULT_MODEL_PATH.with_name("loa-vectors.npz")
# The project's own sentiment labels of DANeS's unlabelled headlines (by line, no text).
DEFAULT_EXTRA_LABELS = DEFAULT_MODEL_PATH.with_name("danes-extra-sentiment.jsonl")


def default_training_data() -> Path | None:
    here = Path(__file__).resolve()
    candidates = [os.environ.get("LOA_TRAINING_DATA", "")]
    candidates += [str(parent / "shared" / "data" / "danes" / "danes-train.jsonl") for parent in here.parents[3:5]]
    candidates.append("/work/shared/data/danes/danes-train.jsonl")
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    # Lazy: `loa` imports every app CLI at start-up; the text cores load only for this command.
    from loa.text.encoding import decode

    if not path.is_file():
        raise CommandError(f"Không có tệp {path} (file not found)")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(decode(raw.strip()).text)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}, dòng {number}: không phải JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise CommandError(f"{path}, dòng {number}: cần một đối tượng JSON")
            yield number, record


def _extra(args: argparse.Namespace, data: Path) -> list[Any]:
    """The project's extra sentiment labels joined to the unlabelled headlines they name; none
    (with a word why) when either file is missing, as on a machine without the shared data."""
    # Lazy: keeps scikit-learn out of `loa` start-up (every app CLI is imported there).
    from loa.pipeline.classify import extra_examples

    labels_path = Path(args.extra_labels) if args.extra_labels else DEFAULT_EXTRA_LABELS
    unlabelled_path = Path(args.unlabelled) if args.unlabelled else data.with_name("danes-unlabelled.jsonl")
    for path in (labels_path, unlabelled_path):
        if not path.is_file():
            if args.extra_labels or args.unlabelled:
                raise CommandError(f"Không có tệp {path} (file not found)")
            print(f"(không dùng nhãn bổ sung: thiếu {path})", file=sys.stderr)
            return []
    labels = [record for _n, record in _records(labels_path)]
    unlabelled = [record for _n, record in _records(unlabelled_path)]
    extra, skipped = extra_examples(labels, unlabelled)
    if skipped:
        print(f"(bỏ qua {skipped} nhãn bổ sung: dòng không còn hoặc tiêu đề đã đổi)", file=sys.stderr)
    return extra


def _model_path() -> Path:
    return Path(os.environ.get("LOA_MODEL_PATH") or DEFAULT_MODEL_PATH)


def cmd_train(args: argparse.Namespace) -> int:
    # Lazy: keeps scikit-learn out of `loa` start-up (every app CLI is imported there).
    from loa.pipeline.classify import examples_from_records, load_lexicon, train

    data = Path(args.data) if args.data else default_training_data()
    if data is None:
        raise CommandError("Cần dữ liệu huấn luyện: --data danes-train.jsonl (training data not found)")
    records = [record for _n, record in _records(data)]
    vectors = None
    vectors_path = Path(args.vectors) if args.vectors else DEFAULT_VECTORS_PATH
    if not args.no_vectors and vectors_path.is_file():
        # Lazy: keeps numpy out of `loa` start-up (every app CLI is imported there).
        from loa.pipeline.vectors import WordVectors

        vectors = WordVectors.load(vectors_path)
        print(f"Dùng vectơ từ {vectors_path.name} ({len(vectors.words)} từ)", flush=True)
    corrections = [] if args.no_corrections else _corrections()
    examples = examples_from_records([*records, *corrections])
    extra = [] if args.no_extra_labels else _extra(args, data)
    print(
        f"Huấn luyện trên {len(records)} mẫu từ {data.name}, {len(corrections)} nhãn do cán bộ sửa "
        f"và {len(extra)} nhãn bổ sung …",
        flush=True,
    )
    models, metrics = train(
        examples,
        folds=args.folds,
        lexicon=load_lexicon(),
        vectors=vectors,
        source=f"{data.name} + {len(corrections)} corrections"
        + (f" + {len(extra)} extra labels" if extra else "")
        + (f" + {vectors_path.name}" if vectors else ""),
        extra=extra,
    )
    output = Path(args.output) if args.output else _model_path()
    size = models.save(output)
    print(f"Đã lưu mô hình {models.card['version']} vào {output} ({size / 1e6:.1f} MB)")
    print(
        f"Cảm xúc (sentiment), {metrics.folds}-fold CV: macro-F1 {metrics.sentiment_macro_f1:.3f}, "
        f"accuracy {metrics.sentiment_accuracy:.3f}, F1 theo nhãn {metrics.sentiment_f1_by_class}"
    )
    print(
        f"Chủ đề (topics): micro-F1 {metrics.topics_micro_f1:.3f}, macro-F1 {metrics.topics_macro_f1:.3f}, "
        f"ngưỡng {metrics.topic_threshold}"
    )
    if not args.no_corrections:
        from loa.analysis.services import topics_sync

        added = topics_sync(models.topic_labels)
        if added:
            print(f"Đã thêm {added} chủ đề vào danh mục (taxonomy).")
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    require_migrated()
    from loa.analysis.services import themes_learn

    learned, size = themes_learn(output=Path(args.output) if args.output else None)
    card = learned.card
    print(f"Học chủ đề từ {card['examples']} bài cán bộ đã xác nhận chủ đề (confirmed articles).")
    for key, theme in sorted(learned.themes.items()):
        print(f"  {key}: bộ phân loại học từ {theme.positives} bài có, {theme.negatives} bài không")
    if card["rule_only"]:
        print(f"  Chỉ dùng quy tắc (rule only, < {card['min_positives']} bài xác nhận): {', '.join(card['rule_only'])}")
    from django.conf import settings

    print(f"Đã lưu {args.output or settings.LOA_THEMES_PATH} ({size / 1e3:.0f} kB); bài mới dùng ngay.")
    return 0


def cmd_vectors(args: argparse.Namespace) -> int:
    """Word vectors from unlabelled news, for `loa model train`."""
    # Lazy: gensim and numpy load only for this command, not at `loa` start-up.
    from loa.pipeline.vectors import read_corpus, train_vectors

    paths = [Path(p) for p in args.news]
    for path in paths:
        if not path.is_file():
            raise CommandError(f"Không có tệp {path} (file not found)")
    sentences = read_corpus(paths)
    print(f"Học vectơ từ {len(sentences)} đoạn văn ({sum(map(len, sentences))} âm tiết) …", flush=True)
    vectors = train_vectors(sentences, dims=args.dims, keep=args.keep, epochs=args.epochs)
    output = Path(args.output) if args.output else DEFAULT_VECTORS_PATH
    size = vectors.save(output)
    print(f"Đã lưu {len(vectors.words)} vectơ {vectors.dims} chiều vào {output} ({size / 1e6:.1f} MB)")
    # The models artefact beside them names the vectors it was trained with, and refuses others.
    print("Huấn luyện lại mô hình với bộ vectơ này: loa model train (retrain the models)")
    return 0


def _corrections() -> list[dict[str, object]]:
    """Staff corrections from the database, when one is configured and migrated."""
    try:
        setup_django()
        check_database()
        require_migrated()
    except CommandError as error:
        print(f"(không đọc được nhãn sửa từ cơ sở dữ liệu: {error})", file=sys.stderr)
        return []
    from loa.analysis.services import corrections_as_examples

    return corrections_as_examples()


def _classifier() -> Any:
    # Lazy: keeps scikit-learn out of `loa` start-up (every app CLI is imported there).
    from loa.pipeline.classify import Classifier

    path = _model_path()
    if not path.is_file():
        raise CommandError(f"Chưa có mô hình tại {path}; chạy: loa model train")
    return Classifier.load(path)


def cmd_classify(args: argparse.Namespace) -> int:
    # Lazy: keeps scikit-learn out of `loa` start-up (every app CLI is imported there).
    from loa.pipeline.classify import model_text

    classifier = _classifier()
    records = list(_records(Path(args.input)))
    texts = [
        model_text(str(r.get("title", "")), str(r.get("lead") or r.get("description") or ""), str(r.get("text", "")))
        for _n, r in records
    ]
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115 - stdout or a file
    try:
        if args.what == "sentiment":
            for (_n, record), result in zip(records, classifier.sentiment(texts), strict=True):
                out.write(
                    json.dumps(
                        {
                            "id": record.get("id"),
                            "sentiment": result.label,
                            "score": result.confidence,
                            "polarity": result.polarity,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        else:
            for (_n, record), topics in zip(records, classifier.topics(texts), strict=True):
                out.write(
                    json.dumps(
                        {"id": record.get("id"), "topics": [label for label, _s in topics], "scores": dict(topics)},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _entity_specs(path: Path) -> list[Any]:
    # Lazy: `loa` imports every app CLI at start-up; the text cores load only for this command.
    import yaml

    from loa.pipeline.entities import EntitiesError, specs_from_yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CommandError(f"Không đọc được {path}: {exc}") from exc
    try:
        return specs_from_yaml(raw)
    except EntitiesError as exc:
        raise CommandError(f"{path}: {exc}") from exc


def cmd_mentions(args: argparse.Namespace) -> int:
    # Lazy: `loa` imports every app CLI at start-up; the text cores load only for this command.
    from collections.abc import Sequence

    from loa.pipeline.mentions import Matcher, article_prominence
    from loa.pipeline.salience import judge
    from loa.text.normalization import normalize

    matcher = Matcher(_entity_specs(Path(args.entities)))
    classifier = _classifier()

    def tones(texts: Sequence[str]) -> list[tuple[str, float]]:
        return [(result.label, result.polarity) for result in classifier.sentiment(texts)]

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115 - stdout or a file
    try:
        for _n, record in _records(Path(args.input)):
            fields = {name: normalize(str(record.get(name) or "")) for name in ("title", "lead", "text")}
            found = matcher.find(title=fields["title"], lead=fields["lead"], body=fields["text"])
            judged = judge(found, title=fields["title"], lead=fields["lead"], body=fields["text"], tones=tones)
            out.write(
                json.dumps(
                    {
                        "id": record.get("id"),
                        "mentions": [
                            {
                                "entity": m.key,
                                "field": "text" if m.field == "body" else m.field,
                                "start": m.start,
                                "end": m.end,
                                "text": m.text,
                                "prominence": m.prominence,
                                **({"member": m.member} if m.member else {}),
                            }
                            for m in found
                        ],
                        "prominence": article_prominence(found),
                        "entities": {
                            key: {"salience": j.salience, "tone": j.tone, "score": j.score} for key, j in judged.items()
                        },
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_reanalyze(args: argparse.Namespace) -> int:
    setup_django()
    check_database()
    require_migrated()
    from loa.analysis.services import articles_analyse_again, reanalysis_batches
    from loa.analysis.tasks import analyse_articles_task

    since = dt.date.fromisoformat(args.since) if args.since else None
    batches = reanalysis_batches(since=since, size=args.chunk)
    if args.sync:
        done = 0
        for batch in batches:
            done += articles_analyse_again(article_ids=batch)
            print(f"\r{done} bài đã phân tích lại", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        print(f"Đã phân tích lại {done} bài.")
        return 0
    for batch in batches:
        analyse_articles_task.enqueue(batch)
    print(f"Đã xếp {len(batches)} lô ({sum(map(len, batches))} bài) cho tác vụ nền phân tích lại.")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    model = subparsers.add_parser("model", help="train the sentiment and topic models")
    model_commands = model.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    train = model_commands.add_parser("train", help="train from labelled headlines (DANeS) plus staff corrections")
    train.add_argument(
        "--data", help="training JSON lines: title, description, sentiment, topics (default ../shared/data/danes)"
    )
    train.add_argument("--output", help="where to write the artefact (default: the one Loa ships)")
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds for the reported scores")
    train.add_argument("--no-corrections", action="store_true", help="ignore corrections stored in the database")
    train.add_argument("--vectors", help="word vectors from `loa model vectors` (default: the ones Loa ships)")
    train.add_argument("--no-vectors", action="store_true", help="train without word vectors")
    train.add_argument(
        "--extra-labels", help="the project's sentiment labels of unlabelled headlines (default: the ones Loa ships)"
    )
    train.add_argument(
        "--unlabelled", help="the headlines those labels name (default: danes-unlabelled.jsonl beside --data)"
    )
    train.add_argument("--no-extra-labels", action="store_true", help="train on --data and corrections only")
    train.set_defaults(handler=cmd_train)

    themes = model_commands.add_parser(
        "themes", help="train the bloc's themes from the articles whose topics staff confirmed"
    )
    themes.add_argument("--output", help="where to write the artefact (default: LOA_THEMES_PATH)")
    themes.set_defaults(handler=cmd_themes)

    vectors = model_commands.add_parser("vectors", help="learn word vectors from unlabelled news (for train)")
    vectors.add_argument(
        "--news",
        nargs="+",
        required=True,
        help="JSON lines (.gz allowed) with title and lead/description/text, e.g. baomoi-articles.jsonl.gz",
    )
    vectors.add_argument("--output", help="where to write them (default: beside the models Loa ships)")
    vectors.add_argument("--dims", type=int, default=100, help="vector size")
    vectors.add_argument("--keep", type=int, default=30000, help="keep this many most frequent syllables")
    vectors.add_argument("--epochs", type=int, default=5, help="passes over the text")
    vectors.set_defaults(handler=cmd_vectors)

    classify = subparsers.add_parser("classify", help="label a JSON-lines file: sentiment or topics")
    classify.add_argument("what", choices=["sentiment", "topics"], help="which model to apply")
    classify.add_argument("--input", required=True, help="JSON lines with id, title, text (lead optional)")
    classify.add_argument("--output", help="JSON lines out (default: standard output)")
    classify.set_defaults(handler=cmd_classify)

    mentions = subparsers.add_parser(
        "mentions",
        help="find organisations of a YAML file in a JSON-lines file, with salience and tone toward each",
    )
    mentions.add_argument(
        "--entities",
        required=True,
        help="YAML list: key, name, aliases, acronyms, tickers, ambiguous, context, exclude, blocked, members "
        "(as src/loa/analysis/seed/organisations.yaml)",
    )
    mentions.add_argument("--input", required=True, help="JSON lines with id, title, lead, text")
    mentions.add_argument("--output", help="JSON lines out (default: standard output)")
    mentions.set_defaults(handler=cmd_mentions)

    reanalyze = subparsers.add_parser("reanalyze", help="score stored articles again (after the models change)")
    reanalyze.add_argument("--since", help="only articles published on or after this day (YYYY-MM-DD)")
    reanalyze.add_argument("--chunk", type=int, default=200, help="articles per background task")
    reanalyze.add_argument("--sync", action="store_true", help="work here instead of in background tasks")
    reanalyze.set_defaults(handler=cmd_reanalyze)
