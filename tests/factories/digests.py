"""Press review profiles and their reviews."""

from __future__ import annotations

import datetime as dt

from loa.digests.models import Digest
from loa.units.models import Unit
from tests.factories.articles import make_article


def make_digest(unit: Unit, label: str, *, day: dt.date = dt.date(2026, 11, 20)) -> Digest:
    """The review of `day` of the unit's profile 'Hồ sơ <label>', holding the article 'Bài <label>'."""
    from loa.accounts.scoping import SYSTEM
    from loa.digests.services import ProfileData, digest_build, item_add, profile_save

    profile = profile_save(
        user=SYSTEM, profile=None, data=ProfileData(name=f"Hồ sơ {label}", unit=unit, recipients="a@example.vn")
    )
    digest = digest_build(profile=profile, day=day)
    item_add(user=SYSTEM, digest=digest, article=make_article(title=f"Bài {label}"))
    return digest
