"""Monitoring judgement on the hand-labelled articles of issue 17 (`bench/labels/entities_*.yaml`):
which monitored organisations an article refers to, how salient each is, and the tone toward
each, as the pipeline judges them (`Matcher` + `judge` with the shipped sentiment model).

Rows for the test split, and the dev split apart (dev: `int(id) % 4 == 0`, the only split
rules and thresholds were tuned on). Measures:

- reference precision / recall: the set of organisations per article (members counted for
  their organisation), micro-averaged over articles;
- salience accuracy: on organisations both labelled and found;
- relevance F1: per article × organisation (labelled or found), relevant = main or secondary,
  absent counts as not relevant; target ≥ 0.85;
- tone-toward-organisation macro-F1: over negative/neutral/positive, on organisations
  labelled relevant and found; target ≥ 0.60.

Changes made after looking at dev results (everything else was written before any labels):
1. tickers: a stock context also after a price move ("HVN nhích 0,38%"), in a sentence with
   "mã", "phiên giao dịch", "chốt phiên", and anywhere in a market article
   (`STOCK_ARTICLE_SENTENCES`) — dev roundups missed HVN/BID lines;
2. salience: lists are enumerations of LIST_NAMES capitalised names as well as of tickers
   ("5 nhà mạng là Viettel, VinaPhone, MobiFone, …"); title, lead and sentence counts read
   only mentions outside lists; tickers outside lists count like names;
3. salience: named only by tickers outside title and lead → passing; a quoted role speaking
   for the organisation → secondary;
4. tickers: a list needs TICKER_LIST = 3 ticker-shaped words (a phone's "BSI, OIS" matched BIDV's
   member BSI);
5. tone: POSITIVE_ABOVE 0,2 → 0,4, TITLE_WEIGHT 0,5 → 0,25, CONTEXT_SENTENCES 4 → 8, from a
   grid on dev (`python -m bench.entities` prints the threshold grid on dev);
6. look-alikes: the article-level context applies only when one of the organisation's names was
   cancelled by an exclusion term in its own sentence (a dev article on ExxonMobil said "đô la
   Mỹ" throughout and lost its one genuine PVN mention);
7. salience: the only organisation named, in MAIN_ALONE_SHARE = 0,15 of the sentences → main
   (dev single-organisation articles about a power cut were labelled main, read secondary);
8. tickers: the list rule needs a stock word somewhere in the article ("CNN, ABC, NBC" in an
   unlabelled dev-id article matched NBC, a TKV coal company's ticker);
9. names: dashes of any kind and spacing match ("Tập đoàn Than - Khoáng sản Việt Nam",
   "Than-Khoáng sản"; dev articles missed TKV written with a hyphen);
10. tickers: generic words ("sàn", "mã", "thanh khoản") speak of stocks only in the ticker's own
   sentence, not for the whole article (an article on "mã vùng", area codes, would have read
   every ticker-shaped word as a stock); no dev figure changed.
11. tone (issue 17, chosen on dev; dev tone macro-F1 0,522 before, 61 relevant organisations):
   a. event cues toward the organisation (`loa/pipeline/tone_cues_vi.tsv`: khởi tố, tham ô, thua
      lỗ, sự cố, … / lãi, hoàn thành, tài trợ, dẫn đầu, …) read only in the sentences naming it
      and only after its name ("PVN thua lỗ"; in "cướp ngân hàng Vietcombank" the bank is the
      victim), per sentence clipped to ±1, summed and clipped (`salience.cue_score`), added
      with CUE_WEIGHT = 0,7 (0,3–0,8 tried); matched with diacritics ("lãi" is not "lại");
      zero-weight entries shield "lãi suất", "tiền lãi", "lãi tiền gửi" (a dev bank's refunded
      interest read as profit);
   b. each context sentence read apart and their polarities averaged (instead of one text):
      with the cues it beats the joined text (best dev 0,67 against 0,60–0,62); alone it did
      not (as noted below);
   c. thresholds and title weight again from the grid: NEGATIVE_BELOW −0,2 → −0,35,
      POSITIVE_ABOVE 0,4 → 0,35, TITLE_WEIGHT 0,25 → 0,5, chosen by the best mean over each
      cell's neighbours (a lone peak on 61 organisations is noise); dev 0,522 → 0,667.
   Compared on dev and not kept: the artefact before word vectors (4fcb6d1^) gives 0,544 with
   the old settings and 0,548 with these; the two models' polarities averaged 0,50–0,53; the
   cues anywhere in the sentence (not only after the name) 0,58–0,62; the cues in the title.
   Measured once on test afterwards (not tuned on): 0,565 → 0,575, short of the 0,60 target;
   most of the dev gain is fit to its 61 organisations.
12. tone, after the sentiment model learned from the extra labels (DANeS CV 0,561 → 0,580,
   chosen on that CV alone): with 11's thresholds dev fell to 0,549 (test, seen then: 0,594).
   The dev grid again, widened to −0,6 and −0,7: NEGATIVE_BELOW −0,35 → −0,5, POSITIVE_ABOVE
   0,35 → 0,4, by the best mean over each cell's neighbours (0,581; the lone best cell 0,613).
   Measured once on test afterwards: 0,550 (against the 0,594 seen before the new grid). Kept,
   as the procedure says; the lesson is that 61 dev organisations cannot set thresholds, and
   more dev labels must come before the next tuning.
Tried on dev and not kept: the news polarity lexicon added to the model's polarity (+0,01),
reading each sentence apart (mean, min/max) without the event cues, the title and lead as the
main organisation's headline text.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.data import REPO, shared_dir
from bench.table import Row

LABELS = REPO / "bench" / "labels"
SEED = REPO / "src" / "loa" / "analysis" / "seed" / "organisations.yaml"
MODEL = REPO / "src" / "loa" / "analysis" / "models_store" / "loa-models.joblib"
TONES = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Labelled:
    id: str
    kind: str
    entities: dict[str, tuple[str, str]]  # key → (salience, tone)
    title: str
    lead: str
    body: str

    @property
    def split(self) -> str:
        return "dev" if int(self.id) % 4 == 0 else "test"


@dataclass
class Scores:
    articles: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    salience_right: int = 0
    relevant: list[tuple[bool, bool]] = field(default_factory=list)  # (labelled, found)
    tones: list[tuple[str, str]] = field(default_factory=list)  # (labelled, found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def salience_accuracy(self) -> float:
        return self.salience_right / self.tp if self.tp else 0.0

    @property
    def relevance_f1(self) -> float:
        tp = sum(1 for gold, got in self.relevant if gold and got)
        fp = sum(1 for gold, got in self.relevant if got and not gold)
        fn = sum(1 for gold, got in self.relevant if gold and not got)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    @property
    def tone_macro_f1(self) -> float:
        scores = []
        for label in TONES:
            tp = sum(1 for gold, got in self.tones if gold == label and got == label)
            fp = sum(1 for gold, got in self.tones if got == label and gold != label)
            fn = sum(1 for gold, got in self.tones if gold == label and got != label)
            if tp + fp + fn:
                scores.append(2 * tp / (2 * tp + fp + fn))
        return sum(scores) / len(scores) if scores else 0.0


def title_sha1(title: str) -> str:
    from loa.text import normalize

    return hashlib.sha1(normalize(title).encode(), usedforsecurity=False).hexdigest()[:10]


def load_labelled(paths: Iterable[Path] | None = None) -> tuple[list[Labelled], int]:
    """The labelled articles whose title still matches its checksum, and how many were
    skipped (a changed article, or an id missing from the sample)."""
    from loa.text import normalize

    entries: dict[str, dict[str, Any]] = {}
    for path in sorted(paths if paths is not None else LABELS.glob("entities_*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries[str(entry["id"])] = entry
    texts: dict[str, dict[str, Any]] = {}
    with gzip.open(shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if str(record["id"]) in entries:
                texts[str(record["id"])] = record
    labelled, skipped = [], 0
    for article_id, entry in entries.items():
        record = texts.get(article_id)
        if record is None or title_sha1(record.get("title") or "") != str(entry.get("title_sha1")):
            skipped += 1
            continue
        labelled.append(
            Labelled(
                id=article_id,
                kind=str(entry.get("kind", "")),
                entities={
                    str(k): (str(v["salience"]), str(v["tone"])) for k, v in (entry.get("entities") or {}).items()
                },
                title=normalize(record.get("title") or ""),
                lead=normalize(record.get("lead") or ""),
                body=normalize(record.get("text") or ""),
            )
        )
    return labelled, skipped


def predict(articles: Sequence[Labelled]) -> dict[str, dict[str, tuple[str, str, float]]]:
    """Per article id: key → (salience, tone, polarity), as the pipeline judges."""
    from loa.pipeline.classify import Classifier
    from loa.pipeline.entities import specs_from_yaml
    from loa.pipeline.mentions import Matcher
    from loa.pipeline.salience import judge

    matcher = Matcher(specs_from_yaml(yaml.safe_load(SEED.read_text(encoding="utf-8"))))
    classifier = Classifier.load(Path(os.environ.get("LOA_MODEL_PATH") or MODEL))

    def tones(texts: Sequence[str]) -> list[tuple[str, float]]:
        return [(r.label, r.polarity) for r in classifier.sentiment(texts)]

    out = {}
    for article in articles:
        found = matcher.find(title=article.title, lead=article.lead, body=article.body)
        judged = judge(found, title=article.title, lead=article.lead, body=article.body, tones=tones)
        out[article.id] = {k: (j.salience, j.tone, j.score) for k, j in judged.items()}
    return out


def score(articles: Sequence[Labelled], predicted: dict[str, dict[str, tuple[str, str, float]]]) -> Scores:
    from loa.pipeline.salience import RELEVANT

    scores = Scores()
    for article in articles:
        gold, got = article.entities, predicted[article.id]
        scores.articles += 1
        scores.tp += len(gold.keys() & got.keys())
        scores.fp += len(got.keys() - gold.keys())
        scores.fn += len(gold.keys() - got.keys())
        for key in gold.keys() | got.keys():
            gold_relevant = key in gold and gold[key][0] in RELEVANT
            got_relevant = key in got and got[key][0] in RELEVANT
            scores.relevant.append((gold_relevant, got_relevant))
            if key in gold and key in got:
                scores.salience_right += gold[key][0] == got[key][0]
                if gold_relevant:
                    scores.tones.append((gold[key][1], got[key][1]))
    return scores


def run(*, quick: bool) -> list[Row]:
    labelled, skipped = load_labelled()
    if not labelled:
        return [
            Row("entities", "labelled articles", 0, "articles", f"no bench/labels/entities_*.yaml ({skipped} skipped)")
        ]
    predicted = predict(labelled)
    rows = []
    for split in ("test", "dev"):
        articles = [a for a in labelled if a.split == split]
        s = score(articles, predicted)
        pairs = s.tp + s.fn
        base = f"{split} split, {s.articles} articles ({skipped} skipped: title changed or missing)"
        tag = f" ({split})"
        rows += [
            Row("entities", "reference precision" + tag, s.precision, "share", f"{base}, {s.tp + s.fp} found"),
            Row("entities", "reference recall" + tag, s.recall, "share", f"{base}, {pairs} labelled"),
            Row(
                "entities",
                "salience accuracy" + tag,
                s.salience_accuracy,
                "share",
                f"{base}, {s.tp} found and labelled",
            ),
            Row(
                "entities",
                "relevance F1" + tag,
                s.relevance_f1,
                "F1",
                f"{base}, main+secondary vs passing/absent over {len(s.relevant)} article×organisation; target ≥ 0,85",
            ),
            Row(
                "entities",
                "tone toward organisation macro-F1" + tag,
                s.tone_macro_f1,
                "F1",
                f"{base}, {len(s.tones)} relevant organisations found; target ≥ 0,60",
            ),
        ]
    return rows


def tone_grid() -> None:
    """`python -m bench.entities`: macro-F1 of the tone toward organisations on the DEV split
    for other tone thresholds, to set `loa.pipeline.salience.NEGATIVE_BELOW`/`POSITIVE_ABOVE`
    again when the sentiment model changes. Never run it on the test split."""
    from loa.pipeline.salience import RELEVANT

    labelled, skipped = load_labelled()
    dev = [a for a in labelled if a.split == "dev"]
    predicted = predict(dev)
    pairs = [
        (article.entities[key][1], predicted[article.id][key][2])
        for article in dev
        for key in article.entities.keys() & predicted[article.id].keys()
        if article.entities[key][0] in RELEVANT
    ]
    print(f"dev split: {len(dev)} articles ({skipped} skipped), {len(pairs)} relevant organisations found")
    for negative in (-0.05, -0.1, -0.2, -0.3, -0.35, -0.4, -0.5, -0.6, -0.7):
        cells = []
        for positive in (0.2, 0.3, 0.35, 0.4, 0.5, 0.6):
            scores = Scores()
            scores.tones = [
                (gold, "negative" if p <= negative else "positive" if p >= positive else "neutral") for gold, p in pairs
            ]
            cells.append(f"+{positive:.2f}: {scores.tone_macro_f1:.3f}")
        print(f"negative ≤ {negative:+.2f}  " + "  ".join(cells))


if __name__ == "__main__":
    tone_grid()
