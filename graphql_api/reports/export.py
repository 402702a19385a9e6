"""GET /reports/coverage.xlsx and /reports/coverage.csv: the D1 справка as a spreadsheet.

The endpoints sit behind the same gate as /graphql (request id, bearer token, time limit) and
share the query's authorization and audit (`authorized_coverage`, action `export`), so a file
never shows more than the query would.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import request_response
from starlette.types import ASGIApp

from authz.audit import AuditRecorder
from authz.authorizer import Authorizer
from domain.errors import BadInput, DomainError
from graphql_api.context import Context
from graphql_api.pagination import parse_id
from graphql_api.reports.queries import AuthorizedCoverage, authorized_coverage
from graphql_api.settings import Settings
from models.enums import OrganisationKind

ExportFormat = Literal["xlsx", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("xlsx", "csv")

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_DELIMITER = ";"
HEADER = (
    "Организация",
    "Вид организации",
    "Зачислено обучающихся",
    "С действующим согласием на обработку персональных данных",
    "Портфолио сформировано",
    "Доля сформированных портфолио",
)
TOTAL_LABEL = "Итого"
KIND_LABELS = {
    OrganisationKind.PRESCHOOL: "ДОО",
    OrganisationKind.SCHOOL: "ОО",
    OrganisationKind.ADDITIONAL_EDUCATION: "УДО",
}
_STATUS = {"BAD_USER_INPUT": 400, "UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404}


def report_title(district_name: str, academic_year: int) -> str:
    return (
        "Справка об охвате обучающихся цифровым портфолио, "
        f"{academic_year}/{(academic_year + 1) % 100:02d} учебный год, {district_name}"
    )


def coverage_table(result: AuthorizedCoverage) -> list[list[Any]]:
    """Data rows and the total row, numbers kept as numbers (share as a fraction 0–1)."""
    rows: list[list[Any]] = []
    for line in result.coverage.lines:
        c = line.counts
        kind = KIND_LABELS.get(OrganisationKind(line.organisation.kind), "")
        rows.append(
            [line.organisation.name, kind, c.enrolled, c.with_consent, c.formed, c.formed_share]
        )
    t = result.coverage.total
    rows.append([TOTAL_LABEL, "", t.enrolled, t.with_consent, t.formed, t.formed_share])
    return rows


def coverage_xlsx(result: AuthorizedCoverage) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Охват"
    sheet.append([report_title(result.district.name, result.coverage.academic_year)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    table = coverage_table(result)
    for values in table:
        sheet.append(values)
        sheet.cell(row=sheet.max_row, column=len(HEADER)).number_format = "0.0%"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (60, 10, 14, 20, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_number(value: Any) -> Any:
    # Excel in the Russian locale reads "0,375" as a number and "0.375" as text or a date.
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return value


def coverage_csv(result: AuthorizedCoverage) -> bytes:
    """`;`-separated with a UTF-8 BOM: what Excel opens with Cyrillic intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([report_title(result.district.name, result.coverage.academic_year)])
    writer.writerow(HEADER)
    for values in coverage_table(result):
        writer.writerow([_csv_number(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _error(status: int, code: str, message: str, request_id: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]},
        status_code=status,
    )


def _year(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        raise BadInput(
            f"academicYear: {raw!r} is not a starting year such as 2026", field="academicYear"
        ) from None


def coverage_export(settings: Settings, authorizer: Authorizer, fmt: ExportFormat) -> ASGIApp:
    """The endpoint for one format; mount it behind the authentication gate."""
    render: Callable[[AuthorizedCoverage], bytes] = coverage_xlsx if fmt == "xlsx" else coverage_csv
    media_type = XLSX_MEDIA_TYPE if fmt == "xlsx" else CSV_MEDIA_TYPE

    async def endpoint(request: Request) -> Response:
        state = request.scope.get("state", {})
        request_id = state.get("request_id") or uuid.uuid4().hex
        principal = state.get("principal")
        if principal is None:
            return _error(401, "UNAUTHENTICATED", "Authentication required", request_id)
        ctx = Context(
            request_id=request_id,
            settings=settings,
            authorizer=authorizer,
            principal=principal,
            audit=AuditRecorder(request_id=request_id),
        )
        params = request.query_params
        try:
            result = await authorized_coverage(
                ctx,
                action="export",
                district_id=parse_id(params.get("districtId"), "districtId"),
                academic_year=_year(params.get("academicYear")),
                organisation_id=(
                    parse_id(params["organisationId"], "organisationId")
                    if params.get("organisationId")
                    else None
                ),
            )
        except DomainError as exc:
            await ctx.audit.flush()
            return _error(_STATUS.get(exc.code, 400), exc.code, exc.message, request_id)
        await ctx.audit.flush()
        if result is None:
            return _error(404, "NOT_FOUND", "no such district or organisation", request_id)
        filename = f"coverage-{result.coverage.academic_year}.{fmt}"
        return Response(
            render(result),
            media_type=media_type,
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )

    handler: Callable[[Request], Awaitable[Response]] = endpoint
    return request_response(handler)
