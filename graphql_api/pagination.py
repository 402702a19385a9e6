"""Opaque ids, keyset cursors and the `first` limit shared by every list."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import strawberry

from domain.errors import BadInput

MAX_PAGE = 100


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


def parse_id(value: str | strawberry.ID | None, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise BadInput(f"{field}: {value!r} is not a valid id", field=field) from None


def parse_optional_id(value: str | strawberry.ID | None, field: str) -> uuid.UUID | None:
    return None if value is None else parse_id(value, field)


DEFAULT_PAGE = 50


def check_first(first: int | None) -> int:
    """`first` is nullable in the contract: null means the default page of 50."""
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= MAX_PAGE:
        raise BadInput(f"first must be between 1 and {MAX_PAGE}; got {first}", field="first")
    return first


def encode_cursor(*values: Any) -> str:
    raw = json.dumps([str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[str] | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise BadInput("after: malformed cursor", field="after") from None
    if not isinstance(values, list) or len(values) != arity:
        raise BadInput("after: malformed cursor", field="after")
    return [str(v) for v in values]
