"""A calendar invitation (iCalendar, RFC 5545) for a scheduled progress review, written by hand.

Lines end CRLF, text values are escaped (backslash, semicolon, comma, newline), long lines are folded at 75
octets, times are UTC, and the UID is stable per review so a moved meeting updates the same calendar entry
(SEQUENCE rises with each change).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tutors.models import ProgressReview

PRODID = "-//Tripartite//Progress reviews//EN"


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
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines carry a leading space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(review: ProgressReview) -> str:
    host = settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "tripartite.invalid"
    return f"progress-review-{review.pk}@{host}"


def invitation(review: ProgressReview, *, now: datetime | None = None, method: str = "REQUEST") -> bytes:
    """The .ics file for the review's scheduled meeting, with the apprentice, line manager and tutor invited."""
    if review.scheduled_for is None:
        raise ValueError("The review has not been scheduled.")
    enrolment = review.enrolment
    tutor, apprentice, manager = enrolment.practice_tutor, enrolment.apprentice, enrolment.line_manager
    start = review.scheduled_for
    end = start + timedelta(minutes=review.duration_minutes)
    link = settings.SITE_URL + review.get_absolute_url()
    where = review.location or review.video_link
    description = (
        f"Termly tripartite progress review {review.number} for {apprentice.full_name} "
        f"({enrolment.programme.name}) with {manager.full_name} (line manager) and {tutor.full_name} "
        f"(practice tutor)."
    )
    if review.video_link:
        description += f"\nJoin online: {review.video_link}"
    description += f"\nThe review record: {link}\nTime in progress reviews is not off-the-job training."
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid(review)}",
        f"DTSTAMP:{utc(now or timezone.now())}",
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(end)}",
        f"SEQUENCE:{review.invite_sequence}",
        f"SUMMARY:{escape_text(f'Progress review: {apprentice.full_name}')}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(where)}",
        f"ORGANIZER;CN={_param(tutor.full_name)}:mailto:{tutor.email}",
    ]
    for person in (apprentice, manager):
        lines.append(
            f"ATTENDEE;CN={_param(person.full_name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE"
            f":mailto:{person.email}"
        )
    if review.video_link:
        lines.append(f"URL:{review.video_link}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def _param(value: str) -> str:
    """A parameter value: quoted, with the characters a quoted value cannot hold removed (RFC 5545 §3.1)."""
    cleaned = value.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{cleaned}"'


def filename(review: ProgressReview) -> str:
    return f"progress-review-{review.number}.ics"
