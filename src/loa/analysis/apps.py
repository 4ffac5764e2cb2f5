from collections.abc import Sequence
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.articles import hooks
from loa.scheduling import registry


class AnalysisConfig(AppConfig):
    name = "loa.analysis"
    label = "analysis"
    verbose_name = _("Analysis")

    def ready(self) -> None:
        # First after storing: every later step reads the mentions, tone and story. Analysis
        # commits article by article, so it runs outside the step's savepoint.
        hooks.register(STEP_ANALYSE, order=ORDER_ANALYSE, step=_analyse, atomic=False)
        # The tone of a post's comments, counted in memory when a social post is stored.
        hooks.register_comment_tones(_comment_tones)

        # Analyses stored articles that have none yet (a worker died between storing and
        # analysing, or analysis failed and was fixed since).
        registry.register(
            "analysis_sweep",
            task_path="loa.analysis.tasks.analysis_sweep_task",
            interval=timedelta(minutes=2),
        )
        # The periodic report's coverage section; reports takes sections only by registration.
        # Lazy: reports.sections imports units.models, which cannot load while apps.py is imported.
        from loa.analysis.report_sections import coverage_section
        from loa.reports import sections

        sections.register("coverage", order=10, provider=coverage_section)


def _comment_tones(texts: Sequence[str]) -> list[str]:
    # Lazy: the classifier loads scikit-learn and the models; only posts with comments need it.
    from loa.analysis.runtime import classifier
    from loa.text import normalize

    return [s.label for s in classifier().sentiment([normalize(t) for t in texts])]


# Here, not in services, so that starting Django does not import the classifier (scikit-learn).
STEP_ANALYSE = "analyse"
ORDER_ANALYSE = 100


def _analyse(article_ids: Sequence[int]) -> None:
    from loa.analysis.services import articles_analyse_stored

    articles_analyse_stored(article_ids)
