"""Dashboard and learner-record exports: CSV streamed (``core.exports``), XLSX in xlsxwriter's constant-memory
mode written to a temporary file. Every cell goes through ``csv_safe``, so a name like ``=HYPERLINK(...)`` is text
in Excel too, whichever format is opened."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse

from core.exports import csv_safe
from reporting.learner_records import LearnerRecord
from reporting.models import ProgressSnapshot

DASHBOARD_HEADER = [
    "enrolment id",
    "apprentice",
    "email",
    "cohort",
    "employer",
    "practice tutor",
    "status",
    "OTJ status",
    "OTJ % of expected",
    "OTJ confirmed hours",
    "OTJ required hours",
    "last review",
    "next review due",
    "review overdue",
    "modules passed",
    "KSB coverage %",
    "awaiting signature",
    "gateway ready",
    "RAG",
    "RAG reasons",
    "RAG overridden by",
]
LEARNER_RECORD_HEADER = [
    "enrolment id",
    "apprentice",
    "email",
    "cohort",
    "employer",
    "standard",
    "learning start date",
    "planned end date",
    "actual end date",
    "completion status",
    "outcome",
    "achievement date",
    "planned OTJ hours",
    "actual OTJ hours",
    "withdrawal reason",
    "restart",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _hours(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def dashboard_cells(row: ProgressSnapshot) -> list[Any]:
    e = row.enrolment
    return [
        e.pk,
        e.apprentice.full_name,
        e.apprentice.email,
        e.cohort.name,
        e.employer.name,
        e.practice_tutor.full_name,
        e.get_status_display(),
        row.otj_status_label,
        "" if row.otj_percent is None else f"{row.otj_percent}",
        _hours(row.otj_confirmed_hours),
        _hours(row.otj_required_hours),
        _day(row.last_review_on),
        _day(row.next_review_due),
        "yes" if row.review_overdue else "no",
        row.modules_passed,
        row.ksb_coverage,
        "; ".join(row.awaiting),
        row.gateway_label,
        row.rag_label,
        " | ".join(row.reasons),
        row.override.by.full_name if row.override else "",
    ]


def learner_record_cells(record: LearnerRecord) -> list[Any]:
    e = record.enrolment
    return [
        e.pk,
        e.apprentice.full_name,
        e.apprentice.email,
        e.cohort.name,
        e.employer.name,
        f"{e.programme.standard.code} v{e.programme.standard.version}",
        _day(record.start_date),
        _day(record.planned_end_date),
        _day(record.actual_end_date),
        record.completion_status,
        record.outcome,
        _day(record.achievement_date),
        _hours(record.planned_otj_hours),
        _hours(record.actual_otj_hours),
        record.withdrawal_reason,
        "yes" if record.restart else "no",
    ]


def dashboard_rows(rows: Iterable[ProgressSnapshot]) -> Iterator[list[Any]]:
    return (dashboard_cells(row) for row in rows)


def learner_record_rows(records: Iterable[LearnerRecord]) -> Iterator[list[Any]]:
    return (learner_record_cells(record) for record in records)


def xlsx_response(
    filename: str, sheet: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> FileResponse:
    """An XLSX download written row by row in constant-memory mode to a temporary file, then streamed.

    Every cell is written as text after ``csv_safe`` (a leading apostrophe for anything Excel would read as a
    formula), except whole numbers, which stay numbers.
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook = xlsxwriter.Workbook(
        spool, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False, "tmpdir": None}
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    for column, title in enumerate(header):
        worksheet.write_string(0, column, title, bold)
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            if isinstance(cell, int) and not isinstance(cell, bool):
                worksheet.write_number(number, column, cell)
            else:
                worksheet.write_string(number, column, csv_safe(cell))
    worksheet.freeze_panes(1, 0)
    workbook.close()
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
