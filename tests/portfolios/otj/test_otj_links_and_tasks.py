"""The weekly digest with one-click confirmation links (signed, single-use, expiring, bound to one manager and
exact entries; GET never changes anything) and the status alerts."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from core.errors import ActionNotAllowed
from portfolios.otj import services as otj_services
from portfolios.otj import tasks
from portfolios.otj.models import ConfirmationLink, OffTheJobEntry, OTJDigest, OTJStatusAlert
from tests.portfolios.otj.otj_helpers import confirmed, log, sign_plan

NOW = datetime(2026, 9, 14, 6, 0, tzinfo=UTC)  # a Monday, 07:00 in London
Status = OffTheJobEntry.Status


@pytest.fixture(autouse=True)
def _signed(world, cast):
    sign_plan(world, cast)


@pytest.fixture(autouse=True)
def _now(_signed):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pending(world, cast):
    return [log(world, cast, date=date(2026, 9, d)) for d in (8, 9)]


def link_for(world, cast, entries) -> str:
    return otj_services.confirmation_link_create(
        manager=cast.line_manager, enrolment=world.enrolment, entries=entries
    )


def url(token: str) -> str:
    return reverse("otj_confirm_link", args=[token])


def statuses(entries) -> list[str]:
    return [OffTheJobEntry.objects.get(pk=e.pk).status for e in entries]


# --- the link ----------------------------------------------------------------------------------------------------


def test_get_shows_the_entries_and_changes_nothing(client, world, cast, pending):
    token = link_for(world, cast, pending)
    for _ in range(2):
        response = client.get(url(token))
        assert response.status_code == 200
        assert "Confirm 2 entries" in response.content.decode()
    assert statuses(pending) == ["pending", "pending"]
    assert ConfirmationLink.objects.get().used_at is None


def test_one_click_confirms_exactly_those_entries_without_signing_in(client, world, cast, pending):
    later = log(world, cast, date=date(2026, 9, 10))  # logged after the email: not covered by the link
    response = client.post(url(link_for(world, cast, pending)))
    assert response.status_code == 200
    assert "You confirmed 2 entries" in response.content.decode()
    assert statuses(pending) == ["confirmed", "confirmed"]
    assert statuses([later]) == ["pending"]
    entry = OffTheJobEntry.objects.get(pk=pending[0].pk)
    assert (entry.decided_by, entry.decided_via, entry.decided_at) == (cast.line_manager, "email_link", NOW)


def test_a_link_works_only_once(client, world, cast, pending):
    token = link_for(world, cast, pending)
    client.post(url(token))
    again = client.post(url(token))
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert client.get(url(token)).status_code == 410


def test_an_expired_link_confirms_nothing(client, world, cast, pending):
    token = link_for(world, cast, pending)
    with time_machine.travel(NOW + timedelta(days=14, seconds=1), tick=False):
        response = client.post(url(token))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert statuses(pending) == ["pending", "pending"]


def test_a_tampered_token_is_not_found(client, world, cast, pending):
    token = link_for(world, cast, pending)
    payload = signing.loads(token, salt=otj_services.LINK_SALT)
    forged = signing.dumps({**payload, "entries": "0" * 64}, salt="someone-elses-salt")
    assert client.get(url(forged)).status_code == 404
    assert client.post(url(token[:-3] + "abc")).status_code == 404
    assert statuses(pending) == ["pending", "pending"]


def test_a_token_cannot_be_pointed_at_other_entries(client, world, cast, pending):
    """Re-signing is impossible without the secret; even a validly signed payload must match the stored link."""
    token = link_for(world, cast, pending[:1])
    payload = signing.loads(token, salt=otj_services.LINK_SALT)
    widened = signing.dumps({**payload, "entries": otj_services._digest([e.pk for e in pending])},
                            salt=otj_services.LINK_SALT)  # fmt: skip
    assert client.post(url(widened)).status_code == 404
    assert statuses(pending) == ["pending", "pending"]


def test_someone_elses_link_is_refused_when_signed_in_as_another_person(client, world, cast, pending):
    token = link_for(world, cast, pending)
    client.force_login(cast.other_manager)
    response = client.post(url(token))
    assert response.status_code == 403
    assert "sent to Mina Manager" in response.content.decode()
    assert statuses(pending) == ["pending", "pending"]


def test_a_link_stops_working_when_the_line_manager_changes(client, world, cast, pending):
    token = link_for(world, cast, pending)
    world.enrolment.line_manager = cast.other_manager
    world.enrolment.save()
    response = client.post(url(token))
    assert response.status_code == 410
    assert statuses(pending) == ["pending", "pending"]


def test_entries_decided_since_the_email_are_left_alone(client, world, cast, pending):
    token = link_for(world, cast, pending)
    otj_services.otj_entry_reject(entry=pending[0], by=cast.line_manager, reason="Not in work time.")
    response = client.post(url(token))
    assert "1 had already been decided" in response.content.decode()
    assert statuses(pending) == ["rejected", "confirmed"]


def test_links_go_only_to_the_apprentices_line_manager(world, cast, pending):
    with pytest.raises(ActionNotAllowed):
        otj_services.confirmation_link_create(
            manager=cast.other_manager, enrolment=world.enrolment, entries=pending
        )


# --- the weekly digest -------------------------------------------------------------------------------------------


def test_the_digest_lists_each_apprentices_pending_entries_with_a_working_link(client, world, cast, pending):
    confirmed(world, cast, date=date(2026, 9, 1))  # already confirmed: not listed
    assert tasks.send_otj_digest(cast.line_manager.pk) is True
    [message] = mail.outbox
    assert message.to == [cast.line_manager.email]
    assert message.subject == "2 off-the-job entries to confirm for 1 apprentice"
    assert "Ada Apprentice — 2 entries, 4 hours" in message.body
    assert "no sign-in needed" in message.body
    link = re.search(r"http\S+/otj/confirm/link/\S+/", message.body).group(0)
    response = client.post(link.split("8000", 1)[-1] if "8000" in link else link)
    assert response.status_code == 200
    assert statuses(pending) == ["confirmed", "confirmed"]


def test_the_digest_is_sent_once_a_week_however_often_the_job_runs(world, cast, pending):
    assert tasks.send_otj_digest(cast.line_manager.pk) is True
    assert tasks.send_otj_digest(cast.line_manager.pk) is False
    assert len(mail.outbox) == 1
    assert OTJDigest.objects.get().entry_count == 2
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert tasks.send_otj_digest(cast.line_manager.pk) is True
    assert len(mail.outbox) == 2


def test_no_digest_without_pending_entries(world, cast):
    assert tasks.send_otj_digest(cast.line_manager.pk) is False
    assert not mail.outbox


def test_the_beat_job_queues_a_digest_for_each_manager_with_pending_entries(
    world, cast, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_otj_digests() == 1
    assert [m.to for m in mail.outbox] == [[cast.line_manager.email]]


# --- status alerts -------------------------------------------------------------------------------------------------


@pytest.fixture
def only_our_enrolment_is_active(world):
    world.other_enrolment.status = "withdrawn"
    world.other_enrolment.save()


def test_apprentice_and_tutor_are_alerted_once_when_status_turns_at_risk(
    only_our_enrolment_is_active, world, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.check_otj_status() == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([cast.apprentice.email, cast.tutor.email])
    apprentice_mail = next(m for m in mail.outbox if m.to == [cast.apprentice.email])
    assert apprentice_mail.subject == "Your off-the-job hours are at risk"
    assert "What to do next" in apprentice_mail.body
    assert f"/enrolments/{world.enrolment.pk}/otj/" in apprentice_mail.body
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.check_otj_status() == 0  # running again sends nothing
    assert len(mail.outbox) == 2
    assert OTJStatusAlert.objects.get(enrolment=world.enrolment).status == "at_risk"


def test_no_alert_while_on_track_and_a_new_alert_when_it_worsens_again(
    only_our_enrolment_is_active, world, cast, django_capture_on_commit_callbacks
):
    day = date(2025, 9, 22)
    total = Decimal(0)
    while total < Decimal("230"):  # on track at 52 weeks
        if day.weekday() < 5:
            confirmed(world, cast, date=day, hours=Decimal("8"))
            total += 8
        day += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.check_otj_status() == 0
    assert not mail.outbox
    with (
        time_machine.travel(NOW + timedelta(weeks=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.check_otj_status() == 1  # 232 of 274 expected: behind
    assert {m.subject for m in mail.outbox} == {
        "Your off-the-job hours are behind",
        "Ada Apprentice's off-the-job hours are behind",
    }
