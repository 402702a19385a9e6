"""Expected failures of domain workflows, each with the client-facing code of the contract."""

from __future__ import annotations


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, clause: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.clause = clause
        self.field = field


class BadInput(DomainError):
    code = "BAD_USER_INPUT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Conflict(DomainError):
    code = "CONFLICT"


class ConsentRequired(DomainError):
    code = "CONSENT_REQUIRED"
