"""Timings of district reporting (D1–D3) on the database in PORTFOLIO_DATABASE_URL.

Usage (after `portfolio migrate && portfolio demo` on that database):
    PORTFOLIO_DATABASE_URL=sqlite:///tmp/rep.sqlite3 .venv/bin/python bench/bench_reports.py
    PORTFOLIO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports_bench \
        .venv/bin/python bench/bench_reports.py --runs 30

Prints the median and p95 of N warm runs (after two warm-up runs) of each case, both the
domain function alone (the SQL) and the whole request through the app (authentication,
authorization, GraphQL or the spreadsheet, audit). Requests write one audit event each, so
run it on a copy of the demo database, not on a production one.

Region scale on PostgreSQL: load the demo into its own database (`createdb`, `portfolio
migrate`, `portfolio demo`), then run once with `--clone N`: it copies every organisation,
learner, enrollment, consent, assessment and entry of the district N times with fresh ids,
into N new districts (`--into new`, a region; the first district is still the one measured)
or into the measured district itself (`--into same`, one very large district), runs
ANALYZE, and measures. The reports' cost follows the rows of the one district they read:
the coverage statement is one pass over the district's enrollments with index look-ups per
learner (assessment (learner_id, academic_year, period), consent (learner_id, purpose,
withdrawn_at), portfolio_entry (learner_id, event_date)); the statistics statement reads the
district's assessments of one framework, year and period through assessment
(organisation_id, framework_id, academic_year, period).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise, connections

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain import reports
from graphql_api.app import create_app
from graphql_api.authentication import issue_token
from graphql_api.database import tortoise_config
from graphql_api.settings import Settings
from models import DevelopmentArea, District, RoleGrant, User
from models.enums import AssessmentPeriod, Role

YEAR = 2026
PERIOD = AssessmentPeriod.START

COVERAGE = """query($d: ID!, $y: Int!) { coverageReport(districtId: $d, academicYear: $y) {
  rows { organisation { name } enrolled withConsent formed formedShare }
  total { enrolled withConsent formed formedShare } } }"""
STATISTICS = """query($input: DevelopmentStatisticsInput!) { developmentStatistics(input: $input) {
  cells { organisation { name } area { code } indicator { code } level learners suppressed } } }"""


async def timed(work: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float]:
    for _ in range(2):
        await work()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


async def official_of(district: District) -> str:
    grant = await RoleGrant.filter(
        role=Role.DISTRICT_OFFICIAL, district_id=district.id, revoked_at=None
    ).first()
    if grant is None:
        raise SystemExit("no DISTRICT_OFFICIAL in the district: load the demo first")
    return (await User.get(id=grant.user_id)).login


async def run(runs: int, year: int) -> None:
    settings = Settings.from_env()
    secret = settings.jwt_secret or "bench-secret-bench-secret-bench-secret!"
    os.environ["PORTFOLIO_JWT_SECRET"] = secret
    settings = Settings.from_env()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        district = await District.all().order_by("created_at").first()
        if district is None:
            raise SystemExit("no district: run `portfolio demo` first")
        framework = await reports.statistics_framework(reports.PRESCHOOL_FRAMEWORK_CODE)
        area = await DevelopmentArea.filter(framework_id=framework.id).order_by("position").first()
        assert area is not None
        login = await official_of(district)
        headers = {"Authorization": f"Bearer {issue_token(login=login, secret=secret)}"}
        org_level = [reports.StatisticsDimension.ORGANISATION, reports.StatisticsDimension.LEVEL]
        full = [*org_level[:1], reports.StatisticsDimension.INDICATOR, org_level[1]]

        def stats_input(group_by: list[reports.StatisticsDimension], **extra: Any) -> Any:
            return {
                "input": {
                    "districtId": str(district.id),
                    "frameworkCode": framework.code,
                    "academicYear": year,
                    "period": PERIOD.value,
                    "groupBy": [d.value for d in group_by],
                    **extra,
                }
            }

        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def graphql(document: str, variables: Any) -> None:
                response = await client.post(
                    "/graphql", json={"query": document, "variables": variables}, headers=headers
                )
                body = response.json()
                assert "errors" not in body, body

            async def xlsx() -> None:
                response = await client.get(
                    "/reports/coverage.xlsx",
                    params={"districtId": str(district.id), "academicYear": str(year)},
                    headers=headers,
                )
                assert response.status_code == 200, response.text

            cases: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
                (
                    "coverage, SQL",
                    lambda: reports.coverage_report(district_id=district.id, academic_year=year),
                ),
                (
                    "coverage, GraphQL",
                    lambda: graphql(COVERAGE, {"d": str(district.id), "y": year}),
                ),
                ("coverage, .xlsx export", xlsx),
                (
                    "statistics ORGANISATION×LEVEL one area, SQL",
                    lambda: reports.development_statistics(
                        district_id=district.id,
                        framework=framework,
                        academic_year=year,
                        period=PERIOD,
                        group_by=org_level,
                        area_ids=[area.id],
                    ),
                ),
                (
                    "statistics ORGANISATION×LEVEL one area, GraphQL",
                    lambda: graphql(STATISTICS, stats_input(org_level, areaIds=[str(area.id)])),
                ),
                (
                    # One area: at region size all areas exceed the API's cell limit.
                    "statistics ORGANISATION×INDICATOR×LEVEL one area, GraphQL",
                    lambda: graphql(STATISTICS, stats_input(full, areaIds=[str(area.id)])),
                ),
            ]
            backend = connections.get("default").capabilities.dialect
            print(f"backend {backend}, district {district.name!r}, year {year}, {runs} runs")
            for name, work in cases:
                median, p95 = await timed(work, runs)
                print(f"{name:<52} median {median:8.1f} ms   p95 {p95:8.1f} ms")
    finally:
        await Tortoise.close_connections()


async def clone(times: int, *, new_districts: bool) -> None:
    """PostgreSQL only: copy the first district's rows `times` times, into new districts (a
    region of many districts) or into the same one (one very large district)."""
    settings = Settings.from_env()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        conn = connections.get("default")
        if conn.capabilities.dialect != "postgres":
            raise SystemExit("--clone needs PostgreSQL")
        district = await District.all().order_by("created_at").first()
        assert district is not None
        for n in range(1, times + 1):
            start = time.perf_counter()
            target = f"md5('{district.id}/{n}')::uuid" if new_districts else f"'{district.id}'"
            await conn.execute_script(
                _CLONE_SQL.format(
                    district=district.id,
                    n=n,
                    target=target,
                    new_districts="TRUE" if new_districts else "FALSE",
                )
            )
            print(f"copy {n}/{times} in {time.perf_counter() - start:.1f} s", flush=True)
        await conn.execute_script("ANALYZE")
    finally:
        await Tortoise.close_connections()


# Fresh ids derived with md5 so that foreign keys of the copies point at the copies.
_CLONE_SQL = """
BEGIN;
INSERT INTO district (id, name, created_at)
  SELECT md5(id::text || '/{n}')::uuid, name || ' (копия {n})', created_at + interval '1 second'
  FROM district WHERE id = '{district}' AND {new_districts};
CREATE TEMP TABLE org_map ON COMMIT DROP AS
  SELECT id AS old, md5(id::text || '/{n}')::uuid AS new FROM organisation
  WHERE district_id = '{district}' AND name NOT LIKE '% (копия %';
INSERT INTO organisation (id, district_id, name, short_name, kind, created_at)
  SELECT m.new, {target}, o.name || ' (копия {n})', o.short_name, o.kind, o.created_at
  FROM organisation o JOIN org_map m ON m.old = o.id;
CREATE TEMP TABLE group_map ON COMMIT DROP AS
  SELECT g.id AS old, md5(g.id::text || '/{n}')::uuid AS new FROM learner_group g
  JOIN org_map m ON m.old = g.organisation_id;
INSERT INTO learner_group (id, organisation_id, name, academic_year, level, grade, created_at)
  SELECT gm.new, om.new, g.name, g.academic_year, g.level, g.grade, g.created_at
  FROM learner_group g JOIN group_map gm ON gm.old = g.id
  JOIN org_map om ON om.old = g.organisation_id;
CREATE TEMP TABLE learner_map ON COMMIT DROP AS
  SELECT l.id AS old, md5(l.id::text || '/{n}')::uuid AS new FROM learner l
  JOIN org_map m ON m.old = l.created_by_organisation_id;
INSERT INTO learner (id, district_id, created_by_organisation_id, last_name, first_name,
    middle_name, birth_date, health_group, special_needs, name_key, last_name_key, created_at)
  SELECT lm.new, {target}, om.new, l.last_name, l.first_name, l.middle_name,
    l.birth_date, l.health_group, l.special_needs, l.name_key || '|{n}', l.last_name_key,
    l.created_at
  FROM learner l JOIN learner_map lm ON lm.old = l.id
  JOIN org_map om ON om.old = l.created_by_organisation_id;
INSERT INTO enrollment (id, learner_id, group_id, organisation_id, academic_year, start_date,
    end_date, created_at)
  SELECT md5(e.id::text || '/{n}')::uuid, lm.new, gm.new, om.new, e.academic_year,
    e.start_date, e.end_date, e.created_at
  FROM enrollment e JOIN learner_map lm ON lm.old = e.learner_id
  JOIN group_map gm ON gm.old = e.group_id JOIN org_map om ON om.old = e.organisation_id;
INSERT INTO consent (id, learner_id, purpose, given_by_id, recorded_by_id, document_ref,
    given_at, withdrawn_at, withdrawn_by_id)
  SELECT md5(c.id::text || '/{n}')::uuid, lm.new, c.purpose, c.given_by_id, c.recorded_by_id,
    c.document_ref, c.given_at, c.withdrawn_at, c.withdrawn_by_id
  FROM consent c JOIN learner_map lm ON lm.old = c.learner_id;
INSERT INTO assessment (id, learner_id, indicator_id, area_id, framework_id, academic_year,
    period, level, comment, organisation_id, assessed_by_id, assessed_at)
  SELECT md5(a.id::text || '/{n}')::uuid, lm.new, a.indicator_id, a.area_id, a.framework_id,
    a.academic_year, a.period, a.level, a.comment, om.new, a.assessed_by_id, a.assessed_at
  FROM assessment a JOIN learner_map lm ON lm.old = a.learner_id
  JOIN org_map om ON om.old = a.organisation_id;
INSERT INTO portfolio_entry (id, learner_id, category, level, title, description, result,
    event_date, status, organisation_id, submitted_by_id, verified_by_id,
    verification_comment, version, created_at, updated_at)
  SELECT md5(p.id::text || '/{n}')::uuid, lm.new, p.category, p.level, p.title,
    p.description, p.result, p.event_date, p.status, om.new, p.submitted_by_id,
    p.verified_by_id, p.verification_comment, p.version, p.created_at, p.updated_at
  FROM portfolio_entry p JOIN learner_map lm ON lm.old = p.learner_id
  JOIN org_map om ON om.old = p.organisation_id;
COMMIT;
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=YEAR)
    parser.add_argument(
        "--clone", type=int, default=0, help="PostgreSQL: multiply the district N times first"
    )
    parser.add_argument(
        "--into",
        choices=("new", "same"),
        default="new",
        help="copies go into new districts (a region) or into the measured district",
    )
    args = parser.parse_args()
    if args.clone:
        asyncio.run(clone(args.clone, new_districts=args.into == "new"))
    asyncio.run(run(args.runs, args.year))


if __name__ == "__main__":
    main()
