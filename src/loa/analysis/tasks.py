"""Analysis tasks (thin: ids in, services do the work)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="analysis")
def analyse_articles_task(article_ids: list[int]) -> int:
    from loa.analysis.services import articles_analyse_again

    return articles_analyse_again(article_ids=article_ids)


@task(queue_name="analysis")
def analysis_sweep_task() -> int:
    """Analyse stored articles that have no analysis yet, a batch at a time."""
    from loa.analysis.services import articles_analyse_again, articles_unanalysed

    ids = articles_unanalysed(limit=200)
    done = articles_analyse_again(article_ids=ids) if ids else 0
    if done and len(ids) == 200:
        analysis_sweep_task.enqueue()
    return done
