"""The coverage справка as .xlsx and .csv: same numbers, authorization and audit as the query."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from models import AuditEvent
from tests.helpers import client, token
from tests.test_reports import COVERAGE, YEAR, World, build_coverage_world

TITLE = (
    "Справка об охвате обучающихся цифровым портфолио, 2026/27 учебный год, "
    "Новооскольский городской округ"
)
HEADER = [
    "Организация",
    "Вид организации",
    "Зачислено обучающихся",
    "С действующим согласием на обработку персональных данных",
    "Портфолио сформировано",
    "Доля сформированных портфолио",
]
KINDS = {"PRESCHOOL": "ДОО", "SCHOOL": "ОО", "ADDITIONAL_EDUCATION": "УДО"}


async def export(fmt: str, world: World, login: str | None, **params: Any) -> httpx.Response:
    query = {"districtId": str(world.district.id), "academicYear": str(YEAR), **params}
    headers = {"Authorization": f"Bearer {token(login)}"} if login else {}
    return await client().client.get(f"/reports/coverage.{fmt}", params=query, headers=headers)


async def expected_table(world: World, login: str, **variables: Any) -> list[list[Any]]:
    """The rows of the coverageReport query, as the spreadsheet should show them."""
    body = await client().query(
        COVERAGE, {"d": str(world.district.id), "y": YEAR, **variables}, login=login
    )
    report = body["data"]["coverageReport"]
    rows = [
        [
            r["organisation"]["name"],
            KINDS[r["organisation"]["kind"]],
            r["enrolled"],
            r["withConsent"],
            r["formed"],
            r["formedShare"],
        ]
        for r in report["rows"]
    ]
    t = report["total"]
    rows.append(["Итого", "", t["enrolled"], t["withConsent"], t["formed"], t["formedShare"]])
    return rows


def read_xlsx(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel reads Cyrillic"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("login", ["official", "operator"])
def test_xlsx_matches_the_query(db, login):
    async def work():
        world = await build_coverage_world()
        response = await export("xlsx", world, login)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "attachment" in response.headers["content-disposition"]
        rows = read_xlsx(response.content)
        assert rows[0][0] == TITLE
        assert rows[1] == HEADER
        body = rows[2:]
        expected = await expected_table(world, login)
        assert len(body) == len(expected) == 5
        for got, want in zip(body, expected, strict=True):
            assert got[0] == want[0] and (got[1] or "") == want[1]
            # Numbers are numeric cells, not text.
            assert all(isinstance(v, int) for v in got[2:5]) and got[2:5] == want[2:5]
            assert isinstance(got[5], int | float) and got[5] == pytest.approx(want[5])
        assert body[-1][0] == "Итого" and body[-1][2:5] == [10, 9, 4]

    db.run(work)


def test_xlsx_share_is_formatted_as_percent(db):
    async def work():
        world = await build_coverage_world()
        response = await export("xlsx", world, "official")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.cell(row=3, column=6).number_format == "0.0%"
        assert sheet.cell(row=3, column=3).data_type == "n"

    db.run(work)


def test_csv_matches_the_query(db):
    async def work():
        world = await build_coverage_world()
        response = await export("csv", world, "official")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = read_csv(response.content)
        assert rows[0] == [TITLE]
        assert rows[1] == HEADER
        expected = await expected_table(world, "official")
        assert len(rows[2:]) == len(expected)
        for got, want in zip(rows[2:], expected, strict=True):
            assert got[:2] == want[:2]
            assert [int(v) for v in got[2:5]] == want[2:5]
            # Decimal comma: the Russian Excel locale reads it as a number.
            assert "." not in got[5]
            assert float(got[5].replace(",", ".")) == pytest.approx(want[5], abs=5e-5)

    db.run(work)


def test_org_admin_exports_only_own_row(db):
    async def work():
        world = await build_coverage_world()
        rows = read_csv((await export("csv", world, "admin_s")).content)
        assert [r[0] for r in rows[2:]] == ["СОШ № 2", "Итого"]
        assert rows[2][2:5] == rows[3][2:5] == ["6", "6", "3"]
        xlsx = read_xlsx((await export("xlsx", world, "admin_s")).content)
        assert [r[0] for r in xlsx[2:]] == ["СОШ № 2", "Итого"]
        other = await export("csv", world, "admin_s", organisationId=str(world.orgs["kg"].id))
        assert other.status_code == 404
        one = await export("csv", world, "official", organisationId=str(world.orgs["kg"].id))
        assert [r[0] for r in read_csv(one.content)[2:]] == ["Детский сад № 1", "Итого"]

    db.run(work)


def _error_code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_refusals_and_bad_parameters(db, fmt):
    async def work():
        world = await build_coverage_world()
        missing = await export(fmt, world, None)
        assert missing.status_code == 401 and _error_code(missing) == "UNAUTHENTICATED"
        forged = await client().client.get(
            f"/reports/coverage.{fmt}",
            params={"districtId": str(world.district.id), "academicYear": str(YEAR)},
            headers={"Authorization": "Bearer not-a-token"},
        )
        assert forged.status_code == 401
        for login in ("educator", "guardian", "auditor"):
            refused = await export(fmt, world, login)
            assert refused.status_code == 403 and _error_code(refused) == "FORBIDDEN"
        foreign = await export(fmt, world, "foreign_official")
        assert foreign.status_code == 404 and _error_code(foreign) == "NOT_FOUND"
        bad_year = await export(fmt, world, "official", academicYear="next")
        assert bad_year.status_code == 400 and _error_code(bad_year) == "BAD_USER_INPUT"
        bad_range = await export(fmt, world, "official", academicYear="1900")
        assert bad_range.status_code == 400
        bad_id = await export(fmt, world, "official", districtId="x")
        assert bad_id.status_code == 400 and "districtId" in bad_id.json()["errors"][0]["message"]

    db.run(work)


def test_export_is_audited_like_the_query(db):
    async def work():
        world = await build_coverage_world()
        await export("xlsx", world, "official")
        await export("csv", world, "educator")
        events = await AuditEvent.filter(resource="coverage_report").order_by("seq")
        assert [(e.action, e.decision, e.clause, e.learner_id) for e in events] == [
            ("export", "ALLOW", "D1", None),
            ("export", "DENY", "R11", None),
        ]

    db.run(work)
