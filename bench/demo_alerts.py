"""Do the demo's alerts concern the organisations they are about? The demo's organisations and
alert rules (the demo loaders) over the hand-labelled articles of `bench/labels/entities_*.yaml`,
stored and run through Loa's after-store pipeline (analysis, then alert evaluation) on a fresh
database, as `loa up --demo` runs them.

An alert about an article counts as right when the labels say the article is about the rule's
organisation (main or secondary), or, for a saved-query rule, about at least one of the demo's
monitored organisations. Spike and story alerts rest on several articles (their explanation
lists them); the share of those articles that are right is reported apart. Every outlet is of
the first tier, so prominence never hides an alert: the figure is the relevance of what rules
take. Nothing is tuned here; the test split (`int(id) % 4 != 0`) is the figure, dev apart.

Runs in a child process on its own database, so other scenarios' rows do not mix in.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bench.table import Row

LABELS = Path(__file__).resolve().parent / "labels"
RELEVANT = ("main", "secondary")
TARGET = 0.9
BATCH = 20


def label_files() -> list[Path]:
    """`bench/labels/entities_*.yaml`, or the folders in LOA_BENCH_LABELS (path-separated)."""
    folders = [Path(p) for p in os.environ.get("LOA_BENCH_LABELS", "").split(os.pathsep) if p] or [LABELS]
    return sorted(f for folder in folders for f in folder.glob("entities_*.yaml"))


def load_labels() -> dict[str, dict[str, Any]]:
    labels: dict[str, dict[str, Any]] = {}
    for path in label_files():
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            labels[str(entry["id"])] = entry
    return labels


def _title_sha1(title: str) -> str:
    from loa.text import normalize

    return hashlib.sha1(normalize(title).encode(), usedforsecurity=False).hexdigest()[:10]


def _about(entry: dict[str, Any], keys: set[str]) -> bool:
    entities = entry.get("entities") or {}
    return any((entities.get(key) or {}).get("salience") in RELEVANT for key in keys)


def _measure() -> dict[str, Any]:
    """In the child: load the demo, store the labelled articles, run the pipeline, score."""
    from bench.django_env import setup

    setup()
    from django.db import transaction

    from bench.data import news_articles
    from loa.alerts.models import Alert, AlertRule, MinSalience
    from loa.alerts.services import alerts_evaluate_articles
    from loa.analysis.models import ArticleEntity, Organisation
    from loa.articles import search
    from loa.articles.hooks import articles_stored
    from loa.articles.models import Article
    from loa.devtools.demo import alerts as demo_alerts
    from loa.devtools.demo import analysis as demo_analysis
    from loa.devtools.demo import units as demo_units
    from loa.devtools.monitored import seed_entries
    from loa.devtools.replay import OUTLETS
    from loa.sources.models import Outlet
    from loa.text import normalize

    labels = load_labels()
    by_code = demo_units.units_load()
    demo_analysis.load(by_code)
    demo_alerts.load(by_code, webhook_url="")
    # The demo's organisations by the seed keys the labels use (the same full names).
    key_of_name = {e["name"]: e["key"] for e in seed_entries()}
    key_of = {o.pk: key_of_name.get(o.name, "") for o in Organisation.objects.all()}
    monitored = {k for k in key_of.values() if k}
    outlets = [
        Outlet.objects.get_or_create(domain=f"{slug}.example.vn", defaults={"name": name})[0] for slug, name in OUTLETS
    ]
    Outlet.objects.filter(pk__in=[o.pk for o in outlets]).update(tier=1)
    records = []
    skipped = 0
    for record in news_articles(10**6):
        entry = labels.get(str(record["id"]))
        if entry is None:
            continue
        if _title_sha1(record["title"]) != str(entry.get("title_sha1", "")):
            skipped += 1  # the article changed since it was labelled
            continue
        records.append(record)
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            [
                Article(
                    outlet=outlets[n % len(outlets)],
                    url=f"https://{outlets[n % len(outlets)].domain}/bai-viet/{r['id']}.html",
                    url_key=f"demoalerts{int(r['id']):022d}",
                    title=normalize(r["title"]),
                    lead=normalize(r.get("lead") or ""),
                    body=normalize(r["text"]),
                    content_hash=f"demo-alerts-{r['id']}",
                    signature=b"",
                )
                for n, r in enumerate(records)
            ]
        )
        search.index_many(articles)
    sample_of = {a.pk: str(r["id"]) for a, r in zip(articles, records, strict=True)}
    for start in range(0, len(articles), BATCH):
        articles_stored(article_ids=[a.pk for a in articles[start : start + BATCH]])
    scored = _scored(labels, sample_of, key_of, monitored)
    # The same rules taking every article they name or match (the demo before salience).
    AlertRule.objects.update(min_salience=MinSalience.PASSING)
    AlertRule.objects.filter(saved_query__isnull=False).update(every_match=True)
    Alert.objects.all().delete()
    for start in range(0, len(articles), BATCH):
        alerts_evaluate_articles(article_ids=[a.pk for a in articles[start : start + BATCH]])
    unfiltered = _scored(labels, sample_of, key_of, monitored)
    return {
        "labelled": len(labels),
        "stored": len(articles),
        "skipped": skipped,
        "entities": ArticleEntity.objects.count(),
        "alerts": scored,
        "unfiltered": unfiltered,
    }


def _scored(
    labels: dict[str, dict[str, Any]], sample_of: dict[int, str], key_of: dict[int, str], monitored: set[str]
) -> list[dict[str, Any]]:
    """Each alert raised, with the articles it rests on judged by the labels: (sample id,
    about the rule's organisation, about any monitored organisation)."""
    from loa.alerts.models import Alert

    rows = []
    for alert in Alert.objects.select_related("rule").order_by("pk"):
        keys = {key_of.get(alert.rule.organisation_id or 0, "")} if alert.rule.organisation_id else monitored
        # An article alert rests on its article; a spike or story alert on those its explanation lists.
        behind = [alert.article_id] if alert.article_id else [int(pk) for pk in alert.explanation.get("articles", [])]
        judged = [
            (sample_of[pk], _about(labels[sample_of[pk]], keys), _about(labels[sample_of[pk]], monitored))
            for pk in behind
            if pk in sample_of
        ]
        rows.append(
            {
                "rule": alert.rule.name,
                "kind": alert.rule.kind,
                "article": alert.article_id is not None,
                "judged": judged,
            }
        )
    return rows


def _share(pairs: list[bool]) -> float:
    return sum(pairs) / len(pairs) if pairs else float("nan")


def run(*, quick: bool) -> list[Row]:
    if not label_files():
        return [
            Row(
                "demo alerts",
                "alerts about their organisation",
                float("nan"),
                "share",
                "no bench/labels/entities_*.yaml",
            )
        ]
    with tempfile.TemporaryDirectory(prefix="loa-bench-demo-alerts-") as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LOA_VAR_DIR", "DATABASE_URL"))}
        env.update(LOA_VAR_DIR=var, DJANGO_SETTINGS_MODULE="bench.settings")
        root = Path(__file__).resolve().parent.parent
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
        child = subprocess.run(
            [sys.executable, "-m", "bench.demo_alerts"], env=env, cwd=root, capture_output=True, text=True, check=False
        )
    if child.returncode != 0:
        raise RuntimeError(f"bench.demo_alerts failed: {child.stderr[-3000:]}")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return rows_of(result)


def rows_of(result: dict[str, Any]) -> list[Row]:
    base = (
        f"{result['stored']} labelled articles stored ({result['skipped']} changed, skipped), "
        f"{result['entities']} organisation-in-article rows from analysis"
    )
    rows: list[Row] = []
    for split in ("test", "dev"):

        def wanted(sample: str, split: str = split) -> bool:
            return (int(sample) % 4 == 0) == (split == "dev")

        on_article = [
            about
            for alert in result["alerts"]
            if alert["article"]
            for sample, about, _any in alert["judged"]
            if wanted(sample)
        ]
        behind = [
            about
            for alert in result["alerts"]
            if not alert["article"]
            for sample, about, _any in alert["judged"]
            if wanted(sample)
        ]
        nobody = sum(
            1
            for alert in result["alerts"]
            for sample, _about, any_monitored in alert["judged"]
            if wanted(sample) and alert["article"] and not any_monitored
        )
        windows = sum(1 for alert in result["alerts"] if not alert["article"])
        unfiltered = [
            about
            for alert in result["unfiltered"]
            if alert["article"]
            for sample, about, _any in alert["judged"]
            if wanted(sample)
        ]
        detail = f"{split}: {len(on_article)} article alerts; {base}; target ≥ {TARGET}"
        rows.append(
            Row("demo alerts", f"alerts about their organisation ({split})", _share(on_article), "share", detail)
        )
        rows.append(
            Row(
                "demo alerts",
                f"alerts about their organisation, rules taking every article ({split})",
                _share(unfiltered),
                "share",
                f"{split}: {len(unfiltered)} article alerts; the same rules at salience 'passing' and every match",
            )
        )
        rows.append(
            Row(
                "demo alerts",
                f"alerts about no monitored organisation ({split})",
                float(nobody),
                "alerts",
                "article alerts whose article no demo organisation is main or secondary in (labels); target 0",
            )
        )
        rows.append(
            Row(
                "demo alerts",
                f"articles behind spike/story alerts about their organisation ({split})",
                _share(behind),
                "share",
                f"{windows} spike/story alerts in all, {len(behind)} of their articles in {split}",
            )
        )
    return rows


if __name__ == "__main__":
    print(json.dumps(_measure(), ensure_ascii=False))
