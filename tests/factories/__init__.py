"""Test data built through the services, so tests see the same rows the product writes.

One module per app (`tests.factories.<app>`); the names most tests use are re-exported here.
The factories of a unit's records take the unit and a label and name what they make after
it ('Báo cáo <label>'), so a test can find a record by what it shows.
"""

from __future__ import annotations

from tests.factories.accounts import make_user
from tests.factories.alerts import article_of, make_alert, make_rule
from tests.factories.analysis import coverage, make_organisation, make_saved_query, unit_of
from tests.factories.articles import make_article
from tests.factories.base import PASSWORD, START, next_number
from tests.factories.incidents import make_incident, make_playbook, make_spokesperson, make_statement
from tests.factories.sources import make_source
from tests.factories.units import Tree, make_tree, make_unit

__all__ = [
    "PASSWORD",
    "START",
    "Tree",
    "article_of",
    "coverage",
    "make_alert",
    "make_article",
    "make_incident",
    "make_organisation",
    "make_playbook",
    "make_rule",
    "make_saved_query",
    "make_source",
    "make_spokesperson",
    "make_statement",
    "make_tree",
    "make_unit",
    "make_user",
    "next_number",
    "unit_of",
]
