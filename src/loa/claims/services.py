"""Writes of the claims register: claims and their examples, matching new coverage, staff
decisions on matches (which teach the matcher), dormancy and the alert of a claim's return."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, acting_user, require
from loa.alerts.models import AlertRule, RuleKind, Severity
from loa.alerts.services import alert_raise, rule_save
from loa.analysis.models import Organisation, SavedQuery
from loa.analysis.services import saved_query_save
from loa.articles.models import Article
from loa.claims.models import Claim, ClaimExample, ClaimMatch, ClaimStatus, MatchStatus, MatchVia
from loa.pipeline import claims as matching
from loa.pipeline.classify import VECTORS_FILE
from loa.pipeline.vectors import WordVectors
from loa.units.models import Unit

logger = logging.getLogger(__name__)

SHIPPED_VECTORS = Path(__file__).resolve().parents[1] / "analysis" / "models_store" / VECTORS_FILE
_VECTORS: dict[Path, tuple[float, WordVectors]] = {}


def _weights() -> matching.Weights:
    """The project's word vectors, read once per process (and again when the file changes);
    without them the matcher compares exact words only."""
    beside = Path(settings.LOA_MODEL_PATH).with_name(VECTORS_FILE)
    path = beside if beside.is_file() else SHIPPED_VECTORS
    if not path.is_file():
        return matching.Weights(None)
    stamp = path.stat().st_mtime
    cached = _VECTORS.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, WordVectors.load(path))
        _VECTORS[path] = cached
    return matching.Weights(cached[1])


_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


def split_examples(text: str) -> list[str]:
    """Example texts typed one block per example, blocks separated by blank lines (browsers send
    a textarea's lines ended by CRLF, and a "blank" line may hold spaces)."""
    blocks = [" ".join(line.strip() for line in block.splitlines()).strip() for block in _BLANK_LINE.split(text)]
    return [b for b in blocks if b]


@dataclass(frozen=True)
class ClaimInput:
    """What the register form gives: a claim, its match rule (an existing saved query, or a
    query typed for a new one) and, when created, its first examples."""

    unit: Unit
    title: str
    statement: str
    why_false: str
    organisations: Sequence[Organisation] = ()
    saved_query: SavedQuery | None = None
    query: str = ""
    status: str = ClaimStatus.WATCHING
    first_seen_at: dt.datetime | None = None
    dormant_after_days: int = 30
    examples: Sequence[str] = ()


@transaction.atomic
def claim_save(*, user: Actor, data: ClaimInput, claim: Claim | None = None) -> Claim:
    require(user, roles.WRITE, data.unit)
    if claim is not None:
        require(user, roles.WRITE, claim.unit)
    if not data.title.strip() or not data.statement.strip():
        raise ValidationError(_("A claim needs a short name and what it says."))
    if data.status not in ClaimStatus.values:
        raise ValidationError(_("Unknown status."))
    saved = data.saved_query
    if data.query.strip():
        saved = saved_query_save(
            saved=_own_query(claim, data.unit),
            name=data.title,
            query=data.query,
            unit=data.unit,
            user=acting_user(user),
        )
    if saved is None:
        raise ValidationError(_("Choose a saved query as the match rule, or type a query."))
    target = claim or Claim(created_by=acting_user(user))
    target.unit = data.unit
    target.title = data.title.strip()[:200]
    target.statement = data.statement.strip()
    target.why_false = data.why_false.strip()
    target.saved_query = saved
    target.status = data.status
    target.first_seen_at = data.first_seen_at
    target.dormant_after_days = data.dormant_after_days
    target.full_clean()
    target.save()
    target.organisations.set(list(data.organisations))
    for text in data.examples:
        claim_example_add(user=user, claim=target, text=text)
    _return_rule(target, saved)
    return target


def _own_query(claim: Claim | None, unit: Unit) -> SavedQuery | None:
    """The saved query typed for this claim before (named after it, of its unit, the rule of no
    other claim): a query typed again on edit rewrites it rather than leaving it behind with
    its return rule."""
    if claim is None or claim.saved_query is None:
        return None
    query = claim.saved_query
    if query.name != claim.title or query.unit_id != unit.pk or query.claims.exclude(pk=claim.pk).exists():
        return None
    return query


def _return_rule(claim: Claim, saved: SavedQuery) -> AlertRule:
    """The alert rule of a dormant claim's return, for the claim's query and unit: made once."""
    existing = AlertRule.objects.filter(kind=RuleKind.CLAIM_RETURN, saved_query=saved, unit=claim.unit).first()
    if existing is not None:
        return existing
    return rule_save(
        name=_("Return of a false claim: %(query)s") % {"query": saved.name},
        unit=claim.unit,
        kind=RuleKind.CLAIM_RETURN,
        saved_query=saved,
        every_match=True,
        severity=Severity.HIGH,
    )


def claim_example_add(
    *, user: Actor, claim: Claim, text: str, positive: bool = True, article: Article | None = None
) -> ClaimExample:
    require(user, roles.WRITE, claim.unit)
    cleaned = matching.passage_of(text)
    if not cleaned:
        raise ValidationError(_("An example needs a text."))
    return ClaimExample.objects.create(
        claim=claim, text=cleaned, positive=positive, article=article, created_by=acting_user(user)
    )


# --- matching --------------------------------------------------------------------------------


def _matcher(claim: Claim, weights: matching.Weights) -> matching.Matcher:
    examples = [matching.Example(e.text, e.positive) for e in claim.examples.all()]
    query = claim.saved_query.query if claim.saved_query is not None else ""
    return matching.Matcher(weights=weights, examples=examples, query=query)


def _when(article: Article) -> dt.datetime:
    return article.published_at or article.created_at


def claims_match_stored(*, article_ids: Sequence[int], now: dt.datetime | None = None) -> int:
    """An after-store step: propose every new article that repeats a claim, by its rule or by
    similarity. Every claim is matched (watching, answered or dormant: a dormant one returns);
    claims and examples are read once per batch. Returns how many matches were made."""
    now = now or timezone.now()
    articles = list(Article.objects.filter(pk__in=list(article_ids)).only("id", "title", "lead", "body"))
    if not articles:
        return 0
    claims = list(Claim.objects.select_related("saved_query", "unit").prefetch_related("examples"))
    if not claims:
        return 0
    weights = _weights()
    matchers = [(claim, _matcher(claim, weights)) for claim in claims]
    known = set(
        ClaimMatch.objects.filter(article_id__in=[a.pk for a in articles]).values_list("claim_id", "article_id")
    )
    made = 0
    for article in articles:
        # Cut and prepared once, compared with every claim.
        prepared = weights.article(article.title, article.lead, article.body)
        for claim, matcher in matchers:
            if (claim.pk, article.pk) in known:
                continue
            found = matcher.match(article.title, article.lead, article.body, prepared=prepared)
            if not found.matched:
                continue
            via = (
                MatchVia.BOTH if found.rule and found.similar else MatchVia.RULE if found.rule else MatchVia.SIMILARITY
            )
            # Two workers may store the same article's batch: the pair is proposed once.
            _match, created = ClaimMatch.objects.get_or_create(
                claim=claim, article=article, defaults={"via": via, "score": found.score}
            )
            if not created:
                continue
            made += 1
            if claim.status == ClaimStatus.DORMANT:
                _returned(claim, article, now=now)
    return made


def _returned(claim: Claim, article: Article, *, now: dt.datetime) -> None:
    """A dormant claim is proposed again: the alert is raised on the proposal, not on a
    confirmation, since a returning claim spreads within hours and staff may take a day to
    check; a wrong proposal costs one alert, which the trigger key keeps to one per return."""
    claim.status = ClaimStatus.WATCHING
    claim.save(update_fields=["status", "updated_at"])
    rule = AlertRule.objects.filter(
        kind=RuleKind.CLAIM_RETURN, saved_query_id=claim.saved_query_id, unit_id=claim.unit_id, enabled=True
    ).first()
    if rule is None:
        return
    alert_raise(
        rule=rule,
        trigger_key=f"claim-return:{claim.pk}:{article.pk}",
        title=_("A dormant false claim returns: %(claim)s") % {"claim": claim.title},
        summary=article.title,
        article=article,
        data={"claim": claim.pk},
        now=now,
    )


@transaction.atomic
def claim_match_decide(*, user: Actor, match: ClaimMatch, confirm: bool, now: dt.datetime | None = None) -> ClaimMatch:
    """Confirm or reject a proposed match. The passage that matched becomes an example, positive
    or negative, so the next articles are judged with it; a confirmation is coverage seen."""
    claim = match.claim
    require(user, roles.WRITE, claim.unit)
    now = now or timezone.now()
    match.status = MatchStatus.CONFIRMED if confirm else MatchStatus.REJECTED
    match.decided_by, match.decided_at = acting_user(user), now
    match.save(update_fields=["status", "decided_by", "decided_at"])
    article = match.article
    # A decision changed (confirmed, then rejected, or the reverse): what the article taught the
    # matcher before is withdrawn, so it does not argue both ways.
    claim.examples.filter(article=article, positive=not confirm).delete()
    passage = _matcher(claim, _weights()).best(article.title, article.lead, article.body).text
    passage = passage or article.title
    if passage and not claim.examples.filter(text=matching.passage_of(passage), positive=confirm).exists():
        claim_example_add(user=user, claim=claim, text=passage, positive=confirm, article=article)
    if confirm:
        seen = _when(article)
        fields = ["updated_at"]
        if claim.first_seen_at is None or seen < claim.first_seen_at:
            claim.first_seen_at = seen
            fields.append("first_seen_at")
        if claim.last_seen_at is None or seen > claim.last_seen_at:
            claim.last_seen_at = seen
            fields.append("last_seen_at")
        if claim.status == ClaimStatus.DORMANT:
            claim.status = ClaimStatus.WATCHING
            fields.append("status")
        claim.save(update_fields=fields)
    return match


def claim_match_add(*, user: Actor, claim: Claim, article: Article) -> ClaimMatch:
    """Staff add an article the matcher missed: confirmed at once."""
    require(user, roles.WRITE, claim.unit)
    match, _created = ClaimMatch.objects.get_or_create(claim=claim, article=article, defaults={"via": MatchVia.STAFF})
    return claim_match_decide(user=user, match=match, confirm=True)


# --- dormancy ----------------------------------------------------------------------------------


def claims_mark_dormant(*, now: dt.datetime | None = None) -> int:
    """Periodic: a claim with no confirmed coverage for its `dormant_after_days` (counted from
    its registration when it was never seen) becomes dormant. Returns how many."""
    now = now or timezone.now()
    changed = 0
    active = Claim.objects.filter(Q(status=ClaimStatus.WATCHING) | Q(status=ClaimStatus.ANSWERED))
    for claim in active.only("id", "status", "last_seen_at", "created_at", "dormant_after_days"):
        seen = claim.last_seen_at or claim.created_at
        if seen <= now - dt.timedelta(days=claim.dormant_after_days):
            claim.status = ClaimStatus.DORMANT
            claim.save(update_fields=["status", "updated_at"])
            changed += 1
    return changed
