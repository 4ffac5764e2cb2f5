"""Monitored organisations from YAML (the format of `loa/analysis/seed/organisations.yaml`):
one loader for `loa mentions --entities`, `make bench` and anyone else reading that structure.

Pure: takes the parsed YAML (a list of entries, or `{"entities": [...]}`), returns
`EntitySpec`s, and raises `EntitiesError` with the entry's number on bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loa.pipeline.mentions import EntitySpec, MemberSpec

ENTITY_FIELDS = frozenset(
    {"key", "name", "aliases", "acronyms", "ambiguous", "context", "exclude", "blocked", "tickers", "members"}
)
MEMBER_FIELDS = frozenset({"name", "aliases", "acronyms", "tickers"})


class EntitiesError(ValueError):
    """The YAML does not describe organisations; the message names the entry."""


def _listed(entry: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    value = entry.get(name)
    if value is None:
        return ()
    if isinstance(value, str | int | float):
        value = [value]
    if not isinstance(value, list) or any(isinstance(v, dict | list) or v is None for v in value):
        raise EntitiesError(f"{where}: '{name}' cần một danh sách chữ (a list of strings)")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _text(entry: Mapping[str, Any], name: str) -> str:
    value = entry.get(name)
    return str(value).strip() if isinstance(value, str | int) else ""


def _unknown(entry: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise EntitiesError(
            f"{where}: trường không biết (unknown field) {', '.join(unknown)}; dùng: {', '.join(sorted(allowed))}"
        )


def specs_from_yaml(data: object) -> list[EntitySpec]:
    """`EntitySpec`s of parsed YAML. An entry needs a `key` or a `name` (the other defaults to
    it); keys are unique; a member needs a `name`. The organisation's and members' names are
    matched as well as their aliases."""
    entries = data.get("entities") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise EntitiesError("cần một danh sách tổ chức (a list of entities)")
    specs: list[EntitySpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"mục {index}"
        if not isinstance(entry, dict):
            raise EntitiesError(f"{where}: cần một đối tượng có 'key' và 'name' (a mapping)")
        _unknown(entry, ENTITY_FIELDS, where)
        key = _text(entry, "key")
        name = _text(entry, "name")
        if not key and not name:
            raise EntitiesError(f"{where}: cần 'key' hoặc 'name' (missing key and name)")
        key, name = key or name, name or key
        where = f"mục {index} ({key})"
        if key in seen:
            raise EntitiesError(f"{where}: 'key' trùng (duplicate key)")
        seen.add(key)
        members_raw = entry.get("members") or []
        if not isinstance(members_raw, list):
            raise EntitiesError(f"{where}: 'members' cần một danh sách (a list)")
        members = []
        for number, member in enumerate(members_raw, start=1):
            member_where = f"{where}, thành viên {number}"
            if not isinstance(member, dict):
                raise EntitiesError(f"{member_where}: cần một đối tượng có 'name' (a mapping)")
            _unknown(member, MEMBER_FIELDS, member_where)
            member_name = _text(member, "name")
            if not member_name:
                raise EntitiesError(f"{member_where}: cần 'name' (missing name)")
            members.append(
                MemberSpec(
                    name=member_name,
                    aliases=_listed(member, "aliases", member_where),
                    acronyms=_listed(member, "acronyms", member_where),
                    tickers=_listed(member, "tickers", member_where),
                )
            )
        specs.append(
            EntitySpec(
                key=key,
                name=name,
                aliases=(name, *_listed(entry, "aliases", where)),
                acronyms=_listed(entry, "acronyms", where),
                ambiguous=_listed(entry, "ambiguous", where),
                context=_listed(entry, "context", where),
                exclude=_listed(entry, "exclude", where),
                tickers=_listed(entry, "tickers", where),
                blocked=_listed(entry, "blocked", where),
                members=tuple(members),
            )
        )
    return specs
