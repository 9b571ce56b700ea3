"""An apprentice's timetable as iCalendar (RFC 5545), written by hand: online weeks, campus days, deadlines.

Every line ends in CRLF, text values are escaped (backslash, semicolon, comma, newline), long lines are folded at
75 octets, and every event has a stable UID (so a re-import updates rather than duplicates) and a DTSTAMP.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings

from programmes.models import Enrolment, ModuleRun

PRODID = "-//Tripartite//Apprenticeship timetable//EN"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines carry a leading space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event(
    uid: str, stamp: str, start: date, end_exclusive: date, summary: str, description: str
) -> list[str]:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "tripartite"
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(start)}",
        f"DTEND;VALUE=DATE:{_date(end_exclusive)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def timetable_calendar(*, enrolment: Enrolment, module_runs: Iterable[ModuleRun], now: datetime) -> bytes:
    """The cohort's module runs as all-day events: online weeks, campus days and each assignment deadline."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{enrolment.programme.name} — {enrolment.cohort.name}')}",
    ]
    for run in module_runs:
        title = run.module.title
        lead = f" Module lead: {run.lead.full_name}." if run.lead else ""
        lines += _event(
            f"module-run-{run.pk}-online",
            stamp,
            run.online_start,
            run.online_end + timedelta(days=1),
            f"{title}: online learning",
            f"{run.module.weeks_online} weeks of online learning: papers, course pages and the discussion board.{lead}",
        )
        campus = run.campus_dates
        if campus:
            lines += _event(
                f"module-run-{run.pk}-campus",
                stamp,
                campus[0],
                campus[-1] + timedelta(days=1),
                f"{title}: campus days",
                f"{len(campus)} days together on campus.{lead}",
            )
        for assignment in run.assignments.all():
            lines += _event(
                f"assignment-{assignment.pk}-deadline",
                stamp,
                assignment.due_on,
                assignment.due_on + timedelta(days=1),
                f"Deadline: {title}, assignment {assignment.number}",
                f"{assignment.title}. Submit it on the platform by the end of the day "
                f"(weight {assignment.weight}%).",
            )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
