"""core.ics: calendar files written by the icalendar library — folded, escaped, all-day or timed, cancellable."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core import ics

pytestmark = pytest.mark.db_agnostic

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def timed(**overrides) -> ics.Event:
    start = datetime(2026, 6, 10, 14, 0, tzinfo=LONDON)  # 13:00 UTC (BST)
    values = {
        "uid": ics.uid("meeting-1"),
        "summary": "Progress review: Ada Apprentice",
        "start": start,
        "end": start + timedelta(hours=1),
        "organiser": ics.Person("Tara Tutor", "tutor@example.test"),
        "attendees": [ics.Person("Ada Apprentice", "ada@example.test")],
        "sequence": 2,
    }
    return ics.Event(**(values | overrides))


def write(*events: ics.Event, method: str = "REQUEST") -> bytes:
    return ics.calendar(events, prodid="-//Tripartite//Tests//EN", now=NOW, method=method)


def raw_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\r\n")


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    description = "Résumé of the review. " * 20  # multi-byte characters across the fold
    data = write(timed(description=description))

    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines(data))
    assert any(line.startswith(" ") for line in raw_lines(data))
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["description"]) == description


def test_commas_semicolons_backslashes_and_newlines_in_user_text_are_escaped():
    text = "Room 4, Council offices; Level 2\nBring C:\\notes"
    data = write(timed(location=text, summary="Review; part 1, with Ada"))

    lines = unfolded(data)
    assert "LOCATION:Room 4\\, Council offices\\; Level 2\\nBring C:\\\\notes" in lines
    assert "SUMMARY:Review\\; part 1\\, with Ada" in lines
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["location"]) == text  # read back exactly as written


def test_a_name_with_a_quote_or_a_line_break_cannot_break_out_of_its_parameter():
    organiser = ics.Person('Tara "T" Tutor;\nROLE=CHAIR', "tutor@example.test")
    data = write(timed(organiser=organiser))

    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event["organizer"].params["CN"] == "Tara 'T' Tutor; ROLE=CHAIR"
    assert "ROLE" not in event["organizer"].params


def test_a_timed_event_is_written_in_utc_with_its_people_and_sequence():
    data = write(timed())

    lines = unfolded(data)
    assert "METHOD:REQUEST" in lines and "VERSION:2.0" in lines
    assert "UID:meeting-1@127.0.0.1" in lines  # the host of SITE_URL, without its port
    assert "DTSTAMP:20260302T080000Z" in lines
    assert "DTSTART:20260610T130000Z" in lines and "DTEND:20260610T140000Z" in lines
    assert "SEQUENCE:2" in lines and "STATUS:CONFIRMED" in lines
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 6, 10, 13, 0, tzinfo=UTC)
    assert str(event["attendee"]) == "mailto:ada@example.test"
    assert event["attendee"].params["PARTSTAT"] == "NEEDS-ACTION"


def test_an_all_day_event_is_written_with_dates_and_an_exclusive_end():
    deadline = ics.Event(
        uid=ics.uid("assignment-1-deadline"),
        summary="Deadline",
        start=date(2025, 11, 17),
        end=date(2025, 11, 18),
        transparent=True,
    )
    data = ics.calendar([deadline], prodid="-//T//EN", now=NOW, name="Cohort 2025")

    lines = unfolded(data)
    assert "DTSTART;VALUE=DATE:20251117" in lines and "DTEND;VALUE=DATE:20251118" in lines
    assert "TRANSP:TRANSPARENT" in lines and "METHOD:PUBLISH" in lines
    assert "X-WR-CALNAME:Cohort 2025" in lines
    assert not any(line.startswith("STATUS:") for line in lines)  # a published feed states no status
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstart") == date(2025, 11, 17)


def test_a_cancellation_keeps_the_uid_and_marks_the_event_cancelled():
    request, cancel = write(timed()), write(timed(sequence=3), method="CANCEL")

    (invited,) = Calendar.from_ical(request).walk("VEVENT")
    (cancelled,) = Calendar.from_ical(cancel).walk("VEVENT")
    assert Calendar.from_ical(cancel)["method"] == "CANCEL"
    assert cancelled["uid"] == invited["uid"]
    assert str(cancelled["status"]) == "CANCELLED" and cancelled["sequence"] == 3


def test_events_must_be_consistent():
    with pytest.raises(ValueError, match="both"):
        ics.Event(uid="x", summary="x", start=date(2026, 1, 1), end=datetime(2026, 1, 2, tzinfo=UTC))
    with pytest.raises(ValueError, match="aware"):
        ics.Event(uid="x", summary="x", start=datetime(2026, 1, 1), end=datetime(2026, 1, 2))
    with pytest.raises(ValueError, match="before"):
        ics.Event(uid="x", summary="x", start=date(2026, 1, 2), end=date(2026, 1, 1))
    with pytest.raises(ValueError, match="method"):
        write(timed(), method="REFRESH")


def test_the_download_is_an_attachment_with_a_safe_name():
    response = ics.download(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 'timetable-Cohort "A"/../2025 é')

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="timetable-Cohort-A-..-2025-e.ics"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ics.safe_filename("///") == "calendar.ics"
