"""Academic years are identified by their starting year: 2026 = 2026/27, 1 Sep – 31 Aug."""

from __future__ import annotations

import datetime as dt


def academic_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def academic_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
