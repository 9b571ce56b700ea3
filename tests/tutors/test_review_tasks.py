"""Background work for reviews (tutors.tasks) and the calendar invitation (core.ics): each email once."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from tests.tutors.helpers import sign_as, signed_review, submitted_review
from tutors import services, tasks
from tutors.models import ReviewReminder

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scheduled(world, cast, clock):
    review = services.review_schedule(
        enrolment=world.enrolment,
        by=cast.tutor,
        scheduled_for=datetime(2026, 3, 10, 14, 0, tzinfo=UTC),
        video_link="https://meet.example.test/r?id=1,2;x",
        location="Room 4, Council offices; Level 2",
    )
    mail.outbox.clear()
    return review


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


# --- the .ics invitation ----------------------------------------------------------------------------------------


def test_the_invitation_is_valid_icalendar_with_crlf_uid_dtstamp_and_times_in_utc(scheduled):
    data = tasks.invitation_ics(scheduled, now=NOW)

    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "VERSION:2.0" in lines and "METHOD:REQUEST" in lines
    assert f"UID:progress-review-{scheduled.pk}@127.0.0.1" in lines
    assert "DTSTAMP:20260302T080000Z" in lines
    assert "DTSTART:20260310T140000Z" in lines and "DTEND:20260310T150000Z" in lines
    assert "SEQUENCE:1" in lines
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1


def test_text_in_the_invitation_is_escaped_and_long_lines_are_folded(scheduled):
    data = tasks.invitation_ics(scheduled, now=NOW)
    lines = unfold(data)

    assert "LOCATION:Room 4\\, Council offices\\; Level 2" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "\\n" in description and "\n" not in description
    assert all(len(raw.encode()) <= 75 for raw in data.decode().split("\r\n"))
    assert any(raw.startswith(" ") for raw in data.decode().split("\r\n"))  # something was folded
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["location"]) == "Room 4, Council offices; Level 2"
    assert "\nJoin online: https://meet.example.test/r?id=1,2;x\n" in str(event["description"])
    assert str(event["organizer"]) == "mailto:tutor@example.test"
    assert event["organizer"].params["CN"] == "Tara Tutor"
    attendees = {str(a): a.params for a in event["attendee"]}
    assert attendees["mailto:apprentice@example.test"]["CN"] == "Ada Apprentice"
    assert attendees["mailto:manager@example.test"]["RSVP"] == "TRUE"
    assert str(event["status"]) == "CONFIRMED"


def test_scheduling_emails_the_invitation_once_and_moving_it_sends_an_update(
    world, cast, clock, django_capture_on_commit_callbacks
):
    when = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_schedule(
            enrolment=world.enrolment, by=cast.tutor, scheduled_for=when, location="Room 4"
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.apprentice.email, cast.line_manager.email, cast.tutor.email]
    )
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name == "progress-review-1.ics" and mimetype.startswith("text/calendar")
    assert "Room 4" in message.body and "not off-the-job training" in message.body
    assert tasks.send_review_invitation(review.pk, 1) == 0  # running it again sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.review_schedule(
            enrolment=world.enrolment,
            by=cast.tutor,
            scheduled_for=when + timedelta(hours=1),
            location="Room 5",
        )
    assert len(mail.outbox) == 6
    assert "moved" in mail.outbox[-1].subject
    assert "SEQUENCE:2" in unfold(
        mail.outbox[-1].attachments[0][1].encode()
        if isinstance(mail.outbox[-1].attachments[0][1], str)
        else mail.outbox[-1].attachments[0][1]
    )
    assert tasks.send_review_invitation(review.pk, 1) == 0  # a stale task for the old time sends nothing


# --- signature requests and reminders to signers -----------------------------------------------------------------


def test_submitting_asks_each_party_to_sign_once(world, cast, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = submitted_review(world.enrolment, cast.tutor, held_on=date(2026, 2, 27))

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.apprentice.email, cast.line_manager.email, cast.tutor.email]
    )
    assert all("please sign the progress review 1" in m.subject for m in mail.outbox)
    assert tasks.send_review_signature_requests(review.pk) == 0


def test_signers_are_reminded_weekly_while_unsigned_and_each_reminder_goes_once(world, cast, clock):
    review = submitted_review(world.enrolment, cast.tutor, held_on=date(2026, 2, 27))
    sign_as(review, cast.tutor)
    mail.outbox.clear()

    assert tasks.remind_unsigned_reviews() == 0  # not a week yet
    clock.move_to(NOW + timedelta(days=7, hours=1))
    assert tasks.remind_unsigned_reviews() == 2
    assert tasks.remind_unsigned_reviews() == 0  # safe to run twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.apprentice.email, cast.line_manager.email])
    assert all(m.subject.startswith("Reminder: ") for m in mail.outbox)
    sign_as(review, cast.apprentice)
    clock.move_to(NOW + timedelta(days=14, hours=1))
    assert tasks.remind_unsigned_reviews() == 1
    assert mail.outbox[-1].to == [cast.line_manager.email]


# --- reminders to the tutor --------------------------------------------------------------------------------------


def test_the_tutor_is_reminded_14_and_3_days_before_and_once_when_overdue(world, cast, clock):
    signed_review(world.enrolment, cast, held_on=date(2026, 2, 27))  # next due by 31 May 2026
    mail.outbox.clear()
    sent = {}

    def to_tutor():  # the other tutor's apprentice, never reviewed, is overdue too: they get their own email
        return [m for m in mail.outbox if m.to == [cast.tutor.email]]

    for day in (date(2026, 5, 16), date(2026, 5, 17), date(2026, 5, 27), date(2026, 5, 28), date(2026, 5, 29),
                date(2026, 5, 31), date(2026, 6, 1), date(2026, 6, 2)):  # fmt: skip
        clock.move_to(datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7))
        before = len(to_tutor())
        tasks.remind_reviews_due()
        tasks.remind_reviews_due()  # twice a day: still once
        sent[day] = len(to_tutor()) - before

    assert sent == {
        date(2026, 5, 16): 0,  # 15 days to go
        date(2026, 5, 17): 1,  # 14 days
        date(2026, 5, 27): 0,
        date(2026, 5, 28): 1,  # 3 days
        date(2026, 5, 29): 0,
        date(2026, 5, 31): 0,
        date(2026, 6, 1): 1,  # overdue
        date(2026, 6, 2): 0,
    }
    mine = to_tutor()
    assert "Overdue" in mine[-1].subject and "31 May 2026" in mine[-1].body
    assert re.search(r"due in 14 days", mine[0].subject) and re.search(r"due in 3 days", mine[1].subject)
    assert ReviewReminder.objects.filter(enrolment=world.enrolment).count() == 3
    assert [m.to for m in mail.outbox if m.to != [cast.tutor.email]] == [[cast.other_tutor.email]]


def test_no_reminder_while_the_apprentice_is_on_a_break(world, cast, clock):
    from programmes.models import BreakInLearning

    signed_review(world.enrolment, cast, held_on=date(2026, 2, 27))
    BreakInLearning.objects.create(enrolment=world.enrolment, start_date=date(2026, 4, 1), reason="Leave")
    mail.outbox.clear()
    clock.move_to(datetime(2026, 6, 10, 7, 0, tzinfo=UTC))

    tasks.remind_reviews_due()
    assert not [m for m in mail.outbox if m.to == [cast.tutor.email]]


def test_a_decline_tells_the_tutor_once(world, cast, clock, django_capture_on_commit_callbacks):
    review = submitted_review(world.enrolment, cast.tutor, held_on=date(2026, 2, 27))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decline = services.review_decline(review=review, by=cast.apprentice, comment="Wrong date")

    assert [m.to for m in mail.outbox] == [[cast.tutor.email]]
    assert "Wrong date" in mail.outbox[0].body
    assert tasks.send_review_declined(decline.pk) == 0
