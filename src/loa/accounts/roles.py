"""What each role may do. Plain data, read by scoping and by views that offer actions."""

from __future__ import annotations

from typing import Final

from loa.accounts.models import Role

SEE_ALL_UNITS: Final = "see_all_units"
WRITE: Final = "write"
APPROVE: Final = "approve"
ADMINISTER: Final = "administer"
READ_AUDIT: Final = "read_audit"
MANAGE_SOURCES: Final = "manage_sources"

CAPABILITIES: Final[dict[str, frozenset[str]]] = {
    Role.ADMIN: frozenset({SEE_ALL_UNITS, WRITE, APPROVE, ADMINISTER, READ_AUDIT, MANAGE_SOURCES}),
    Role.BLOC_STAFF: frozenset({SEE_ALL_UNITS, WRITE, READ_AUDIT, MANAGE_SOURCES}),
    Role.UNIT_STAFF: frozenset({WRITE}),
    Role.LEADER: frozenset({APPROVE}),
    Role.VIEWER: frozenset(),
}


def has_capability(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
