"""The Casbin policy: role templates whose rows cite the regulation's clauses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import casbin

POLICY_DIR = Path(__file__).resolve().parent
MODEL_PATH = POLICY_DIR / "model.conf"
POLICY_PATH = POLICY_DIR / "policy.csv"
ANY_DOMAIN = "*"


@dataclass(frozen=True)
class PolicyRule:
    role: str
    domain: str
    resource: str
    action: str
    scope: str
    clause: str
    description: str


class Policy:
    """Loaded once per process; the rows are few, so a lookup table answers scope questions."""

    def __init__(self, model_path: Path = MODEL_PATH, policy_path: Path = POLICY_PATH) -> None:
        self.enforcer = casbin.Enforcer(str(model_path), str(policy_path))
        self.rules: tuple[PolicyRule, ...] = tuple(
            PolicyRule(*row) for row in self.enforcer.get_policy()
        )
        digest = hashlib.sha256(model_path.read_bytes() + policy_path.read_bytes())
        self.version = digest.hexdigest()[:16]
        self._decisions: dict[tuple[str, str, str], bool] = {}
        self._by_key: dict[tuple[str, str, str], list[PolicyRule]] = {}
        for rule in self.rules:
            self._by_key.setdefault((rule.role, rule.resource, rule.action), []).append(rule)

    def allows(self, role: str, resource: str, action: str) -> bool:
        """Casbin decides; the answer is memoised since the loaded policy never changes."""
        key = (role, resource, action)
        cached = self._decisions.get(key)
        if cached is None:
            cached = bool(self.enforcer.enforce(role, ANY_DOMAIN, resource, action))
            self._decisions[key] = cached
        return cached

    def matching_rules(self, role: str, resource: str, action: str) -> list[PolicyRule]:
        """Every row of the role template for (resource, action): each adds a scope."""
        if not self.allows(role, resource, action):
            return []
        return list(self._by_key.get((role, resource, action), ()))

    def roles_allowed(self, resource: str, action: str) -> list[PolicyRule]:
        return [r for r in self.rules if r.resource == resource and r.action == action]


@lru_cache(maxsize=1)
def load_policy() -> Policy:
    return Policy()
