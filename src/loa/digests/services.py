"""Building, editing, sending and exporting the daily press review.

A review covers the 24 hours before its profile's hour. Coverage is grouped by story, so the
copies one story gets across outlets make one item listing every outlet; a story appears once in
a review, in the first section that has it. Sections: one per monitored organisation, then one
per chosen topic for notable stories not about an organisation. Negative items come first in
every section, then the widest spread.

Building again adds what arrived since and never undoes the editors' work: removed items stay
removed, comments and order stay. Once sent, a review is an archive record and is not changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import Actor, acting_user, require
from loa.analysis.models import (
    RELEVANT_SALIENCES,
    ArticleAnalysis,
    ArticleEntity,
    ArticleTopic,
    Mention,
    Organisation,
    Sentiment,
    Topic,
)
from loa.analysis.selectors import entity_tones
from loa.articles.models import Article

# The send path keeps its own names for the e-mail's rendering, now drawn in documents.py.
from loa.digests.documents import digest_context as _context
from loa.digests.documents import render_official as _render
from loa.digests.models import Digest, DigestItem, DigestProfile, DigestSection, DigestStatus
from loa.digests.selectors import digest_counts
from loa.outbox.models import Channel
from loa.outbox.services import Outgoing, message_queue
from loa.reports.models import Letterhead as LetterheadRecord
from loa.reports.models import SignatureMode
from loa.text.folding import fold
from loa.units.models import Unit

logger = logging.getLogger(__name__)

LEAD_CHARS = 600
EXTRA_SECTION = "Tin bổ sung"
EXTRA_POSITION = 10_000


@dataclass(frozen=True)
class ProfileData:
    """What an editor sets on a press review profile. `organisations` and `topics` None leave
    the profile's sections as they are."""

    name: str
    unit: Unit
    letterhead: LetterheadRecord | None = None
    build_at: dt.time = dt.time(6, 30)
    max_items: int = 10
    recipients: str = ""
    distribution: str = ""
    signature_mode: str = SignatureMode.NONE
    signature_body: str = ""
    signer_position: str = ""
    signer_name: str = ""
    enabled: bool = True
    organisations: Sequence[Organisation] | None = None
    topics: Sequence[Topic] | None = None

    @classmethod
    def of(cls, profile: DigestProfile) -> ProfileData:
        """The profile as it is, its sections left as they are."""
        return cls(
            **{
                item.name: getattr(profile, item.name)
                for item in fields(cls)
                if item.name not in ("organisations", "topics")
            }
        )


def _require_write(user: Actor, profile: DigestProfile) -> None:
    require(user, roles.WRITE, profile.unit)


def _editable(user: Actor, digest: Digest) -> None:
    _require_write(user, digest.profile)
    if digest.status == DigestStatus.SENT:
        raise ValidationError(_("This press review has been sent; it is kept as it was."))


def _locked(user: Actor, digest_id: int) -> Digest:
    """The review read afresh under a row lock, checked editable: an edit waits for a send in
    progress and then sees it sent, instead of changing a review already on its way."""
    digest = Digest.objects.select_for_update().select_related("profile__unit").get(pk=digest_id)
    _editable(user, digest)
    return digest


# --- building -----------------------------------------------------------------------------------


def digest_window(profile: DigestProfile, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    end = timezone.make_aware(dt.datetime.combine(day, profile.build_at), timezone.get_default_timezone())
    return end - dt.timedelta(days=1), end


def profile_organisations(profile: DigestProfile) -> list[Organisation]:
    chosen = list(profile.organisations.filter(enabled=True).order_by("short_name"))
    if chosen:
        return chosen
    query = Q(unit__path__startswith=profile.unit.path)
    if profile.unit.parent_id is None:
        query |= Q(unit__isnull=True)
    return list(Organisation.objects.filter(query, enabled=True).order_by("short_name"))


@dataclass
class _Group:
    """The articles of one story (or one article and its copies) in the window."""

    key: str
    story_id: int | None
    articles: set[int] = field(default_factory=set)
    negative: bool = False
    prominence: float = 0.0
    # In an organisation's section: the tone toward it in each article (else the article's tone).
    tones: dict[int, str] = field(default_factory=dict)


def _group_key(story_id: int | None, article_id: int, original_id: int | None) -> str:
    return f"s{story_id}" if story_id else f"a{original_id or article_id}"


def _window_articles(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(published_at__gte=start, published_at__lt=end) | Q(
        published_at__isnull=True, created_at__gte=start, created_at__lt=end
    )


def _organisation_groups(
    organisations: list[Organisation], start: dt.datetime, end: dt.datetime
) -> defaultdict[int, dict[str, _Group]]:
    """Per organisation, the stories and articles about it (main subject or a substantive part;
    one naming it in passing stays out of the review) with the tone toward it."""
    strongest = (
        Mention.objects.filter(article=OuterRef("article"), organisation=OuterRef("organisation"))
        .order_by("-prominence")
        .values("prominence")[:1]
    )
    rows = (
        ArticleEntity.objects.filter(
            organisation__in=organisations,
            published_at__gte=start,
            published_at__lt=end,
            salience__in=RELEVANT_SALIENCES,
        )
        .annotate(prominence=Coalesce(Subquery(strongest), Value(0.0)))
        .values_list(
            "organisation_id",
            "article_id",
            "article__duplicate_of_id",
            "article__analysis__story_id",
            "tone",
            "prominence",
        )
    )
    groups: defaultdict[int, dict[str, _Group]] = defaultdict(dict)
    for organisation_id, article_id, original_id, story_id, sentiment, prominence in rows.iterator():
        key = _group_key(story_id, article_id, original_id)
        group = groups[organisation_id].setdefault(key, _Group(key=key, story_id=story_id))
        group.articles.add(article_id)
        group.tones[article_id] = sentiment
        group.negative = group.negative or sentiment == Sentiment.NEGATIVE
        group.prominence = max(group.prominence, prominence)
    return groups


def _topic_groups(topic_id: int, start: dt.datetime, end: dt.datetime) -> dict[str, _Group]:
    articles = Article.objects.filter(_window_articles(start, end))
    rows = ArticleTopic.objects.filter(topic_id=topic_id, article__in=articles).values_list(
        "article_id", "article__duplicate_of_id", "article__analysis__story_id", "article__analysis__sentiment", "score"
    )
    groups: dict[str, _Group] = {}
    for article_id, original_id, story_id, sentiment, score in rows.iterator():
        key = _group_key(story_id, article_id, original_id)
        group = groups.setdefault(key, _Group(key=key, story_id=story_id))
        group.articles.add(article_id)
        group.negative = group.negative or sentiment == Sentiment.NEGATIVE
        group.prominence = max(group.prominence, score)
    return groups


@dataclass
class _Candidate:
    group: _Group
    article: Article
    outlets: list[str]
    sentiment: str


def _candidates(groups: list[_Group]) -> list[_Candidate]:
    ids = {article_id for group in groups for article_id in group.articles}
    articles = Article.objects.select_related("outlet").in_bulk(ids)
    tones = dict(ArticleAnalysis.objects.filter(article_id__in=ids).values_list("article_id", "sentiment"))
    out = []
    for group in groups:
        members = [articles[article_id] for article_id in group.articles if article_id in articles]
        if not members:
            continue
        # The first outlet to publish stands for the story: the others are its copies and follow-ups.
        members.sort(key=lambda article: (article.published_at or article.created_at, article.pk))
        first = members[0]
        outlets = list(dict.fromkeys(article.outlet.name for article in members))
        sentiment: str = (
            Sentiment.NEGATIVE
            if group.negative
            else group.tones.get(first.pk) or tones.get(first.pk, Sentiment.NEUTRAL)
        )
        out.append(_Candidate(group=group, article=first, outlets=outlets, sentiment=sentiment))
    out.sort(
        key=lambda candidate: (
            candidate.sentiment != Sentiment.NEGATIVE,
            -len(candidate.outlets),
            -candidate.group.prominence,
            candidate.article.published_at or candidate.article.created_at,
        )
    )
    return out


def _lead(article: Article) -> str:
    text = (article.lead or article.body).strip()
    if len(text) <= LEAD_CHARS:
        return text
    cut = text[:LEAD_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def digest_build(*, profile: DigestProfile, day: dt.date, now: dt.datetime | None = None) -> Digest:
    """The review of `profile` for `day`, made if missing, topped up with what arrived since if
    still being edited."""
    now = now or timezone.now()
    start, end = digest_window(profile, day)
    try:
        with transaction.atomic():
            digest, _created = Digest.objects.get_or_create(
                profile=profile, day=day, defaults={"period_start": start, "period_end": end, "built_at": now}
            )
    except IntegrityError:  # another builder made it meanwhile
        digest = Digest.objects.get(profile=profile, day=day)
    with transaction.atomic():
        digest = Digest.objects.select_for_update().select_related("profile").get(pk=digest.pk)
        if digest.status == DigestStatus.SENT:
            return digest
        _fill(digest, profile, start, end)
        # The profile's hour may have moved since the first build; the review says what it covers.
        digest.period_start, digest.period_end, digest.built_at = start, end, now
        digest.search_text = _search_text(digest)
        digest.save(update_fields=["period_start", "period_end", "built_at", "search_text"])
    return digest


def _fill(digest: Digest, profile: DigestProfile, start: dt.datetime, end: dt.datetime) -> None:
    taken_stories = set(digest.items.exclude(story=None).values_list("story_id", flat=True))
    taken_articles = set(digest.items.exclude(article=None).values_list("article_id", flat=True))
    used: set[str] = {f"s{story_id}" for story_id in taken_stories}

    def fresh(groups: dict[str, _Group]) -> list[_Group]:
        return [group for key, group in groups.items() if key not in used and not (group.articles & taken_articles)]

    organisations = profile_organisations(profile)
    by_organisation = _organisation_groups(organisations, start, end)
    plan: list[tuple[dict[str, Any], Callable[[], dict[str, _Group]]]] = [
        ({"organisation": org, "title": org.short_name}, partial(by_organisation.__getitem__, org.pk))
        for org in organisations
    ]
    plan.extend(
        ({"topic": topic, "title": f"Chủ đề: {topic.name}"}, partial(_topic_groups, topic.pk, start, end))
        for topic in profile.topics.filter(enabled=True).order_by("sort_order", "name")
    )
    # In the profile's order, so a story goes to the first section that has room for it; the
    # sections keep that order however late each one first gets an item.
    for position, (where, groups) in enumerate(plan, start=1):
        candidates = _candidates(fresh(groups()))
        if not candidates:
            continue
        lookup = {"organisation": where["organisation"]} if "organisation" in where else {"topic": where["topic"]}
        section = digest.sections.filter(**lookup).first()
        if section is None:
            section = DigestSection(digest=digest, title=where["title"], position=position, **lookup)
        placed = _place(digest, section, candidates, limit=profile.max_items)
        used.update(candidate.group.key for candidate in placed)


def _admitted(existing: list[DigestItem], candidates: list[_Candidate], limit: int) -> list[_Candidate]:
    """What fits under the section's limit. Negative items take the room first and are still let
    in when the section is full of others, up to the limit of negative items: a review that
    leaves out bad news to stay short is worse than a long one."""
    shown = [item for item in existing if not item.removed]
    room = max(0, limit - len(shown))
    negative_room = max(0, limit - sum(1 for item in shown if item.sentiment == Sentiment.NEGATIVE))
    negatives = [c for c in candidates if c.sentiment == Sentiment.NEGATIVE][:negative_room]
    others = [c for c in candidates if c.sentiment != Sentiment.NEGATIVE][: max(0, room - len(negatives))]
    return [*negatives, *others]


def _place(digest: Digest, section: DigestSection, candidates: list[_Candidate], *, limit: int) -> list[_Candidate]:
    """Adds the candidates (already in order) that fit to the section, saving a new section
    only then: new negative items after the negative ones already there, the others at the end,
    so "negative first" holds after a top-up without undoing the order editors gave the
    existing items. Returns what was added."""
    new_section = section._state.adding
    existing = [] if new_section else list(section.items.order_by("position", "pk"))
    candidates = _admitted(existing, candidates, limit)
    if not candidates:
        return []
    if new_section:
        section.save()
    negatives = [index for index, item in enumerate(existing) if item.sentiment == Sentiment.NEGATIVE]
    cut = negatives[-1] + 1 if negatives else 0
    head, tail = existing[:cut], existing[cut:]
    new_negative = [c for c in candidates if c.sentiment == Sentiment.NEGATIVE]
    new_other = [c for c in candidates if c.sentiment != Sentiment.NEGATIVE]
    order: list[DigestItem | _Candidate] = [*head, *new_negative, *tail, *new_other]
    for position, entry in enumerate(order, start=1):
        if isinstance(entry, _Candidate):
            _item_from(digest, section, entry.article, position, entry.outlets, entry.sentiment)
        elif entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])
    return candidates


def _item_from(
    digest: Digest,
    section: DigestSection,
    article: Article,
    position: int,
    outlets: list[str],
    sentiment: str,
    *,
    added_by: User | None = None,
) -> DigestItem:
    analysis = ArticleAnalysis.objects.filter(article=article).only("story_id").first()
    return DigestItem.objects.create(
        digest=digest,
        section=section,
        position=position,
        article=article,
        story_id=analysis.story_id if analysis else None,
        title=article.title[:500],
        url=article.url,
        outlets=", ".join(outlets)[:500],
        published_at=article.published_at or article.created_at,
        lead=_lead(article),
        sentiment=sentiment,
        added_by=added_by,
    )


def _search_text(digest: Digest) -> str:
    parts = [digest.introduction]
    for item in digest.items.all():
        parts.extend((item.title, item.lead, item.outlets, item.comment))
    return fold("\n".join(part for part in parts if part))


def _reindex(digest: Digest) -> None:
    digest.search_text = _search_text(digest)
    digest.save(update_fields=["search_text"])


def digests_build_due(*, now: dt.datetime | None = None) -> list[Digest]:
    """Today's reviews whose hour has come: made when missing, topped up while still being
    edited, since coverage published before the hour may be stored after it (a slow feed, a
    retried fetch). A sent review is left alone."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    built = []
    for profile in DigestProfile.objects.filter(enabled=True).select_related("unit"):
        if local.time() < profile.build_at:
            continue
        if Digest.objects.filter(profile=profile, day=local.date(), status=DigestStatus.SENT).exists():
            continue
        try:
            built.append(digest_build(profile=profile, day=local.date(), now=now))
        except Exception:
            # One profile's failure must not stop the others; the next sweep tries it again.
            logger.exception("building the press review of profile %s failed", profile.pk)
    return built


# --- editing ------------------------------------------------------------------------------------


@transaction.atomic
def digest_set_introduction(*, user: Actor, digest: Digest, text: str) -> Digest:
    digest = _locked(user, digest.pk)
    digest.introduction = text.strip()
    digest.save(update_fields=["introduction"])
    _reindex(digest)
    return digest


@transaction.atomic
def item_set_removed(*, user: Actor, item: DigestItem, removed: bool) -> DigestItem:
    _locked(user, item.digest_id)
    item.removed = removed
    item.save(update_fields=["removed"])
    return item


@transaction.atomic
def item_comment(*, user: Actor, item: DigestItem, comment: str) -> DigestItem:
    digest = _locked(user, item.digest_id)
    if len(comment) > 2000:
        raise ValidationError(_("A comment has at most 2000 characters."))
    item.comment = comment.strip()
    item.save(update_fields=["comment"])
    _reindex(digest)
    return item


@transaction.atomic
def item_move(*, user: Actor, item: DigestItem, offset: int) -> DigestItem:
    """Moves an item up (negative offset) or down within its section."""
    _locked(user, item.digest_id)
    siblings = list(DigestItem.objects.select_for_update().filter(section=item.section).order_by("position", "pk"))
    index = next(position for position, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    item.refresh_from_db(fields=["position"])
    return item


@transaction.atomic
def item_add(*, user: Actor, digest: Digest, article: Article, section: DigestSection | None = None) -> DigestItem:
    """An article the build did not pick, added by an editor (to the chosen section or to
    "Tin bổ sung" at the end)."""
    digest = _locked(user, digest.pk)
    if section is not None and section.digest_id != digest.pk:
        raise ValidationError(_("That section belongs to another press review."))
    if digest.items.filter(article=article).exists():
        raise ValidationError(_("This article is already in the press review."))
    analysis = ArticleAnalysis.objects.filter(article=article).first()
    if analysis is not None and analysis.story_id and digest.items.filter(story_id=analysis.story_id).exists():
        raise ValidationError(_("A copy of this story is already in the press review."))
    if section is None:
        section = digest.sections.filter(organisation=None, topic=None, title=EXTRA_SECTION).first()
        if section is None:
            # After every section the profile can make, whatever is added to the profile later.
            section = DigestSection.objects.create(digest=digest, title=EXTRA_SECTION, position=EXTRA_POSITION)
    position = (section.items.aggregate(top=Max("position"))["top"] or 0) + 1
    sentiment = analysis.sentiment if analysis else Sentiment.NEUTRAL
    item = _item_from(digest, section, article, position, [article.outlet.name], sentiment, added_by=acting_user(user))
    _reindex(digest)
    return item


# --- sending and exporting ---------------------------------------------------------------------


def recipients_of(profile: DigestProfile) -> list[str]:
    return [line.strip() for line in profile.recipients.replace(",", "\n").splitlines() if line.strip()]


def digest_subject(digest: Digest) -> str:
    return f"Điểm báo ngày {digest.day:%d/%m/%Y} – {digest.profile.name}"


@dataclass(frozen=True)
class SendPreview:
    """What sending would do, for the editor to confirm: to whom, what subject, how many items."""

    recipients: list[str]
    subject: str
    items: int
    negative: int


def _sendable(digest: Digest) -> list[str]:
    """The recipients, once the review is checked ready to go (raises what stops it)."""
    recipients = recipients_of(digest.profile)
    if not recipients:
        raise ValidationError(_("The profile has no recipients; add their e-mail addresses first."))
    for address in recipients:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(_("“%(address)s” is not an e-mail address.") % {"address": address}) from None
    if not digest.items.filter(removed=False).exists():
        raise ValidationError(_("The press review is empty."))
    return recipients


def digest_send_preview(*, user: Actor, digest: Digest) -> SendPreview:
    """What `digest_send` would send now; writes nothing. Refuses what sending would refuse."""
    _editable(user, digest)
    recipients = _sendable(digest)
    items, negative = digest_counts(digest)
    return SendPreview(recipients=recipients, subject=digest_subject(digest), items=items, negative=negative)


class RecipientsChanged(ValidationError):
    """The profile's recipients changed after the editor confirmed them; nothing was sent."""


def digest_send(
    *,
    user: Actor,
    digest: Digest,
    now: dt.datetime | None = None,
    confirmed_recipients: list[str] | None = None,
) -> Digest:
    """Files the review as sent and queues it, as HTML e-mail to the profile's recipients, in
    the outbox, which sends it after commit and retries a refusing mail server (the outbox
    page and the review's page show how it went). The row lock keeps two editors pressing
    "send" together from sending it twice, and the message's key queues it once; no lock is
    held while the mail server is talked to. With `confirmed_recipients`
    (the list the editor was shown), a changed list is refused rather than sent to."""
    with transaction.atomic():
        digest = Digest.objects.select_for_update().select_related("profile__unit").get(pk=digest.pk)
        _editable(user, digest)
        recipients = _sendable(digest)
        if confirmed_recipients is not None and confirmed_recipients != recipients:
            raise RecipientsChanged(
                _("The recipients of the profile changed since you confirmed; check them and confirm again.")
            )
        context = _context(digest)
        message_queue(
            Outgoing(
                key=digest_message_key(digest),
                kind="press_review",
                channel=Channel.EMAIL,
                recipients=recipients,
                subject=digest_subject(digest),
                text=_render("digests/digest_email.txt", context),
                html=_render("digests/digest_email.html", context),
                headers={"Message-ID": f"<loa-digest-{digest.pk}@{_mail_domain()}>"},
                unit=digest.profile.unit,
                link=reverse("digests:detail", args=[digest.pk]),
            )
        )
        digest.status = DigestStatus.SENT
        digest.sent_at = now or timezone.now()
        digest.sent_by = acting_user(user)
        digest.sent_to = "\n".join(recipients)
        digest.save(update_fields=["status", "sent_at", "sent_by", "sent_to"])
    return digest


def digest_message_key(digest: Digest) -> str:
    """The review's outbox message: one per review, as a review is sent once."""
    return f"digest:{digest.pk}"


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "loa.local"


def digest_items_retone(*, article_ids: Sequence[int]) -> int:
    """After staff correct tones: the items of reviews still being edited take the corrected
    tone (in an organisation's section, the organisation's tone in the article); a sent review
    keeps what its readers were sent. Returns how many items changed. Registered with
    loa.analysis.hooks by DigestsConfig."""

    items = list(
        DigestItem.objects.filter(article_id__in=article_ids, digest__status=DigestStatus.DRAFT).select_related(
            "section"
        )
    )
    if not items:
        return 0
    ids = {item.article_id for item in items if item.article_id is not None}
    tones = dict(ArticleAnalysis.objects.filter(article_id__in=ids).values_list("article_id", "sentiment"))
    organisation_tones = entity_tones(ArticleEntity.objects.filter(article_id__in=ids))
    changed = []
    for item in items:
        assert item.article_id is not None
        tone = organisation_tones.get((item.article_id, item.section.organisation_id or 0)) or tones.get(
            item.article_id, item.sentiment
        )
        if tone != item.sentiment:
            item.sentiment = tone
            changed.append(item)
    DigestItem.objects.bulk_update(changed, ["sentiment"])
    return len(changed)


# --- profiles -----------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, user: Actor, profile: DigestProfile | None, data: ProfileData) -> DigestProfile:
    """Creates or changes a profile; the user must write for both its old and its new unit."""
    target = profile or DigestProfile()
    if profile is not None:
        _require_write(user, profile)
    for item in fields(data):
        if item.name not in ("organisations", "topics"):
            value = getattr(data, item.name)
            setattr(target, item.name, value.strip() if isinstance(value, str) else value)
    _require_write(user, target)
    for address in recipients_of(target):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(_("“%(address)s” is not an e-mail address.") % {"address": address}) from None
    target.full_clean()
    target.save()
    if data.organisations is not None:
        target.organisations.set(data.organisations)
    if data.topics is not None:
        target.topics.set(data.topics)
    return target
