"""Expected errors carry `extensions.code`; others are masked and logged with the request id."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import DomainError

logger = logging.getLogger("portfolio.graphql")
MASKED_MESSAGE = "Unexpected error. Quote the request id to the operator."
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class ErrorShaping(SchemaExtension):
    """Give every error a code and the request id; mask unexpected ones; hide suggestions."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context: Any = self.execution_context.context
        request_id = getattr(context, "request_id", None)
        hide_suggestions = not getattr(getattr(context, "settings", None), "development", True)
        result.errors = [self._shape(e, request_id, hide_suggestions) for e in result.errors]

    def _shape(
        self, error: GraphQLError, request_id: str | None, hide_suggestions: bool
    ) -> GraphQLError:
        original = error.original_error
        extensions = dict(error.extensions or {})
        extensions["requestId"] = request_id
        if isinstance(original, DomainError):
            extensions["code"] = original.code
            if original.clause:
                extensions["clause"] = original.clause
            if original.field:
                extensions["field"] = original.field
            return GraphQLError(
                original.message, nodes=error.nodes, path=error.path, extensions=extensions
            )
        if original is None or isinstance(original, GraphQLError):
            # Validation and parsing errors: the client's document is at fault.
            extensions.setdefault("code", "BAD_USER_INPUT")
            message = _SUGGESTION.sub("", error.message) if hide_suggestions else error.message
            return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=extensions)
        logger.error(
            "unexpected error request_id=%s path=%s", request_id, error.path, exc_info=original
        )
        return GraphQLError(
            MASKED_MESSAGE,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
