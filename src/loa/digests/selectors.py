"""Reads of press reviews and their profiles, scoped by the profile's unit."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from loa.accounts import roles
from loa.accounts.scoping import scope_filter, user_can
from loa.digests.models import Digest, DigestProfile, DigestStatus
from loa.text.folding import fold


def profile_list(*, user: object) -> QuerySet[DigestProfile]:
    return scope_filter(DigestProfile.objects.select_related("unit", "letterhead"), user, unit_field="unit")


def digest_list(*, user: object, query: str = "", status: str = "") -> QuerySet[Digest]:
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


def digest_get(*, user: object, pk: int) -> Digest | None:
    return (
        scope_filter(
            Digest.objects.select_related("profile__unit", "profile__letterhead"), user, unit_field="profile__unit"
        )
        .filter(pk=pk)
        .first()
    )


def digest_writable(*, user: object, digest: Digest) -> bool:
    return digest.status == DigestStatus.DRAFT and user_can(user, roles.WRITE, digest.profile.unit)
