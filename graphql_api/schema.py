"""The GraphQL schema: domain query and mutation classes merged, with the limits of §6."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graphql_api.audit_extension import AuditFlush
from graphql_api.errors import ErrorShaping
from graphql_api.frameworks.queries import FrameworkQueries
from graphql_api.handoff.queries import HandoffQueries
from graphql_api.learners.mutations import LearnerMutations
from graphql_api.learners.queries import LearnerQueries
from graphql_api.organisations.mutations import OrganisationMutations
from graphql_api.organisations.queries import OrganisationQueries
from graphql_api.people.mutations import PeopleMutations
from graphql_api.people.queries import PeopleQueries
from graphql_api.portfolio.mutations import PortfolioMutations
from graphql_api.regulation.queries import RegulationQueries
from graphql_api.reports.queries import ReportQueries

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2000

Query = merge_types(
    "Query",
    (
        PeopleQueries,
        OrganisationQueries,
        LearnerQueries,
        FrameworkQueries,
        RegulationQueries,
        ReportQueries,
        HandoffQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        OrganisationMutations,
        PeopleMutations,
        PortfolioMutations,
        LearnerMutations,
    ),
)


class PortfolioSchema(strawberry.Schema):
    """Expected errors are answers, not incidents: only unexpected ones reach the log."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        from domain.errors import DomainError

        unexpected = [
            e
            for e in errors
            if e.original_error is not None
            and not isinstance(e.original_error, DomainError)
            and e.original_error.__class__.__name__ != "GraphQLError"
        ]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """Production hides introspection and suggestions; development keeps them for GraphiQL."""
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        AuditFlush,
        ErrorShaping,
    ]
    if production:
        from graphql.validation import NoSchemaIntrospectionCustomRule

        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return PortfolioSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )


def print_sdl() -> str:
    return build_schema().as_str() + "\n"


__all__ = ["build_schema", "print_sdl"]
