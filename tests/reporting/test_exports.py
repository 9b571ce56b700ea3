"""The dashboard's CSV and XLSX exports and the learner-record export, each checked by parsing it back."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import Enrolment, EnrolmentStatusChange
from reporting.exports import DASHBOARD_HEADER, LEARNER_RECORD_HEADER
from tests.reporting.helpers import read_xlsx

INJECTION = '=HYPERLINK("http://evil.example","Click")'


def read_csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def hostile_name(cohort):
    apprentice = cohort.theirs.apprentice
    apprentice.full_name = INJECTION
    apprentice.save()


def test_the_dashboard_csv_has_a_row_per_apprentice_and_escapes_formulas(
    client, world, cast, cohort, hostile_name
):
    client.force_login(cast.director)

    response = client.get(f"/cohorts/{world.cohort.pk}/dashboard.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert list(rows[0]) == DASHBOARD_HEADER
    assert {row["apprentice"] for row in rows} == {"Ada Apprentice", "Ben Caseload", "'" + INJECTION}
    ada = next(row for row in rows if row["apprentice"] == "Ada Apprentice")
    assert ada["RAG"] in ("Red", "Amber", "Green")
    assert ada["RAG reasons"]
    assert ada["modules passed"] == "0"


def test_the_dashboard_csv_follows_the_filters_and_the_tutors_scope(client, world, cast, cohort):
    client.force_login(cast.tutor)

    rows = read_csv(client.get(f"/cohorts/{world.cohort.pk}/dashboard.csv?q=ben"))

    assert [row["apprentice"] for row in rows] == ["Ben Caseload"]
    everything = read_csv(client.get(f"/cohorts/{world.cohort.pk}/dashboard.csv"))
    assert "Cara Elsewhere" not in {row["apprentice"] for row in everything}


def test_the_dashboard_xlsx_parses_back_to_the_same_rows_with_formulas_escaped(
    client, world, cast, cohort, hostile_name
):
    client.force_login(cast.director)

    response = client.get(f"/cohorts/{world.cohort.pk}/dashboard.xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = read_xlsx(b"".join(response.streaming_content))
    assert sheet[0] == DASHBOARD_HEADER
    names = {row[1] for row in sheet[1:]}
    assert names == {"Ada Apprentice", "Ben Caseload", "'" + INJECTION}
    assert {row[0] for row in sheet[1:]} == {str(e.pk) for e in (*cohort.mine, cohort.theirs)}


def change(enrolment, to_status: str, on: date, **extra) -> None:
    EnrolmentStatusChange.objects.create(enrolment=enrolment, to_status=to_status, effective_on=on, **extra)


def test_the_learner_record_export_has_the_funding_return_fields(client, world, cast, cohort):
    world.programme.standard.otj_minimum_hours = Decimal("500")
    world.programme.standard.save()
    ada, ben = cohort.mine
    Enrolment.objects.filter(pk=ada.pk).update(
        status=Enrolment.Status.WITHDRAWN, withdrawal_reason_code="44", actual_end_date=date(2026, 6, 30)
    )
    Enrolment.objects.filter(pk=ben.pk).update(status=Enrolment.Status.COMPLETED)
    change(ben, "gateway", date(2026, 9, 1))
    change(ben, "epa", date(2026, 9, 8))
    change(ben, "completed", date(2026, 11, 2))
    Enrolment.objects.filter(pk=cohort.theirs.pk).update(status=Enrolment.Status.EPA)
    change(cohort.theirs, "gateway", date(2026, 8, 3))
    change(cohort.theirs, "break_in_learning", date(2026, 1, 5))
    change(cohort.theirs, "active", date(2026, 2, 2), is_restart=True)
    OffTheJobEntry.objects.create(
        enrolment=ben,
        date=date(2025, 10, 1),
        hours=Decimal("7.5"),
        activity_type=OTJActivityType.objects.get(code="reading"),
        description="Read the module papers on public value.",
        logged_by=ben.apprentice,
        status=OffTheJobEntry.Status.CONFIRMED,
    )
    client.force_login(cast.director)

    rows = {
        row["apprentice"]: row
        for row in read_csv(client.get(f"/cohorts/{world.cohort.pk}/learner-records.csv"))
    }

    assert list(next(iter(rows.values()))) == LEARNER_RECORD_HEADER
    withdrawn, completed, in_epa = rows["Ada Apprentice"], rows["Ben Caseload"], rows["Cara Elsewhere"]
    assert withdrawn["learning start date"] == "2025-09-15"
    assert withdrawn["planned end date"] == "2027-09-13"
    assert (withdrawn["completion status"], withdrawn["outcome"], withdrawn["withdrawal reason"]) == (
        "3",
        "3",
        "44",
    )
    assert withdrawn["actual end date"] == "2026-06-30"
    assert (completed["completion status"], completed["outcome"]) == ("2", "1")
    assert (completed["actual end date"], completed["achievement date"]) == ("2026-09-01", "2026-11-02")
    assert (completed["planned OTJ hours"], completed["actual OTJ hours"]) == ("500.00", "7.50")
    assert completed["withdrawal reason"] == ""
    assert (in_epa["completion status"], in_epa["outcome"], in_epa["achievement date"]) == ("2", "8", "")
    assert (in_epa["actual end date"], in_epa["restart"]) == ("2026-08-03", "yes")


def test_an_active_apprentice_is_continuing_with_no_outcome(client, world, cast, cohort):
    client.force_login(cast.director)

    rows = read_csv(client.get("/dashboard/learner-records.csv"))

    ada = next(row for row in rows if row["apprentice"] == "Ada Apprentice")
    assert (ada["completion status"], ada["outcome"], ada["actual end date"]) == ("1", "", "")
    assert {row["apprentice"] for row in rows} == {"Ada Apprentice", "Ben Caseload", "Cara Elsewhere"}


def test_the_cross_programme_export_reads_in_batches(client, world, cast, cohort, settings, monkeypatch):
    from reporting import selectors

    monkeypatch.setattr(selectors, "BATCH", 2)
    client.force_login(cast.director)

    rows = read_csv(client.get("/dashboard/learner-records.csv"))

    assert len(rows) == 3
