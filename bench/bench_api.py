"""Latency of the main screens on the demo district, one in-process worker.

Usage (after `portfolio migrate && portfolio demo` on that database):
    PORTFOLIO_DATABASE_URL=sqlite://demo.sqlite3 .venv/bin/python bench/bench_api.py [--runs 50]
Prints the median, p95 and SQL statements per operation; the documents are in bench/documents.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphql_api.app import create_app
from graphql_api.authentication import issue_token
from graphql_api.database import tortoise_config
from graphql_api.settings import Settings
from models import Enrollment, Group, GroupStaff, Guardianship, RoleGrant, User
from models.enums import Role
from tests.sql_counter import count_statements

DOCUMENTS = Path(__file__).resolve().parent / "documents"
YEAR = 2026


async def pick_subjects() -> dict[str, Any]:
    """The supervisor of the largest current group, the demo parent, an org admin."""
    sizes: dict[Any, int] = {}
    for group_id in await Enrollment.filter(academic_year=YEAR, end_date=None).values_list(
        "group_id", flat=True
    ):
        sizes[group_id] = sizes.get(group_id, 0) + 1
    groups = {g.id: g for g in await Group.filter(id__in=list(sizes))}
    staffed = await GroupStaff.filter(group_id__in=list(sizes), supervisor=True)
    best = max(staffed, key=lambda s: (sizes[s.group_id], str(s.group_id)))
    teacher = await User.get(id=best.user_id)
    parent = await User.get(login="parent")
    child = await Guardianship.filter(user_id=parent.id).first()
    assert child is not None
    admin_grant = await RoleGrant.filter(
        role=Role.ORG_ADMIN, organisation_id=groups[best.group_id].organisation_id
    ).first()
    assert admin_grant is not None
    admin = await User.get(id=admin_grant.user_id)
    return {
        "teacher": teacher.login,
        "group_id": str(best.group_id),
        "group_size": sizes[best.group_id],
        "parent": parent.login,
        "child_id": str(child.learner_id),
        "admin": admin.login,
    }


async def run(runs: int) -> None:
    settings = Settings.from_env()
    secret = settings.jwt_secret or "bench-secret-bench-secret-bench-secret!"
    os.environ["PORTFOLIO_JWT_SECRET"] = secret
    settings = Settings.from_env()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        subjects = await pick_subjects()
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            cases = [
                (
                    "teacher group view",
                    "teacher_group_view.graphql",
                    subjects["teacher"],
                    {"groupId": subjects["group_id"], "year": YEAR},
                ),
                (
                    "guardian full portfolio",
                    "guardian_portfolio.graphql",
                    subjects["parent"],
                    {"learnerId": subjects["child_id"]},
                ),
                ("page of 100 learners", "learners_page.graphql", subjects["admin"], {}),
            ]
            backend = settings.database_url.split(":")[0]
            print(f"backend {backend}; group of {subjects['group_size']} learners; {runs} runs")
            print(f"{'operation':26} {'median ms':>10} {'p95 ms':>8} {'statements':>11}")
            for name, path, login, variables in cases:
                document = (DOCUMENTS / path).read_text(encoding="utf-8")
                headers = {"Authorization": f"Bearer {issue_token(login=login, secret=secret)}"}
                payload = {"query": document, "variables": variables}
                body = (await client.post("/graphql", json=payload, headers=headers)).json()
                if body.get("errors"):
                    raise SystemExit(f"{name}: {body['errors']}")
                with count_statements() as statements:
                    await client.post("/graphql", json=payload, headers=headers)
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = await client.post("/graphql", json=payload, headers=headers)
                    timings.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                timings.sort()
                p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
                print(
                    f"{name:26} {statistics.median(timings):10.1f} {p95:8.1f} {len(statements):11d}"
                )
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(run(args.runs))


if __name__ == "__main__":
    main()
