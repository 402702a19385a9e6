"""The Starlette application: /graphql, /healthz, /readyz, request ids, limits, authentication."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

from authz.audit import AuditRecorder
from authz.authorizer import Authorizer
from authz.principal import Principal, load_principal
from graphql_api.authentication import AuthenticationError, AuthSettings, TokenVerifier
from graphql_api.context import Context
from graphql_api.database import tortoise_config
from graphql_api.reports.export import EXPORT_FORMATS, coverage_export
from graphql_api.schema import build_schema
from graphql_api.settings import Settings
from models import User

logger = logging.getLogger("portfolio.http")
REQUEST_ID_HEADER = "x-request-id"


def _error_response(status: int, code: str, message: str, request_id: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]},
        status_code=status,
        headers={REQUEST_ID_HEADER: request_id},
    )


class PortfolioGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.authorizer = Authorizer()

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.scope.get("state", {})
        return Context(
            request_id=state.get("request_id", uuid.uuid4().hex),
            settings=self.settings,
            authorizer=self.authorizer,
            principal=state.get("principal"),
            audit=AuditRecorder(request_id=state.get("request_id", "")),
        )


class GraphQLGate:
    """Request id, body size limit, bearer authentication and the time limit, before GraphQL."""

    def __init__(self, app: ASGIApp, settings: Settings, verifier: TokenVerifier) -> None:
        self.app = app
        self.settings = settings
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        request_id = request_id[:64]
        scope.setdefault("state", {})["request_id"] = request_id
        if request.method == "POST":
            body = await request.body()
            if len(body) > self.settings.max_body_bytes:
                await _error_response(
                    413,
                    "BAD_USER_INPUT",
                    f"request body exceeds {self.settings.max_body_bytes} bytes",
                    request_id,
                )(scope, receive, send)
                return
            if body.lstrip().startswith(b"["):
                await _error_response(
                    400, "BAD_USER_INPUT", "batched operations are not accepted", request_id
                )(scope, receive, send)
                return
            receive = _replay(body)
        try:
            scope["state"]["principal"] = await self._principal(request)
        except AuthenticationError:
            await _error_response(401, "UNAUTHENTICATED", "invalid or expired token", request_id)(
                scope, receive, send
            )
            return

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (REQUEST_ID_HEADER.encode(), request_id.encode())
                )
            await send(message)

        try:
            async with asyncio.timeout(self.settings.request_timeout_seconds):
                await self.app(scope, receive, send_with_id)
        except TimeoutError:
            logger.warning("request timed out request_id=%s", request_id)
            await _error_response(
                503, "TIMEOUT", "the request took longer than the time limit", request_id
            )(scope, receive, send)

    async def _principal(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError()
        login = await self.verifier.verify(token.strip())
        user = await User.filter(login=login).first()
        if user is None:
            raise AuthenticationError()
        return await load_principal(user)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    try:
        connection = Tortoise.get_connection("default")
        await connection.execute_query("SELECT 1")
    except Exception:  # the readiness probe must answer, whatever the database says
        logger.exception("database not reachable")
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ready"})


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """Build the app; `manage_database=False` when the caller has initialised tortoise."""
    settings = settings or Settings.from_env()
    auth_settings = AuthSettings.from_env()
    verifier = TokenVerifier(auth_settings)
    schema = build_schema(production=not settings.development)
    graphql_app = PortfolioGraphQL(
        settings,
        schema=schema,
        graphql_ide="graphiql" if settings.development else None,
        allow_queries_via_get=False,
    )
    gate = GraphQLGate(graphql_app, settings, verifier)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            yield

    return Starlette(
        routes=[
            Route("/graphql", gate, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *(
                Route(
                    f"/reports/coverage.{fmt}",
                    GraphQLGate(
                        coverage_export(settings, graphql_app.authorizer, fmt), settings, verifier
                    ),
                    methods=["GET"],
                )
                for fmt in EXPORT_FORMATS
            ),
        ],
        lifespan=lifespan,
    )
