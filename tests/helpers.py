"""Small builders for tests: accounts, grants, tokens and a GraphQL client over ASGI."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx

from graphql_api.app import create_app
from graphql_api.authentication import issue_token
from graphql_api.settings import Settings
from models import District, Organisation, RoleGrant, User
from models.enums import OrganisationKind, Role
from tests.conftest import DATABASE_URL


def settings(environment: str = "development", **overrides: Any) -> Settings:
    env = {
        "PORTFOLIO_DATABASE_URL": DATABASE_URL,
        "PORTFOLIO_ENV": environment,
        "PORTFOLIO_JWT_SECRET": os.environ["PORTFOLIO_JWT_SECRET"],
    }
    env.update(overrides)
    return Settings.from_env(env)


def token(login: str) -> str:
    return issue_token(login=login, secret=os.environ["PORTFOLIO_JWT_SECRET"])


@dataclass
class GraphQLClient:
    client: httpx.AsyncClient

    async def query(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        login: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        h = dict(headers or {})
        if login:
            h["Authorization"] = f"Bearer {token(login)}"
        response = await self.client.post(
            "/graphql", json={"query": document, "variables": variables or {}}, headers=h
        )
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body


def client(environment: str = "development") -> GraphQLClient:
    app = create_app(settings(environment), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    return GraphQLClient(httpx.AsyncClient(transport=transport, base_url="http://test"))


async def make_user(login: str, full_name: str | None = None) -> User:
    return await User.create(login=login, full_name=full_name or login.title())


async def make_district(name: str = "Округ") -> District:
    return await District.create(name=name)


async def make_organisation(
    district: District, name: str, kind: OrganisationKind = OrganisationKind.SCHOOL
) -> Organisation:
    return await Organisation.create(district=district, name=name, kind=kind)


async def grant(
    user: User,
    role: Role,
    *,
    district: District | None = None,
    organisation: Organisation | None = None,
) -> RoleGrant:
    return await RoleGrant.create(
        user=user, role=role, district=district, organisation=organisation
    )


def codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
