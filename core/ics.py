"""Calendar files (iCalendar, RFC 5545) built with the ``icalendar`` library: every ``.ics`` the platform writes.

A caller describes its events as ``Event`` values (timed, with time-zone aware datetimes, or all-day, with dates
and an exclusive end day) and gets bytes back from ``calendar()``. The library does what RFC 5545 asks of a
writer: CRLF line ends, lines folded at 75 octets, TEXT values escaped (backslash, semicolon, comma, newline),
parameter values quoted when they must be, times in UTC. UIDs are stable (``uid()``), so a re-import or a moved
meeting updates the same calendar entry; ``sequence`` rises with each change, and ``method="CANCEL"`` withdraws
an invitation. ``download()`` serves a calendar as an attachment with a safe file name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import icalendar
from django.conf import settings
from django.http import HttpResponse

from core.exports import attachment

METHODS = ("PUBLISH", "REQUEST", "CANCEL")
# The event status each method implies: an invitation is confirmed, a cancellation cancelled, a feed says nothing.
STATUS_FOR_METHOD = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}


@dataclass(frozen=True)
class Person:
    """An organiser or attendee: a display name and an email address."""

    name: str
    email: str


@dataclass(frozen=True)
class Event:
    """One calendar event. ``start``/``end`` are both datetimes (timed) or both dates (all-day, end exclusive)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    description: str = ""
    location: str = ""
    url: str = ""
    organiser: Person | None = None
    attendees: Sequence[Person] = ()
    sequence: int = 0
    transparent: bool = False  # shown as free time (deadlines, online weeks) rather than busy

    def __post_init__(self) -> None:
        if isinstance(self.start, datetime) != isinstance(self.end, datetime):
            raise ValueError("An event's start and end must both be datetimes or both be dates.")
        for moment in (self.start, self.end):
            if isinstance(moment, datetime) and moment.tzinfo is None:
                raise ValueError("A timed event needs time-zone aware datetimes.")
        if self.end < self.start:
            raise ValueError("An event cannot end before it starts.")

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


def site_host() -> str:
    """The host name of ``SITE_URL`` (no scheme, port or path): the right-hand side of every UID."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return host or "tripartite.invalid"


def uid(local: str) -> str:
    """A globally unique, stable UID for a thing of ours, e.g. ``uid("progress-review-7")``."""
    return f"{local}@{site_host()}"


def calendar(
    events: Iterable[Event], *, prodid: str, now: datetime, method: str = "PUBLISH", name: str = ""
) -> bytes:
    """The calendar file: one VEVENT an event, each stamped with ``now``; ``name`` titles a subscribed feed."""
    if method not in METHODS:
        raise ValueError(f"Unsupported iTIP method {method!r}.")
    cal = icalendar.Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    for event in events:
        cal.add_component(_vevent(event, stamp=stamp, status=STATUS_FOR_METHOD.get(method, "")))
    return cal.to_ical()


def _vevent(event: Event, *, stamp: datetime, status: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    if event.all_day:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end)
    else:
        vevent.add("dtstart", event.start.astimezone(UTC))  # type: ignore[union-attr]  # a datetime here
        vevent.add("dtend", event.end.astimezone(UTC))  # type: ignore[union-attr]
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.organiser:
        vevent.add("organizer", _address(event.organiser))
    for person in event.attendees:
        vevent.add(
            "attendee",
            _address(person, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE"),
        )
    if event.url:
        vevent.add("url", event.url)
    if event.transparent:
        vevent.add("transp", "TRANSPARENT")
    if status:
        vevent.add("status", status)
    return vevent


def _address(person: Person, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    # A parameter value may not hold a double quote or a line break, even quoted (RFC 5545 §3.1).
    address.params["CN"] = " ".join(person.name.replace('"', "'").split())
    address.params.update(params)
    return address


def safe_filename(name: str, *, default: str = "calendar") -> str:
    """``name`` as a harmless ``.ics`` file name: ASCII letters, digits, dots, dashes and underscores only."""
    stem = name.removesuffix(".ics")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-._")[:120]
    return f"{cleaned or default}.ics"


def download(body: bytes, filename: str) -> HttpResponse:
    """Serve calendar bytes as an attachment named ``filename`` (made safe here)."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = attachment(safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["Event", "Person", "calendar", "download", "safe_filename", "site_host", "uid"]
