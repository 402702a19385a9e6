"""C2 erasure (`portfolio erase-due`): 30 days after a PROCESSING withdrawal, once, in batches."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from authz.audit import pseudonym, verify_chain
from domain.erasure import REASON, erase_due
from models import (
    Assessment,
    AssessmentRevision,
    AuditEvent,
    Consent,
    DestructionRecord,
    Framework,
    Indicator,
    Learner,
    PortfolioEntry,
    User,
)
from models.enums import (
    AssessmentPeriod,
    ConsentPurpose,
    EntryCategory,
    EntryLevel,
    EntryStatus,
    OrganisationKind,
)
from tests.conftest import IS_POSTGRES
from tests.helpers import make_district, make_organisation, make_user
from tests.test_learner_mutations import make_learner

WITHDRAWN = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
DAY_30 = WITHDRAWN.date() + dt.timedelta(days=30)
DAY_31 = WITHDRAWN.date() + dt.timedelta(days=31)
KEY = "test-pseudonym-key"


async def world() -> dict[str, Any]:
    district = await make_district("Округ")
    kg = await make_organisation(district, "Детский сад № 2", OrganisationKind.PRESCHOOL)
    staff = await make_user("educator")
    fgos = await Framework.get(code="FGOS_DO")
    indicator = await Indicator.filter(area__framework_id=fgos.id).order_by("code").first()
    return {"district": district, "kg": kg, "staff": staff, "fgos": fgos, "indicator": indicator}


async def learner_with_content(
    w: dict[str, Any], name: str, *, withdrawn_at: dt.datetime | None = WITHDRAWN
) -> Learner:
    """A learner with two assessments (one re-recorded), an entry and a PROCESSING consent."""
    learner = await make_learner(w["kg"], name)
    staff: User = w["staff"]
    for period in (AssessmentPeriod.START, AssessmentPeriod.END):
        row = await Assessment.create(
            learner=learner,
            indicator=w["indicator"],
            area_id=w["indicator"].area_id,
            framework=w["fgos"],
            academic_year=2025,
            period=period,
            level=2,
            organisation=w["kg"],
            assessed_by=staff,
            assessed_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
        )
    await AssessmentRevision.create(
        assessment=row,
        level=1,
        assessed_by=staff,
        assessed_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
        replaced_at=dt.datetime(2025, 10, 2, tzinfo=dt.UTC),
    )
    await PortfolioEntry.create(
        learner=learner,
        category=EntryCategory.CREATIVE,
        level=EntryLevel.ORGANISATION,
        title="Рисунок",
        event_date=dt.date(2025, 11, 1),
        status=EntryStatus.VERIFIED,
        organisation=w["kg"],
        submitted_by=staff,
    )
    await Consent.create(
        learner=learner,
        purpose=ConsentPurpose.PROCESSING,
        recorded_by=staff,
        document_ref="Б-1",
        given_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
        withdrawn_at=withdrawn_at,
        withdrawn_by=staff if withdrawn_at else None,
    )
    return learner


async def content(learner: Learner) -> tuple[int, int, int]:
    return (
        await Assessment.filter(learner_id=learner.id).count(),
        await AssessmentRevision.filter(assessment__learner_id=learner.id).count(),
        await PortfolioEntry.filter(learner_id=learner.id).count(),
    )


def test_erasure_waits_30_days_then_erases_once(db):
    async def work():
        w = await world()
        learner = await learner_with_content(w, "Отозвавшая")
        kept = await learner_with_content(w, "Согласная", withdrawn_at=None)

        early = await erase_due(today=DAY_30, pseudonym_key=KEY)
        assert early.learners == 0 and await content(learner) == (2, 1, 1)

        summary = await erase_due(today=DAY_31, pseudonym_key=KEY)
        assert summary.learners == 1
        assert summary.as_dict()["erased"] == {
            "assessments": 2,
            "assessment_revisions": 1,
            "portfolio_entries": 1,
        }
        assert await content(learner) == (0, 0, 0)
        assert await content(kept) == (2, 1, 1)
        row = await Learner.get(id=learner.id)
        assert row.content_erased_at is not None and row.last_name == "Отозвавшая"
        assert await Consent.filter(learner_id=learner.id).count() == 1
        record = await DestructionRecord.get(learner_ref=pseudonym(KEY, learner.id))
        assert record.district_id == w["district"].id and record.reason == REASON
        assert record.counts == {
            "assessments": 2,
            "assessment_revisions": 1,
            "portfolio_entries": 1,
        }
        assert set(record.categories.split(",")) == {
            "assessments",
            "assessment_revisions",
            "portfolio_entries",
        }
        event = await AuditEvent.get(learner_id=learner.id, action="erase")
        assert (event.decision, event.clause, event.actor_id) == ("ALLOW", "C2", None)

        again = await erase_due(today=DAY_31 + dt.timedelta(days=7), pseudonym_key=KEY)
        assert again.learners == 0
        assert await DestructionRecord.all().count() == 1
        assert await AuditEvent.filter(action="erase").count() == 1
        assert (await verify_chain(w["district"].id)).valid

    db.run(work)


def test_a_newer_consent_or_a_later_withdrawal_prevents_erasure(db):
    async def work():
        w = await world()
        renewed = await learner_with_content(w, "Передумавшая")
        await Consent.create(
            learner=renewed,
            purpose=ConsentPurpose.PROCESSING,
            recorded_by=w["staff"],
            document_ref="Б-2",
            given_at=WITHDRAWN + dt.timedelta(days=3),
        )
        recent = await learner_with_content(w, "Недавняя")
        await Consent.create(
            learner=recent,
            purpose=ConsentPurpose.PROCESSING,
            recorded_by=w["staff"],
            document_ref="Б-3",
            given_at=WITHDRAWN + dt.timedelta(days=2),
            withdrawn_at=WITHDRAWN + dt.timedelta(days=20),
        )
        # Only the TRANSFER consent withdrawn: processing goes on, nothing is erased.
        transfer_only = await learner_with_content(w, "Передача", withdrawn_at=None)
        await Consent.create(
            learner=transfer_only,
            purpose=ConsentPurpose.TRANSFER,
            recorded_by=w["staff"],
            given_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
            withdrawn_at=WITHDRAWN,
        )
        summary = await erase_due(today=DAY_31, pseudonym_key=KEY)
        assert summary.learners == 0
        for learner in (renewed, recent, transfer_only):
            assert await content(learner) == (2, 1, 1)
        # The later withdrawal counts from its own day.
        later = await erase_due(today=DAY_31 + dt.timedelta(days=20), pseudonym_key=KEY)
        assert later.learners == 1 and await content(recent) == (0, 0, 0)
        assert await content(renewed) == (2, 1, 1)

    db.run(work)


def test_a_second_consent_cycle_is_erased_again(db):
    async def work():
        w = await world()
        learner = await learner_with_content(w, "Дважды")
        assert (await erase_due(today=DAY_31, pseudonym_key=KEY)).learners == 1
        # The run acted on DAY_31: place its stamp there, before the second cycle below.
        await Learner.filter(id=learner.id).update(
            content_erased_at=dt.datetime.combine(DAY_31, dt.time(3), tzinfo=dt.UTC)
        )
        await Consent.create(
            learner=learner,
            purpose=ConsentPurpose.PROCESSING,
            recorded_by=w["staff"],
            document_ref="Б-4",
            given_at=WITHDRAWN + dt.timedelta(days=40),
            withdrawn_at=WITHDRAWN + dt.timedelta(days=60),
        )
        await PortfolioEntry.create(
            learner=learner,
            category=EntryCategory.SPORT,
            level=EntryLevel.MUNICIPAL,
            title="Забег",
            event_date=dt.date(2026, 4, 25),
            status=EntryStatus.VERIFIED,
            organisation=w["kg"],
            submitted_by=w["staff"],
        )
        assert (
            await erase_due(today=DAY_31 + dt.timedelta(days=40), pseudonym_key=KEY)
        ).learners == 0
        second = await erase_due(today=DAY_31 + dt.timedelta(days=60), pseudonym_key=KEY)
        assert second.learners == 1 and second.counts["portfolio_entries"] == 1
        assert await DestructionRecord.all().count() == 2

    db.run(work)


def test_erasure_runs_in_batches_with_progress(db):
    async def work():
        w = await world()
        learners = [await learner_with_content(w, f"Ученица{i}") for i in range(5)]
        lines: list[str] = []
        summary = await erase_due(
            today=DAY_31, pseudonym_key=KEY, batch_size=2, progress=lines.append
        )
        assert summary.learners == 5 and summary.batches == 3
        assert summary.counts["assessments"] == 10
        assert lines[-1] == "erase-due: 5/5 learners checked, 5 erased" and len(lines) == 3
        for learner in learners:
            assert await content(learner) == (0, 0, 0)
        assert await DestructionRecord.all().count() == 5
        status = await verify_chain(w["district"].id)
        assert status.valid and status.events == 5

    db.run(work)


def test_a_failed_batch_leaves_its_learners_untouched(db, monkeypatch):
    """One transaction per batch: content, destruction records and audit events go together."""

    async def work():
        w = await world()
        learner = await learner_with_content(w, "Целая")

        async def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("audit store unavailable")

        monkeypatch.setattr("domain.erasure.append_events", broken)
        with pytest.raises(RuntimeError):
            await erase_due(today=DAY_31, pseudonym_key=KEY)
        monkeypatch.undo()
        assert await content(learner) == (2, 1, 1)
        assert (await Learner.get(id=learner.id)).content_erased_at is None
        assert await DestructionRecord.all().count() == 0
        assert (await erase_due(today=DAY_31, pseudonym_key=KEY)).learners == 1

    db.run(work)


@pytest.mark.skipif(IS_POSTGRES, reason="the command runs against its own SQLite file")
def test_erase_due_command_prints_a_json_summary(tmp_path: Path):
    env = {
        **os.environ,
        "PORTFOLIO_DATABASE_URL": f"sqlite://{tmp_path}/erase.sqlite3",
        "PORTFOLIO_JWT_SECRET": "cli-secret-with-enough-length-for-hs256!",
    }

    def portfolio(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "graphql_api.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    assert portfolio("migrate").returncode == 0
    done = portfolio("erase-due", "--today", "2026-12-04")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["today"] == "2026-12-04" and summary["learners"] == 0
    assert summary["erased"] == {
        "assessments": 0,
        "assessment_revisions": 0,
        "portfolio_entries": 0,
    }
    bad = portfolio("erase-due", "--today", "04.12.2026")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "portfolio: error: --today must be a date YYYY-MM-DD; got '04.12.2026'"
    )
