"""The service end to end over ASGI: health, readiness, authentication, limits, me, frameworks."""

from __future__ import annotations

import datetime as dt

import jwt

from models.enums import Role
from tests.helpers import client, codes, grant, make_district, make_user

ME = "{ me { user { login fullName } grants { role district { name } organisation { name } } } }"


def test_healthz_and_readyz(db):
    async def work():
        c = client()
        assert (await c.client.get("/healthz")).json() == {"status": "ok"}
        ready = await c.client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"status": "ready"}

    db.run(work)


def test_me_returns_user_and_grants(db):
    async def work():
        district = await make_district("Округ А")
        user = await make_user("op", "Оператор Округа")
        await grant(user, Role.DISTRICT_OPERATOR, district=district)
        body = await client().query(ME, login="op")
        assert body["data"]["me"] == {
            "user": {"login": "op", "fullName": "Оператор Округа"},
            "grants": [
                {"role": "DISTRICT_OPERATOR", "district": {"name": "Округ А"}, "organisation": None}
            ],
        }

    db.run(work)


def test_missing_token_gives_unauthenticated(db):
    async def work():
        body = await client().query(ME)
        assert codes(body) == ["UNAUTHENTICATED"]

    db.run(work)


def test_bad_tokens_are_refused_without_detail(db):
    async def work():
        await make_user("someone")
        c = client()
        expired = jwt.encode(
            {"sub": "someone", "exp": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)},
            "test-secret-with-enough-length-for-hs256!",
            algorithm="HS256",
        )
        wrong = jwt.encode(
            {"sub": "someone", "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)},
            "another-secret-another-secret-another!",
            algorithm="HS256",
        )
        unknown = jwt.encode(
            {"sub": "nobody", "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)},
            "test-secret-with-enough-length-for-hs256!",
            algorithm="HS256",
        )
        for token in (expired, wrong, unknown, "not-a-jwt"):
            body = await c.query(ME, headers={"Authorization": f"Bearer {token}"})
            assert body["_status"] == 401
            assert codes(body) == ["UNAUTHENTICATED"]
            assert body["errors"][0]["message"] == "invalid or expired token"

    db.run(work)


def test_frameworks_catalogue_installed_by_migration(db):
    async def work():
        user = await make_user("op")
        await grant(user, Role.DISTRICT_OPERATOR, district=await make_district())
        body = await client().query(
            "{ frameworks(level: PRESCHOOL) { code sensitive scale { value label }"
            " areas { code name indicators { code name area { code } } } } }",
            login="op",
        )
        frameworks = {f["code"]: f for f in body["data"]["frameworks"]}
        assert set(frameworks) == {"FGOS_DO", "SCHOOL_READINESS", "PSYCHOLOGICAL"}
        fgos = frameworks["FGOS_DO"]
        assert [s["label"] for s in fgos["scale"]] == [
            "не сформирован",
            "в стадии формирования",
            "сформирован",
        ]
        assert len(fgos["areas"]) == 5
        assert all(3 <= len(a["indicators"]) <= 6 for a in fgos["areas"])
        assert frameworks["PSYCHOLOGICAL"]["sensitive"] is True
        assert fgos["areas"][0]["indicators"][0]["area"]["code"] == fgos["areas"][0]["code"]

    db.run(work)


def test_request_id_in_header_and_errors(db):
    async def work():
        c = client()
        response = await c.client.post(
            "/graphql", json={"query": ME}, headers={"X-Request-Id": "req-123"}
        )
        assert response.headers["x-request-id"] == "req-123"
        assert response.json()["errors"][0]["extensions"]["requestId"] == "req-123"

    db.run(work)


def test_body_limit_and_batching_refused(db):
    async def work():
        c = client()
        big = await c.client.post(
            "/graphql",
            content=b'{"query": "' + b"a" * 1_100_000 + b'"}',
            headers={"content-type": "application/json"},
        )
        assert big.status_code == 413
        batch = await c.client.post("/graphql", json=[{"query": ME}, {"query": ME}])
        assert batch.status_code == 400

    db.run(work)


def test_production_hides_ide_introspection_and_suggestions(db):
    async def work():
        await make_user("op")
        prod = client("production")
        ide = await prod.client.get("/graphql", headers={"accept": "text/html"})
        assert ide.status_code != 200 or "graphiql" not in ide.text.lower()
        body = await prod.query("{ __schema { types { name } } }", login="op")
        assert body.get("data") is None and body["errors"]
        typo = await prod.query("{ mee { user { login } } }", login="op")
        assert "Did you mean" not in typo["errors"][0]["message"]
        dev = client("development")
        assert (
            "graphiql"
            in (await dev.client.get("/graphql", headers={"accept": "text/html"})).text.lower()
        )
        dev_typo = await dev.query("{ mee { user { login } } }", login="op")
        assert "Did you mean" in dev_typo["errors"][0]["message"]

    db.run(work)


def test_depth_and_alias_limits(db):
    async def work():
        await make_user("op")
        c = client()
        deep = (
            "{ frameworks { areas { framework { areas { framework { areas { framework {"
            " areas { framework { areas { framework { areas { code } } } } } } } } } } } } }"
        )
        body = await c.query(deep, login="op")
        assert body["errors"] and "depth" in body["errors"][0]["message"].lower()
        aliases = "{ " + " ".join(f"a{i}: me {{ user {{ login }} }}" for i in range(31)) + " }"
        body = await c.query(aliases, login="op")
        assert body["errors"] and "alias" in body["errors"][0]["message"].lower()

    db.run(work)


def test_token_limit(db):
    async def work():
        await make_user("op")
        fields = " ".join(f"f{i}: __typename" for i in range(1100))
        body = await client().query("{ " + fields + " }", login="op")
        assert body["errors"] and "token" in body["errors"][0]["message"].lower()

    db.run(work)


def test_request_time_limit(db, monkeypatch):
    import asyncio

    import httpx

    from graphql_api.app import create_app
    from graphql_api.frameworks import queries
    from tests.helpers import GraphQLClient, settings

    class SlowQuery:
        def order_by(self, *args):
            return self

        def filter(self, **kwargs):
            return self

        def __await__(self):
            return asyncio.sleep(3, result=[]).__await__()

    class SlowFramework:
        @staticmethod
        def all():
            return SlowQuery()

    monkeypatch.setattr(queries, "Framework", SlowFramework)

    async def work():
        await grant(await make_user("op"), Role.DISTRICT_OPERATOR, district=await make_district())
        app = create_app(settings(PORTFOLIO_REQUEST_TIMEOUT_SECONDS="1"), manage_database=False)
        c = GraphQLClient(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        )
        body = await c.query("{ frameworks { code } }", login="op")
        assert body["_status"] == 503 and codes(body) == ["TIMEOUT"]

    db.run(work)
