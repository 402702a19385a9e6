"""The regulation document's clause register, read from docs/regulation.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REGULATION_PATH = Path(__file__).resolve().parent.parent / "docs" / "regulation.md"
_ROW = re.compile(r"^\|\s*([RCTADL]\d+(?:\.\d+)?)\s*\|\s*([^|]+?)\s*\|\s*(да|нет)\s*\|\s*$")


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    grants_access: bool


def read_clauses(path: Path = REGULATION_PATH) -> dict[str, Clause]:
    """Parse the «Реестр пунктов» table: clause id, title and whether it grants access."""
    text = path.read_text(encoding="utf-8")
    _, _, register = text.partition("## Реестр пунктов")
    clauses: dict[str, Clause] = {}
    for line in register.splitlines():
        match = _ROW.match(line.strip())
        if match:
            clause_id, title, grants = match.groups()
            clauses[clause_id] = Clause(clause_id, title, grants == "да")
    return clauses
