"""Cost of the regulation as code: decisions, scopes, audit, verification.

Usage: PORTFOLIO_DATABASE_URL=sqlite://demo.sqlite3 .venv/bin/python bench/bench_authz.py
       [--grants 100000 --organisations 1000]
With --grants, the database first gets that many role grants spread over that many
organisations (added once, to a district named «Нагрузочный округ»), so the figures show
authorization at region size.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from authz.audit import PendingEvent, append_events, verify_chain
from authz.authorizer import Authorizer
from authz.policy import Policy
from authz.principal import load_principal
from authz.scopes import assessment_filter, learner_filter
from domain.regulation import who_can_access
from graphql_api.database import tortoise_config
from graphql_api.settings import Settings
from models import (
    Assessment,
    District,
    GroupStaff,
    Guardianship,
    Learner,
    Organisation,
    RoleGrant,
    User,
)
from models.enums import Decision, Role


def timed(fn: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


async def atimed(fn: Callable[[], Awaitable[Any]], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


LOAD_DISTRICT = "Нагрузочный округ"


async def add_synthetic_grants(grants: int, organisations: int) -> None:
    """Users with EDUCATOR/PSYCHOLOGIST/ORG_ADMIN grants over `organisations` organisations."""
    from models import Organisation
    from models.enums import OrganisationKind

    if await District.filter(name=LOAD_DISTRICT).exists():
        return
    started = time.perf_counter()
    district = await District.create(name=LOAD_DISTRICT)
    orgs = [
        Organisation(
            id=uuid.uuid4(),
            district_id=district.id,
            name=f"Организация {n}",
            kind=OrganisationKind.SCHOOL,
        )
        for n in range(organisations)
    ]
    await Organisation.bulk_create(orgs, batch_size=1000)
    roles = [Role.EDUCATOR] * 8 + [Role.PSYCHOLOGIST, Role.ORG_ADMIN]
    for offset in range(0, grants, 10_000):
        users = [
            User(id=uuid.uuid4(), login=f"load{offset + n}", full_name="Нагрузочный")
            for n in range(min(10_000, grants - offset))
        ]
        await User.bulk_create(users, batch_size=1000)
        await RoleGrant.bulk_create(
            [
                RoleGrant(
                    id=uuid.uuid4(),
                    user_id=u.id,
                    role=roles[n % len(roles)],
                    organisation_id=orgs[(offset + n) % organisations].id,
                )
                for n, u in enumerate(users)
            ],
            batch_size=1000,
        )
    print(
        f"added {grants} grants over {organisations} organisations in"
        f" {time.perf_counter() - started:.1f} s"
    )


async def run(grants: int, organisations: int) -> None:
    settings = Settings.from_env()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        if grants:
            await add_synthetic_grants(grants, organisations)
        policy = Policy()
        authorizer = Authorizer(policy)
        print(f"policy rows: {len(policy.rules)}")
        uncached = timed(lambda: policy.enforcer.enforce("EDUCATOR", "*", "entry", "read"), 200)
        cached = timed(lambda: policy.allows("EDUCATOR", "entry", "read"), 2000)
        print(f"casbin enforce: {uncached:.0f} µs; memoised decision: {cached:.2f} µs")
        supervisor = await GroupStaff.filter(supervisor=True).first()
        assert supervisor is not None
        teacher = await load_principal(await User.get(id=supervisor.user_id))
        admin_grant = await RoleGrant.filter(role=Role.ORG_ADMIN).first()
        assert admin_grant is not None
        admin = await load_principal(await User.get(id=admin_grant.user_id))
        parent = await load_principal(await User.get(login="parent"))
        decide = timed(lambda: authorizer.decide(teacher, "read", "learner"), 2000)
        print(f"authorizer.decide (one operation): {decide:.1f} µs")
        teacher_user = await User.get(id=teacher.user_id)
        ms = await atimed(lambda: load_principal(teacher_user), 50)
        print(f"load_principal (one query): {ms:.2f} ms")
        print(
            f"role grants in the database: {await RoleGrant.all().count()};"
            f" organisations: {await Organisation.all().count()}"
        )
        for name, principal in (("teacher", teacher), ("org admin", admin), ("guardian", parent)):
            decision = authorizer.decide(principal, "read", "learner")
            today = principal.today
            count = await Learner.filter(learner_filter(decision, today)).count()
            ms = await atimed(
                lambda d=decision, t=today: Learner.filter(learner_filter(d, t)).limit(100), 20
            )
            ordinary = authorizer.decide(principal, "read", "assessment")
            sensitive = authorizer.decide(principal, "read", "sensitive_assessment")
            visible = await Assessment.filter(assessment_filter(ordinary, sensitive, today)).count()
            print(
                f"{name:10} sees {count:5d} learners, {visible:7d} assessments;"
                f" scoped page of 100: {ms:.1f} ms"
            )
        child = await Guardianship.filter(user_id=parent.user_id).first()
        assert child is not None
        ms = await atimed(
            lambda: who_can_access(learner_id=child.learner_id, today=parent.today), 20
        )
        print(f"whoCanAccess: {ms:.1f} ms")
        district = await District.first()
        assert district is not None
        events = [
            PendingEvent(
                district.id,
                teacher.user_id,
                "EDUCATOR",
                None,
                "read",
                "learner",
                "roster",
                uuid.uuid4(),
                Decision.ALLOW,
                "R6",
            )
            for _ in range(100)
        ]
        conn = Tortoise.get_connection("default")

        async def append() -> None:
            async with conn._in_transaction() as tx:
                await append_events(events, request_id="bench", connection=tx)

        ms = await atimed(append, 20)
        print(f"audit batch of 100 events: {ms:.1f} ms")
        started = time.perf_counter()
        status = await verify_chain(district.id)
        print(
            f"verifyAuditLog: {status.events} events in"
            f" {(time.perf_counter() - started) * 1000:.0f} ms, valid={status.valid}"
        )
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grants", type=int, default=0)
    parser.add_argument("--organisations", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.grants, args.organisations))
