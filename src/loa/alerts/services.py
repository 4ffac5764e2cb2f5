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
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts.models import User
from loa.alerts.models import Alert, AlertRule, AlertStatus, Channel, Delivery, RuleKind
from loa.analysis.models import ArticleAnalysis, Mention, Organisation, QueryMatch, SavedQuery, Story
from loa.articles.models import Article
from loa.outbox import models as outbox
from loa.outbox.services import Outgoing, message_queue, messages_send
from loa.units.models import Unit

logger = logging.getLogger(__name__)

# How far back the sweep looks again at articles for the per-article rules.
RECHECK = dt.timedelta(minutes=30)


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
    rules = AlertRule.objects.filter(enabled=True).select_related("organisation", "saved_query", "unit")
    return rules.filter(kind=kind) if kind else rules


def _articles_of(rule: AlertRule) -> QuerySet[Article]:
    """The articles a rule watches: mentioning its organisation, or matching its query."""
    if rule.organisation_id:
        return Article.objects.filter(mentions__organisation_id=rule.organisation_id).distinct()
    return Article.objects.filter(query_matches__query_id=rule.saved_query_id).distinct()


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
    tones = dict(ArticleAnalysis.objects.filter(article_id__in=ids).values_list("article_id", "sentiment"))
    if rule.organisation_id:
        mentions = Mention.objects.filter(
            article_id__in=ids, organisation_id=rule.organisation_id, prominence__gte=rule.min_prominence
        )
        candidates: dict[int, bool] = {}
        for article_id, tone in mentions.values_list("article_id", "sentiment"):
            candidates[article_id] = (
                candidates.get(article_id, False) or tone == "negative" or tones.get(article_id) == "negative"
            )
        hits = [pk for pk, negative in candidates.items() if negative]
    else:
        matched = set(
            QueryMatch.objects.filter(article_id__in=ids, query_id=rule.saved_query_id).values_list(
                "article_id", flat=True
            )
        )
        hits = [pk for pk in matched if tones.get(pk) == "negative"]
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
        )
        if alert:
            raised.append(alert)
    return raised


def _counts(rule: AlertRule, start: dt.datetime, step: dt.timedelta, buckets: int) -> list[int]:
    """Articles of the rule in `buckets` consecutive windows of `step` from `start`."""
    articles = _articles_of(rule).filter(created_at__gte=start, created_at__lt=start + step * buckets)
    counts = [0] * buckets
    for created in articles.values_list("created_at", flat=True):
        index = int((created - start) / step)
        if 0 <= index < buckets:
            counts[index] += 1
    return counts


def _evaluate_volume(rule: AlertRule, now: dt.datetime) -> list[Alert]:
    step = dt.timedelta(days=1) if rule.window == "day" else dt.timedelta(hours=1)
    history = 14 if rule.window == "day" else 12
    counts = _counts(rule, now - step * (history + 1), step, history + 1)
    baseline, current = counts[:-1], counts[-1]
    mean = statistics.fmean(baseline)
    spread = statistics.pstdev(baseline)
    threshold = mean + rule.sigma * spread
    if current < rule.min_count or current <= threshold:
        return []
    local = timezone.localtime(now)
    bucket = f"{local:%Y-%m-%d}" if rule.window == "day" else f"{local:%Y-%m-%dT%H}"
    target = rule.organisation or rule.saved_query
    alert = alert_raise(
        rule=rule,
        trigger_key=f"spike:{rule.window}:{bucket}",
        title=_("Coverage spike for %(target)s: %(count)s articles in the last %(window)s")
        % {"target": target, "count": current, "window": _("day") if rule.window == "day" else _("hour")},
        summary=_("Usual level %(mean).1f ± %(spread).1f; threshold %(threshold).1f.")
        % {"mean": mean, "spread": spread, "threshold": threshold},
        data={
            "current": current,
            "mean": round(mean, 2),
            "std": round(spread, 2),
            "threshold": round(threshold, 2),
            "baseline": baseline,
        },
        now=now,
    )
    return [alert] if alert else []


def _evaluate_story(rule: AlertRule, now: dt.datetime) -> list[Alert]:
    since = now - dt.timedelta(hours=rule.story_hours)
    watched = _articles_of(rule).filter(created_at__gte=since).values("id")
    stories = (
        Story.objects.filter(analyses__article_id__in=watched)
        .annotate(
            recent=Count("analyses", filter=Q(analyses__article__created_at__gte=since), distinct=True),
            negative=Count(
                "analyses",
                filter=Q(analyses__article__created_at__gte=since, analyses__sentiment="negative"),
                distinct=True,
            ),
        )
        .filter(recent__gte=rule.story_min_articles)
        .distinct()
    )
    raised = []
    for story in stories:
        share = story.negative / story.recent if story.recent else 0.0
        if share < rule.story_negative_share:
            continue
        alert = alert_raise(
            rule=rule,
            trigger_key=f"story:{story.pk}",
            title=_("Negative story spreading: %(title)s") % {"title": story.title},
            summary=_("%(recent)s articles in %(hours)s hours, %(share)s%% negative, %(outlets)s outlets.")
            % {
                "recent": story.recent,
                "hours": rule.story_hours,
                "share": round(100 * share),
                "outlets": story.outlet_count,
            },
            story=story,
            data={"recent": story.recent, "negative_share": round(share, 3)},
            now=now,
        )
        if alert:
            raised.append(alert)
    return raised


def alerts_evaluate_articles(*, article_ids: Iterable[int]) -> list[Alert]:
    """Right after analysis (an after-store step, registered in `apps.py`): per-article rules,
    and window rules of what these articles touch. What fails is looked at again by the sweep."""
    articles = list(Article.objects.filter(pk__in=list(article_ids)).select_related("outlet", "analysis__story"))
    if not articles:
        return []
    ids = [a.pk for a in articles]
    organisations = set(Mention.objects.filter(article_id__in=ids).values_list("organisation_id", flat=True))
    queries = set(QueryMatch.objects.filter(article_id__in=ids).values_list("query_id", flat=True))
    rules = _rules().filter(Q(organisation_id__in=organisations) | Q(saved_query_id__in=queries))
    raised: list[Alert] = []
    now = timezone.now()
    for rule in rules:
        if rule.kind == RuleKind.NEGATIVE_PROMINENT:
            raised += _evaluate_negative_prominent(rule, articles)
        elif rule.kind == RuleKind.VOLUME_SPIKE:
            raised += _evaluate_volume(rule, now)
        else:
            raised += _evaluate_story(rule, now)
    return raised


def alerts_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic: window rules, per-article rules on recent articles, retries, escalations."""
    now = now or timezone.now()
    raised = 0
    for rule in _rules().exclude(kind=RuleKind.NEGATIVE_PROMINENT):
        raised += len(_evaluate_volume(rule, now) if rule.kind == RuleKind.VOLUME_SPIKE else _evaluate_story(rule, now))
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
    }


def _mail_text(alert: Alert, rule: AlertRule, *, escalation: bool) -> tuple[str, str]:
    prefix = _("[Loa] Escalation") if escalation else "[Loa]"
    subject = " ".join(f"{prefix} {alert.get_severity_display()}: {alert.title}".split())[:250]
    lines = [alert.title, "", alert.summary, "", _("Rule: %(rule)s") % {"rule": rule.name}]
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
