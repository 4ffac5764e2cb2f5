"""Raising alerts once per trigger, and delivering them exactly once per target.

Rules are evaluated right after new articles are analysed (negative coverage in a
prominent outlet, and the window rules for the organisations and queries those articles
touch) and every half minute for the window rules. An alert's identity is its rule and
trigger (the article, the story, the day or hour of a spike), enforced by a unique
constraint, so a rule evaluated twice — by two workers, or after a restart — raises it
once. Each message is a Delivery row of the alert and an outbox message (loa.outbox), queued
with the alert and sent after commit under a lease, so it is sent once too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts.models import User
from loa.alerts.explain import NAMED, decimal, explanation_text, title_terms
from loa.alerts.models import Alert, AlertRule, AlertStatus, Channel, Delivery, MinSalience, RuleKind
from loa.analysis.models import (
    ArticleAnalysis,
    ArticleEntity,
    Mention,
    Organisation,
    QueryMatch,
    Salience,
    SavedQuery,
    Sentiment,
    Story,
)
from loa.articles.models import Article, Engagement
from loa.outbox import models as outbox
from loa.outbox.services import Outgoing, message_queue, messages_send
from loa.sources.models import Channel as OutletChannel
from loa.units.models import Unit

logger = logging.getLogger(__name__)

# Outlets where a story can smoulder before the press: social pages, forums, video channels.
OFF_PRESS = (OutletChannel.SOCIAL, OutletChannel.FORUM, OutletChannel.VIDEO)
# A crossover's path: where it started off the press, the press outlet, where it spread after.
CROSSOVER_STAGES = 3
# A story crossing over to the press is looked for among stories active this recently.
CROSSOVER_LOOKBACK = dt.timedelta(days=7)
# Engagement growth is measured over at least this long: two observations a minute apart would
# turn a handful of reactions into thousands an hour.
MIN_VELOCITY_SPAN = dt.timedelta(minutes=10)
# How far back the sweep looks again at articles for the per-article rules.
RECHECK = dt.timedelta(minutes=30)
# The usual tone of a rule's articles: over this long before the window of an alert.
USUAL_TONE = dt.timedelta(days=14)
# The saliences a rule takes, by its minimum.
SALIENCES_FROM = {
    MinSalience.MAIN: (Salience.MAIN,),
    MinSalience.SECONDARY: (Salience.MAIN, Salience.SECONDARY),
    MinSalience.PASSING: (Salience.MAIN, Salience.SECONDARY, Salience.PASSING),
}


# --- rules -----------------------------------------------------------------------------


@transaction.atomic
def rule_save(
    *,
    rule: AlertRule | None = None,
    name: str,
    unit: Unit,
    kind: str,
    organisation: Organisation | None = None,
    saved_query: SavedQuery | None = None,
    **options: object,
) -> AlertRule:
    if (organisation is None) == (saved_query is None):
        raise ValidationError(_("A rule watches either an organisation or a saved query."))
    if organisation is not None and options.get("every_match"):
        raise ValidationError(_("Only a saved-query rule may take every matching article."))
    target = rule or AlertRule()
    target.name, target.unit, target.kind = name.strip(), unit, kind
    target.organisation, target.saved_query = organisation, saved_query
    for field, value in options.items():
        if not hasattr(target, field):
            raise ValidationError(_("Unknown rule setting: %(name)s") % {"name": field})
        setattr(target, field, value)
    for address in target.email_list() + target.escalation_list():
        if "@" not in address:
            raise ValidationError(_("Not an e-mail address: %(value)s") % {"value": address})
    target.full_clean()
    target.save()
    return target


def _rules(kind: str | None = None) -> QuerySet[AlertRule]:
    # A claim's return is raised by the claims register, which decides when a claim has come
    # back; the rule only carries its unit, recipients and severity.
    rules = (
        AlertRule.objects.filter(enabled=True)
        .exclude(kind=RuleKind.CLAIM_RETURN)
        .select_related("organisation", "saved_query", "unit")
    )
    return rules.filter(kind=kind) if kind else rules


def _relevant(rule: AlertRule) -> QuerySet[ArticleEntity]:
    """The organisations-in-articles a rule takes: its organisation, or (a saved-query rule)
    any followed organisation, at least as salient as the rule asks (main or secondary by
    default, so a ticker in a market list or a name in passing raises nothing)."""
    entities = ArticleEntity.objects.filter(salience__in=SALIENCES_FROM[MinSalience(rule.min_salience)])
    if rule.organisation_id:
        return entities.filter(organisation_id=rule.organisation_id)
    return entities.filter(organisation__enabled=True)


def _articles_of(rule: AlertRule) -> QuerySet[Article]:
    """The articles a rule watches: about its organisation, or matching its query and (unless
    the rule takes every match) about at least one followed organisation."""
    if rule.organisation_id:
        return Article.objects.filter(pk__in=_relevant(rule).values("article_id"))
    matched = Article.objects.filter(query_matches__query_id=rule.saved_query_id)
    if not rule.every_match:
        matched = matched.filter(pk__in=_relevant(rule).values("article_id"))
    return matched.distinct()


def _article_tones(ids: Iterable[int]) -> dict[int, str]:
    return dict(ArticleAnalysis.objects.filter(article_id__in=list(ids)).values_list("article_id", "sentiment"))


def _usual_negative_share(rule: AlertRule, before: dt.datetime) -> float | None:
    """The share of negative articles among the rule's articles over the two weeks before
    `before`: what an alert's tone is compared with (None without any)."""
    earlier = list(
        _articles_of(rule)
        .filter(created_at__gte=before - USUAL_TONE, created_at__lt=before)
        .values_list("pk", flat=True)
    )
    if not earlier:
        return None
    tones = _article_tones(earlier)
    return sum(1 for pk in earlier if tones.get(pk) == Sentiment.NEGATIVE) / len(earlier)


def _explain_articles(
    rule: AlertRule,
    ids: Sequence[int],
    *,
    hours: int,
    mean: float | None = None,
    usual_negative: float | None = None,
) -> dict[str, object]:
    """What a window alert rests on: its articles, their stories, outlets, the terms their
    titles share, their monitored organisations, and their tone against the usual."""
    articles = list(
        Article.objects.filter(pk__in=ids).select_related("outlet", "analysis__story").order_by("created_at", "pk")
    )
    tones = _article_tones(a.pk for a in articles)
    stories: Counter[int] = Counter()
    story_titles: dict[int, str] = {}
    outlets: Counter[str] = Counter()
    for article in articles:
        outlets[article.outlet.name] += 1
        story = getattr(getattr(article, "analysis", None), "story", None)
        if story is not None:
            stories[story.pk] += 1
            story_titles[story.pk] = story.title
    organisations: Counter[str] = Counter()
    relevant = _relevant(rule).filter(article_id__in=[a.pk for a in articles]).select_related("organisation")
    for entity in relevant:
        organisations[str(entity.organisation)] += 1
    negative = sum(1 for a in articles if tones.get(a.pk) == Sentiment.NEGATIVE)
    return {
        "kind": "window",
        "count": len(articles),
        "hours": hours,
        "mean": round(mean, 2) if mean is not None else None,
        "organisations": [{"name": n, "articles": c} for n, c in organisations.most_common()]
        if not rule.organisation_id
        else [],
        "story_count": len(stories),
        "stories": [{"id": pk, "title": story_titles[pk], "articles": c} for pk, c in stories.most_common(NAMED)],
        "outlet_count": len(outlets),
        "outlets": [{"name": n, "articles": c} for n, c in outlets.most_common(NAMED)],
        "terms": title_terms(a.title for a in articles),
        "negative_share": round(negative / len(articles), 3) if articles else None,
        "usual_negative_share": round(usual_negative, 3) if usual_negative is not None else None,
        "articles": [a.pk for a in articles][:200],
    }


def _explain_article(rule: AlertRule, article: Article) -> dict[str, object]:
    """What an article alert rests on: how much the article is about each monitored
    organisation the rule takes, and its tone toward each."""
    entities = _relevant(rule).filter(article=article).select_related("organisation")
    return {
        "kind": "article",
        "count": 1,
        "organisations": [
            {
                "name": str(e.organisation),
                "salience": e.salience,
                "salience_label": str(e.get_salience_display()),
                "tone": e.tone,
                "tone_label": str(e.get_tone_display()),
            }
            for e in entities
        ],
        "articles": [article.pk],
    }


# --- raising ----------------------------------------------------------------------------


def alert_raise(
    *,
    rule: AlertRule,
    trigger_key: str,
    title: str,
    summary: str,
    article: Article | None = None,
    story: Story | None = None,
    data: dict[str, object] | None = None,
    explanation: dict[str, object] | None = None,
    now: dt.datetime | None = None,
) -> Alert | None:
    """Raise the alert of this trigger unless it was raised before; queue its messages."""
    now = now or timezone.now()
    window = now - dt.timedelta(minutes=rule.suppression_minutes)
    suppressed = (
        rule.suppression_minutes > 0
        and Alert.objects.filter(rule=rule, suppressed=False, created_at__gte=window).exists()
    )
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule,
                trigger_key=trigger_key[:120],
                title=title[:500],
                summary=summary,
                severity=rule.severity,
                suppressed=suppressed,
                article=article,
                story=story,
                data=data or {},
                explanation=explanation or {},
            )
            if not suppressed:
                _queue_deliveries(alert, rule)
    except IntegrityError:
        return None  # raised already: once per trigger
    logger.info("alert %s raised: %s%s", alert.pk, alert.title, " (suppressed)" if suppressed else "")
    return alert


def _queue_deliveries(alert: Alert, rule: AlertRule, *, escalation: bool = False) -> int:
    """The alert's messages, into the outbox (sent after commit) and onto the alert's page."""
    if escalation:
        targets = [(Channel.ESCALATION, address) for address in rule.escalation_list()]
    else:
        targets = [(Channel.EMAIL, address) for address in rule.email_list()]
        if rule.webhook_url:
            targets.append((Channel.WEBHOOK, rule.webhook_url))
    for channel, target in dict.fromkeys(targets):
        message = message_queue(_outgoing(alert, rule, channel, target))
        Delivery.objects.get_or_create(alert=alert, channel=channel, target=target, defaults={"message": message})
    return len(targets)


def _tier(article: Article) -> int:
    return int(article.outlet.tier)


def _evaluate_negative_prominent(rule: AlertRule, articles: Sequence[Article]) -> list[Alert]:
    raised: list[Alert] = []
    ids = [a.pk for a in articles if _tier(a) <= rule.max_tier]
    if not ids:
        return raised
    watched = set(_articles_of(rule).filter(pk__in=ids).values_list("pk", flat=True))
    if rule.organisation_id:
        prominent = Mention.objects.filter(
            article_id__in=watched, organisation_id=rule.organisation_id, prominence__gte=rule.min_prominence
        )
        watched &= set(prominent.values_list("article_id", flat=True))
        # The tone toward the organisation, not the article's: a negative article in which
        # the organisation helps is no alert about it.
        toward = dict(
            ArticleEntity.objects.filter(article_id__in=watched, organisation_id=rule.organisation_id).values_list(
                "article_id", "tone"
            )
        )
        hits = [pk for pk in watched if toward.get(pk) == Sentiment.NEGATIVE]
    else:
        tones = _article_tones(watched)
        hits = [pk for pk in watched if tones.get(pk) == Sentiment.NEGATIVE]
    by_id = {a.pk: a for a in articles}
    keys = {f"article:{pk}" for pk in hits}
    seen = set(Alert.objects.filter(rule=rule, trigger_key__in=keys).values_list("trigger_key", flat=True))
    for pk in sorted(hits):
        if f"article:{pk}" in seen:
            continue
        article = by_id[pk]
        alert = alert_raise(
            rule=rule,
            trigger_key=f"article:{pk}",
            title=_("Negative coverage in %(outlet)s: %(title)s")
            % {"outlet": article.outlet.name, "title": article.title},
            summary=article.lead or article.body[:400],
            article=article,
            story=getattr(getattr(article, "analysis", None), "story", None),
            data={"outlet": article.outlet.name, "tier": _tier(article), "url": article.url},
            explanation=_explain_article(rule, article),
        )
        if alert:
            raised.append(alert)
    return raised


def _counts(rule: AlertRule, start: dt.datetime, step: dt.timedelta, buckets: int) -> tuple[list[int], list[int]]:
    """Articles of the rule in `buckets` consecutive windows of `step` from `start`, and the
    ids of those in the last window."""
    articles = _articles_of(rule).filter(created_at__gte=start, created_at__lt=start + step * buckets)
    counts = [0] * buckets
    last: list[int] = []
    for pk, created in articles.values_list("pk", "created_at"):
        index = int((created - start) / step)
        if 0 <= index < buckets:
            counts[index] += 1
            if index == buckets - 1:
                last.append(pk)
    return counts, last


def _evaluate_volume(rule: AlertRule, now: dt.datetime) -> list[Alert]:
    step = dt.timedelta(days=1) if rule.window == "day" else dt.timedelta(hours=1)
    history = 14 if rule.window == "day" else 12
    counts, current_ids = _counts(rule, now - step * (history + 1), step, history + 1)
    baseline, current = counts[:-1], counts[-1]
    mean = statistics.fmean(baseline)
    spread = statistics.pstdev(baseline)
    threshold = mean + rule.sigma * spread
    if current < rule.min_count or current <= threshold:
        return []
    local = timezone.localtime(now)
    bucket = f"{local:%Y-%m-%d}" if rule.window == "day" else f"{local:%Y-%m-%dT%H}"
    target = rule.organisation or rule.saved_query
    explanation = _explain_articles(
        rule,
        current_ids,
        hours=24 if rule.window == "day" else 1,
        mean=mean,
        usual_negative=_usual_negative_share(rule, now - step),
    )
    alert = alert_raise(
        rule=rule,
        trigger_key=f"spike:{rule.window}:{bucket}",
        title=_("Coverage spike for %(target)s: %(count)s articles in the last %(window)s")
        % {"target": target, "count": current, "window": _("day") if rule.window == "day" else _("hour")},
        # Decimal comma, as every figure shown to staff.
        summary=_("Usual level %(mean)s ± %(spread)s; threshold %(threshold)s.")
        % {"mean": decimal(mean), "spread": decimal(spread), "threshold": decimal(threshold)},
        data={
            "current": current,
            "mean": round(mean, 2),
            "std": round(spread, 2),
            "threshold": round(threshold, 2),
            "baseline": baseline,
        },
        explanation=explanation,
        now=now,
    )
    return [alert] if alert else []


def _evaluate_story(rule: AlertRule, now: dt.datetime) -> list[Alert]:
    """Stories with enough of the rule's articles in the window, enough of them negative.
    Only the rule's articles count: a story's articles about nobody the bloc follows do not
    make it the organisation's story."""
    since = now - dt.timedelta(hours=rule.story_hours)
    rows = _articles_of(rule).filter(created_at__gte=since, analysis__story__isnull=False)
    by_story: dict[int, list[int]] = defaultdict(list)
    for pk, story_id in rows.values_list("pk", "analysis__story_id"):
        by_story[story_id].append(pk)
    candidates = {pk: ids for pk, ids in by_story.items() if len(ids) >= rule.story_min_articles}
    if not candidates:
        return []
    tones = _article_tones(pk for ids in candidates.values() for pk in ids)
    usual: float | None = None
    raised = []
    for story in Story.objects.filter(pk__in=list(candidates)).order_by("pk"):
        ids = candidates[story.pk]
        share = sum(1 for pk in ids if tones.get(pk) == Sentiment.NEGATIVE) / len(ids)
        if share < rule.story_negative_share:
            continue
        if Alert.objects.filter(rule=rule, trigger_key=f"story:{story.pk}").exists():
            continue
        if usual is None:
            usual = _usual_negative_share(rule, since)
        outlets = len(set(Article.objects.filter(pk__in=ids).values_list("outlet_id", flat=True)))
        alert = alert_raise(
            rule=rule,
            trigger_key=f"story:{story.pk}",
            title=_("Negative story spreading: %(title)s") % {"title": story.title},
            summary=_("%(recent)s articles in %(hours)s hours, %(share)s%% negative, %(outlets)s outlets.")
            % {"recent": len(ids), "hours": rule.story_hours, "share": round(100 * share), "outlets": outlets},
            story=story,
            data={"recent": len(ids), "negative_share": round(share, 3)},
            explanation=_explain_articles(rule, ids, hours=rule.story_hours, usual_negative=usual),
            now=now,
        )
        if alert:
            raised.append(alert)
    return raised


def _when(article: Article) -> dt.datetime:
    return article.published_at or article.created_at


def _stage(article: Article) -> dict[str, object]:
    return {
        "article": article.pk,
        "title": article.title[:200],
        "outlet": article.outlet.name,
        "channel": article.outlet.channel,
        "channel_label": str(article.outlet.get_channel_display()),
        "tier": article.outlet.tier,
        "at": _when(article).isoformat(),
    }


def _crossover_path(articles: Sequence[Article], max_tier: int) -> list[Article] | None:
    """The story's path from social networks to the press, oldest first: where it first appeared
    (off the press), the first prominent press outlet that took it, and where it spread off the
    press after that, if it has yet; None unless the story started off the press and reached it."""
    if not articles or articles[0].outlet.channel not in OFF_PRESS:
        return None
    press = next(
        (a for a in articles if a.outlet.channel == OutletChannel.PRESS and a.outlet.tier <= max_tier),
        None,
    )
    if press is None:
        return None
    after = next((a for a in articles if _when(a) > _when(press) and a.outlet.channel in OFF_PRESS), None)
    return [articles[0], press, *([after] if after else [])]


def _evaluate_crossover(rule: AlertRule, now: dt.datetime, story_ids: Iterable[int] | None = None) -> list[Alert]:
    """Stories of the rule's articles first seen on social networks, forums or video that have
    reached a prominent press outlet: one alert per story, with the path and its times."""
    rows = _articles_of(rule).filter(analysis__story__isnull=False, created_at__gte=now - CROSSOVER_LOOKBACK)
    if story_ids is not None:
        rows = rows.filter(analysis__story_id__in=list(story_ids))
    raised = []
    for story_id in sorted(set(rows.values_list("analysis__story_id", flat=True))):
        key = f"crossover:{story_id}"
        raised_before = Alert.objects.filter(rule=rule, trigger_key=key).first()
        if raised_before is not None and len(raised_before.data.get("path", [])) >= CROSSOVER_STAGES:
            continue
        articles = sorted(
            Article.objects.filter(analysis__story_id=story_id).select_related("outlet"),
            key=lambda a: (_when(a), a.pk),
        )
        path = _crossover_path(articles, rule.max_tier)
        if path is None:
            continue
        if raised_before is not None:
            # Raised once; the path grows when the story spreads off the press after it.
            if len(path) > len(raised_before.data.get("path", [])):
                raised_before.data = {**raised_before.data, "path": [_stage(a) for a in path]}
                raised_before.save(update_fields=["data"])
            continue
        story = Story.objects.get(pk=story_id)
        first, press = path[0], path[1]
        alert = alert_raise(
            rule=rule,
            trigger_key=key,
            title=_("From social networks to the press: %(title)s") % {"title": story.title},
            summary=_("First seen on %(first)s (%(first_channel)s) at %(first_at)s; in %(press)s at %(press_at)s.")
            % {
                "first": first.outlet.name,
                "first_channel": first.outlet.get_channel_display(),
                "first_at": f"{timezone.localtime(_when(first)):%H:%M %d/%m/%Y}",
                "press": press.outlet.name,
                "press_at": f"{timezone.localtime(_when(press)):%H:%M %d/%m/%Y}",
            },
            article=press,
            story=story,
            data={"path": [_stage(a) for a in path]},
            explanation=_explain_articles(
                rule, [a.pk for a in articles], hours=max(1, int((now - _when(first)).total_seconds() // 3600))
            ),
            now=now,
        )
        if alert:
            raised.append(alert)
    return raised


def _evaluate_engagement(rule: AlertRule, now: dt.datetime) -> list[Alert]:
    """The rule's social posts whose reactions, comments and shares together grew at least
    `min_interactions_per_hour` between their last two observations (in the last day)."""
    watched = (
        _articles_of(rule)
        .filter(outlet__channel__in=OFF_PRESS, engagement__observed_at__gte=now - dt.timedelta(days=1))
        .exclude(pk__in=Alert.objects.filter(rule=rule, trigger_key__startswith="engagement:").values("article_id"))
        .select_related("outlet")
        .distinct()
    )
    raised = []
    for article in watched[:500]:
        snapshots = list(Engagement.objects.filter(article=article).order_by("-observed_at")[:2])
        if len(snapshots) < 2:
            continue
        latest, previous = snapshots
        span = max(latest.observed_at - previous.observed_at, MIN_VELOCITY_SPAN)
        rate = (latest.interactions - previous.interactions) / (span.total_seconds() / 3600)
        if rate < rule.min_interactions_per_hour:
            continue
        alert = alert_raise(
            rule=rule,
            trigger_key=f"engagement:{article.pk}",
            title=_("Engagement growing fast: %(title)s") % {"title": article.title},
            summary=_("%(outlet)s: %(added)s interactions in %(minutes)s minutes (%(rate)s an hour); %(total)s in all.")
            % {
                "outlet": article.outlet.name,
                "added": latest.interactions - previous.interactions,
                "minutes": round((latest.observed_at - previous.observed_at).total_seconds() / 60),
                "rate": round(rate),
                "total": latest.interactions,
            },
            article=article,
            data={
                "interactions": latest.interactions,
                "previous": previous.interactions,
                "per_hour": round(rate, 1),
                "observed_at": latest.observed_at.isoformat(),
            },
            explanation=_explain_article(rule, article),
            now=now,
        )
        if alert:
            raised.append(alert)
    return raised


def _evaluate_window(rule: AlertRule, now: dt.datetime) -> list[Alert]:
    if rule.kind == RuleKind.VOLUME_SPIKE:
        return _evaluate_volume(rule, now)
    if rule.kind == RuleKind.CROSSOVER:
        return _evaluate_crossover(rule, now)
    if rule.kind == RuleKind.ENGAGEMENT_VELOCITY:
        return _evaluate_engagement(rule, now)
    return _evaluate_story(rule, now)


def alerts_evaluate_articles(*, article_ids: Iterable[int]) -> list[Alert]:
    """Right after analysis (an after-store step, registered in `apps.py`): per-article rules,
    and window rules of what these articles touch. What fails is looked at again by the sweep."""
    articles = list(Article.objects.filter(pk__in=list(article_ids)).select_related("outlet", "analysis__story"))
    if not articles:
        return []
    ids = [a.pk for a in articles]
    organisations = set(Mention.objects.filter(article_id__in=ids).values_list("organisation_id", flat=True))
    organisations |= set(ArticleEntity.objects.filter(article_id__in=ids).values_list("organisation_id", flat=True))
    queries = set(QueryMatch.objects.filter(article_id__in=ids).values_list("query_id", flat=True))
    rules = _rules().filter(Q(organisation_id__in=organisations) | Q(saved_query_id__in=queries))
    raised: list[Alert] = []
    now = timezone.now()
    for rule in rules:
        if rule.kind == RuleKind.NEGATIVE_PROMINENT:
            raised += _evaluate_negative_prominent(rule, articles)
        elif rule.kind == RuleKind.CROSSOVER:
            stories = {a.analysis.story_id for a in articles if hasattr(a, "analysis") and a.analysis.story_id}
            raised += _evaluate_crossover(rule, now, stories)
        else:
            raised += _evaluate_window(rule, now)
    return raised


def alerts_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic: window rules, per-article rules on recent articles, retries, escalations."""
    now = now or timezone.now()
    raised = 0
    for rule in _rules().exclude(kind=RuleKind.NEGATIVE_PROMINENT):
        raised += len(_evaluate_window(rule, now))
    # A worker that died between analysing an article and raising its alert leaves the
    # alert unraised; looking again at recent articles catches it (raising is idempotent).
    recent = list(
        Article.objects.filter(created_at__gte=now - RECHECK, analysis__isnull=False).select_related(
            "outlet", "analysis__story"
        )
    )
    if recent:
        for rule in _rules(RuleKind.NEGATIVE_PROMINENT):
            raised += len(_evaluate_negative_prominent(rule, recent))
    escalated = alerts_escalate(now=now)
    sent = deliveries_send(now=now)
    return {"raised": raised, "escalated": escalated, "sent": sent}


# --- acknowledging and escalating -----------------------------------------------------------


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user: User | None) -> Alert:
    if alert.status == AlertStatus.OPEN:
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, timezone.now(), user
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return alert


def alerts_escalate(*, now: dt.datetime | None = None) -> int:
    """Open alerts nobody acknowledged in time go to the rule's escalation recipients, once."""
    now = now or timezone.now()
    count = 0
    due = Alert.objects.filter(
        status=AlertStatus.OPEN, suppressed=False, escalated_at__isnull=True, rule__escalate_after_minutes__gt=0
    ).select_related("rule")
    for alert in due:
        if alert.created_at + dt.timedelta(minutes=alert.rule.escalate_after_minutes) > now:
            continue
        with transaction.atomic():
            if not Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            _queue_deliveries(alert, alert.rule, escalation=True)
        count += 1
    return count


# --- delivering -----------------------------------------------------------------------------


def alert_url(alert: Alert) -> str:
    return settings.LOA_SITE_URL.rstrip("/") + reverse("alerts:detail", args=[alert.pk])


def _payload(alert: Alert) -> dict[str, object]:
    article = alert.article
    return {
        "alert": alert.pk,
        "rule": alert.rule.name,
        "kind": alert.rule.kind,
        "severity": alert.severity,
        "title": alert.title,
        "summary": alert.summary,
        "url": alert_url(alert),
        "raised_at": alert.created_at.isoformat(),
        "article": {"id": article.pk, "title": article.title, "url": article.url, "outlet": article.outlet.name}
        if article
        else None,
        "story": {"id": alert.story_id, "title": alert.story.title} if alert.story else None,
        "data": alert.data,
        "explanation": alert.explanation,
        "explanation_text": explanation_text(alert.explanation),
    }


def _mail_text(alert: Alert, rule: AlertRule, *, escalation: bool) -> tuple[str, str]:
    prefix = _("[Loa] Escalation") if escalation else "[Loa]"
    subject = " ".join(f"{prefix} {alert.get_severity_display()}: {alert.title}".split())[:250]
    lines = [alert.title, "", alert.summary]
    why = explanation_text(alert.explanation)
    if why:
        lines += ["", _("Why: %(explanation)s") % {"explanation": why}]
    lines += ["", _("Rule: %(rule)s") % {"rule": rule.name}]
    if alert.article:
        lines += [_("Article: %(url)s") % {"url": alert.article.url}]
    lines += ["", _("Open in Loa: %(url)s") % {"url": alert_url(alert)}]
    if escalation:
        lines.insert(0, _("Not acknowledged in time; escalated to you.") + "\n")
    return subject, "\n".join(lines)


def _outgoing(alert: Alert, rule: AlertRule, channel: str, target: str) -> Outgoing:
    digest = hashlib.sha256(target.encode()).hexdigest()[:32]
    key = f"alert:{alert.pk}:{channel}:{digest}"
    kind = "alert_escalation" if channel == Channel.ESCALATION else "alert"
    link = reverse("alerts:detail", args=[alert.pk])
    if channel == Channel.WEBHOOK:
        return Outgoing(
            key=key,
            kind=kind,
            unit=rule.unit,
            link=link,
            channel=outbox.Channel.WEBHOOK,
            recipients=[target],
            subject=alert.title,
            text=json.dumps(_payload(alert), ensure_ascii=False),
            headers={"X-Loa-Alert": str(alert.pk)},
        )
    subject, text = _mail_text(alert, rule, escalation=channel == Channel.ESCALATION)
    return Outgoing(
        key=key,
        kind=kind,
        unit=rule.unit,
        link=link,
        channel=outbox.Channel.EMAIL,
        recipients=[target],
        subject=subject,
        text=text,
    )


def deliveries_send(*, alert_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Send the alerts' messages that are due (of one alert, or all), through the outbox."""
    deliveries = Delivery.objects.all() if alert_id is None else Delivery.objects.filter(alert_id=alert_id)
    return messages_send(ids=deliveries.values_list("message_id", flat=True), now=now)
