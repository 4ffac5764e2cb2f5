"""The YAML loader of monitored organisations (`loa.pipeline.entities`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from loa.pipeline.entities import EntitiesError, specs_from_yaml
from loa.pipeline.mentions import MemberSpec

SEED = Path(__file__).resolve().parents[2] / "src" / "loa" / "analysis" / "seed" / "organisations.yaml"


def test_the_seed_loads_with_members_tickers_and_blocked_phrases() -> None:
    specs = {s.key: s for s in specs_from_yaml(yaml.safe_load(SEED.read_text(encoding="utf-8")))}
    assert {"evn", "pvn", "viettel", "vcb", "vna"} <= set(specs)
    evn = specs["evn"]
    assert evn.aliases[0] == evn.name  # the name itself is matched
    assert "ngành điện ảnh" in evn.blocked
    assert MemberSpec(name="Tổng công ty Điện lực miền Bắc", acronyms=("EVNNPC",)) in evn.members
    gas = next(m for m in specs["pvn"].members if m.name == "Tổng công ty Khí Việt Nam")
    assert gas.tickers == ("GAS",)
    assert specs["vcb"].tickers == ("VCB",)


def test_a_key_or_a_name_is_enough_and_the_wrapped_form_is_read() -> None:
    (spec,) = specs_from_yaml({"entities": [{"name": "Tập đoàn X", "aliases": "X Group"}]})
    assert (spec.key, spec.name, spec.aliases) == ("Tập đoàn X", "Tập đoàn X", ("Tập đoàn X", "X Group"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not a list", "danh sách"),
        ([{"aliases": ["x"]}], "mục 1"),
        ([{"key": "a", "name": "A", "nicknames": ["x"]}], "unknown field"),
        ([{"key": "a", "name": "A"}, {"key": "a", "name": "B"}], "duplicate key"),
        ([{"key": "a", "name": "A", "aliases": [{"x": 1}]}], "aliases"),
        ([{"key": "a", "name": "A", "members": [{"aliases": ["y"]}]}], "thành viên 1"),
        ([{"key": "a", "name": "A", "members": [{"name": "M", "exclude": ["y"]}]}], "exclude"),
        ([{"key": "a", "name": "A", "members": "M"}], "members"),
        (["a"], "mục 1"),
    ],
)
def test_bad_input_is_named(data: object, message: str) -> None:
    with pytest.raises(EntitiesError, match=message):
        specs_from_yaml(data)
