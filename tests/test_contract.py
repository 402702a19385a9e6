"""The project's schema keeps the client contract (additions only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, find_breaking_changes

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract" / "schema.graphql"


@pytest.mark.skipif(not CONTRACT.exists(), reason="the contract is kept outside the project")
def test_schema_has_no_breaking_change_against_the_contract():
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    ours = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    changes = find_breaking_changes(contract, ours)
    assert not changes, [c.description for c in changes]
