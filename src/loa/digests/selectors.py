"""Reads of press reviews and their profiles, scoped by the profile's unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.analysis.models import Sentiment
from loa.digests.models import Digest, DigestItem, DigestProfile, DigestSection, DigestStatus
from loa.text.folding import fold


def profile_list(*, user: Actor) -> QuerySet[DigestProfile]:
    return scope_filter(DigestProfile.objects.select_related("unit", "letterhead"), user, unit_field="unit")


def digest_list(*, user: Actor, query: str = "", status: str = "") -> QuerySet[Digest]:
    """The archive, newest first; `query` matches titles, leads, outlets and comments without
    regard to diacritics or case."""
    digests = (
        Digest.objects.select_related("profile__unit")
        .annotate(
            item_count=Count("items", filter=Q(items__removed=False)),
            negative_count=Count("items", filter=Q(items__removed=False, items__sentiment="negative")),
        )
        .order_by("-day", "profile__name")
    )
    for word in fold(query).split():
        digests = digests.filter(search_text__contains=word)
    if status in DigestStatus.values:
        digests = digests.filter(status=status)
    return scope_filter(digests, user, unit_field="profile__unit")


def digest_get(*, user: Actor, pk: int) -> Digest | None:
    return (
        scope_filter(
            Digest.objects.select_related("profile__unit", "profile__letterhead"), user, unit_field="profile__unit"
        )
        .filter(pk=pk)
        .first()
    )


def digest_writable(*, user: Actor, digest: Digest) -> bool:
    return digest.status == DigestStatus.DRAFT and user_can(user, roles.WRITE, digest.profile.unit)


@dataclass
class SectionView:
    section: DigestSection
    items: list[DigestItem]


def digest_sections(digest: Digest, *, include_removed: bool = False) -> list[SectionView]:
    items = digest.items.select_related("section").order_by("section__position", "position", "pk")
    if not include_removed:
        items = items.filter(removed=False)
    grouped: dict[int, list[DigestItem]] = defaultdict(list)
    for item in items:
        grouped[item.section_id].append(item)
    return [
        SectionView(section=section, items=grouped[section.pk])
        for section in digest.sections.order_by("position", "pk")
        if grouped[section.pk] or include_removed
    ]


def digest_counts(digest: Digest) -> tuple[int, int]:
    items = digest.items.filter(removed=False)
    return items.count(), items.filter(sentiment=Sentiment.NEGATIVE).count()
