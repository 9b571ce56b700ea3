"""The OTJ ledger's rules (portfolios.otj services and selectors): validation, audit, corrections, confirmation, status
and the explained forecast. The world's enrolment: 37 h a week, 15 Sep 2025 to 13 Sep 2027 (104 weeks), a 2025
start, so the minimum is the standard's fixed figure (460 h here)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from core.errors import ActionNotAllowed, ConflictError, DomainError
from portfolios.otj import selectors as otj_selectors
from portfolios.otj import services as otj_services
from portfolios.otj.models import OffTheJobEntry
from programmes.models import BreakInLearning, Enrolment
from tests.portfolios.otj.otj_helpers import activity, confirmed, fields, log, sign_plan

NOW = datetime(2026, 9, 13, 11, 0, tzinfo=UTC)  # 12:00 in London; 52 weeks into the 104-week practical period
Status = OffTheJobEntry.Status


@pytest.fixture(autouse=True)
def _signed(world, cast):
    sign_plan(world, cast)


@pytest.fixture(autouse=True)
def _now(_signed):
    with time_machine.travel(NOW, tick=False):
        yield


def bulk_confirmed(world, cast, total: Decimal, *, start: date = date(2025, 9, 22)) -> None:
    """Confirmed reading entries adding up to ``total`` hours, at most 8 a day on weekdays from ``start``."""
    day, left = start, total
    while left > 0:
        if day.weekday() < 5:
            hours = min(left, Decimal("8"))
            confirmed(world, cast, date=day, hours=hours)
            left -= hours
        day += timedelta(days=1)


# --- validation ------------------------------------------------------------------------------------------------


def test_the_apprentice_logs_an_entry_that_waits_for_confirmation(world, cast):
    entry = log(world, cast)
    assert entry.status == Status.PENDING
    assert entry.logged_by == cast.apprentice
    assert entry.logged_at == NOW
    assert [k.code for k in entry.ksbs.all()] == ["K1"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"date": date(2026, 9, 14)}, "date", "future"),
        ({"date": date(2025, 9, 14)}, "date", "before the apprenticeship started"),
        ({"hours": Decimal("0")}, "hours", "more than 0"),
        ({"hours": Decimal("-1")}, "hours", "more than 0"),
        ({"hours": Decimal("12.25")}, "hours", "No more than 12"),
        ({"hours": Decimal("1.1")}, "hours", "quarter-hour"),
        ({"description": "Did reading"}, "description", "at least 5 words"),
        ({"description": "   "}, "description", "at least 5 words"),
        ({"ksb_ids": []}, "ksbs", "at least one KSB"),
    ],
)
def test_a_bad_entry_is_refused_with_a_message_naming_the_field_and_nothing_is_saved(
    world, cast, changes, field, words
):
    with pytest.raises(DomainError) as error:
        log(world, cast, **changes)
    assert error.value.field == field
    assert words in error.value.message
    assert not OffTheJobEntry.objects.exists()


def test_an_entry_after_the_planned_end_is_refused(world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(planned_end_date=date(2026, 9, 1))
    world.enrolment.refresh_from_db()
    with pytest.raises(DomainError, match="after the planned end"):
        log(world, cast, date=date(2026, 9, 2))


def test_an_entry_inside_a_break_in_learning_is_refused_but_the_restart_day_is_allowed(world, cast):
    BreakInLearning.objects.create(
        enrolment=world.enrolment, start_date=date(2026, 1, 5), end_date=date(2026, 2, 2), reason="Illness"
    )
    for inside in (date(2026, 1, 5), date(2026, 2, 1)):
        with pytest.raises(DomainError, match="inside a break"):
            log(world, cast, date=inside)
    assert log(world, cast, date=date(2026, 2, 2)).pk


def test_an_open_break_refuses_every_date_from_its_start(world, cast):
    BreakInLearning.objects.create(enrolment=world.enrolment, start_date=date(2026, 8, 1), reason="Leave")
    with pytest.raises(DomainError, match="inside a break"):
        log(world, cast, date=date(2026, 9, 1))
    assert log(world, cast, date=date(2026, 7, 31)).pk


def test_no_more_than_twelve_hours_a_day_across_all_entries_for_that_day(world, cast):
    log(world, cast, hours=Decimal("8"))
    with pytest.raises(DomainError, match=r"That makes 12\.25 hours") as error:
        log(world, cast, hours=Decimal("4.25"))
    assert error.value.field == "hours"
    assert log(world, cast, hours=Decimal("4")).hours == Decimal("4")


def test_a_queried_entry_does_not_use_up_the_days_hours(world, cast):
    entry = log(world, cast, hours=Decimal("10"))
    otj_services.otj_entry_reject(entry=entry, by=cast.line_manager, reason="This was a normal working day.")
    assert log(world, cast, hours=Decimal("10")).pk


def test_editing_an_entry_does_not_count_its_own_hours_twice_against_the_daily_limit(world, cast):
    entry = log(world, cast, hours=Decimal("10"))
    otj_services.otj_entry_update(entry=entry, by=cast.apprentice, fields=fields(world, hours=Decimal("12")))
    entry.refresh_from_db()
    assert entry.hours == Decimal("12")


def test_ksbs_must_come_from_the_apprenticeships_standard(world, cast):
    from tests.factories import KSBFactory, StandardFactory

    foreign = KSBFactory(standard=StandardFactory(code="ST0999", version="1.0"), code="K9")
    with pytest.raises(DomainError, match="this apprenticeship's standard"):
        log(world, cast, ksb_ids=[foreign.pk])


def test_an_activity_that_does_not_count_can_be_recorded_without_ksbs_and_never_counts(world, cast):
    review = log(
        world, cast, activity_type_id=activity("progress_review").pk, ksb_ids=[], hours=Decimal("1.5")
    )
    otj_services.otj_entry_confirm(entry=review, by=cast.line_manager)
    counted = confirmed(world, cast, date=date(2026, 3, 3), hours=Decimal("2"))
    position = otj_selectors.otj_position(world.enrolment)
    assert counted.status == Status.CONFIRMED
    assert position.confirmed_hours == Decimal("2")
    assert position.non_counting_hours == Decimal("1.5")


@pytest.mark.parametrize("code", ["progress_review", "assessment", "english_maths"])
def test_reviews_exams_and_english_and_maths_never_count(code):
    assert activity(code).counts_towards_otj is False


def test_the_module_and_evidence_links_must_belong_to_the_apprentice(world, cast):
    from tests.factories import ModuleRunFactory

    other_run = ModuleRunFactory(cohort=world.other_enrolment.cohort)
    with pytest.raises(DomainError, match="timetable") as error:
        log(world, cast, module_run_id=other_run.pk)
    assert error.value.field == "module_run"
    entry = log(world, cast, module_run_id=world.module_run.pk)
    assert entry.module_run == world.module_run


def test_only_the_apprentice_logs_their_own_hours(world, cast):
    for someone in (cast.line_manager, cast.tutor, cast.director, cast.other_apprentice):
        with pytest.raises(ActionNotAllowed):
            otj_services.otj_entry_create(enrolment=world.enrolment, by=someone, fields=fields(world))


def test_no_hours_are_logged_before_the_training_plan_is_signed(world, cast):
    with pytest.raises(ConflictError, match="training plan has not been sent"):
        otj_services.otj_entry_create(
            enrolment=world.other_enrolment, by=cast.other_apprentice, fields=fields(world)
        )


def test_no_hours_are_logged_once_the_apprenticeship_is_at_gateway(world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Enrolment.Status.GATEWAY)
    world.enrolment.refresh_from_db()
    with pytest.raises(ConflictError, match="at gateway"):
        log(world, cast)


# --- audit: late flag, history, corrections --------------------------------------------------------------------


def test_an_entry_logged_more_than_fourteen_days_after_the_activity_is_flagged_late(world, cast):
    on_time = log(world, cast, date=NOW.date() - timedelta(days=14))
    late = log(world, cast, date=NOW.date() - timedelta(days=15))
    assert (on_time.is_late, late.is_late) == (False, True)
    assert late.days_to_log == 15


def test_the_late_threshold_is_a_setting(world, cast, settings):
    settings.OTJ_LATE_LOG_DAYS = 3
    assert log(world, cast, date=NOW.date() - timedelta(days=4)).is_late


def test_every_change_is_kept_in_history(world, cast):
    entry = log(world, cast, hours=Decimal("2"))
    otj_services.otj_entry_update(entry=entry, by=cast.apprentice, fields=fields(world, hours=Decimal("3")))
    otj_services.otj_entry_confirm(entry=entry, by=cast.line_manager)
    rows = list(entry.history.order_by("history_date", "history_id").values_list("hours", "status"))
    states = [row for n, row in enumerate(rows) if n == 0 or row != rows[n - 1]]  # KSB changes add rows too
    assert states == [(Decimal("2"), "pending"), (Decimal("3"), "pending"), (Decimal("3"), "confirmed")]


def test_a_deleted_pending_entry_leaves_a_record_in_history(world, cast):
    entry = log(world, cast)
    pk = entry.pk
    otj_services.otj_entry_delete(entry=entry, by=cast.apprentice)
    assert not OffTheJobEntry.objects.filter(pk=pk).exists()
    assert OffTheJobEntry.history.filter(id=pk, history_type="-").exists()


def test_a_confirmed_entry_cannot_be_edited_or_deleted(world, cast):
    entry = confirmed(world, cast)
    with pytest.raises(ConflictError, match="Ask for a correction"):
        otj_services.otj_entry_update(
            entry=entry, by=cast.apprentice, fields=fields(world, hours=Decimal("5"))
        )
    with pytest.raises(ConflictError):
        otj_services.otj_entry_delete(entry=entry, by=cast.apprentice)
    entry.refresh_from_db()
    assert (entry.hours, entry.status) == (Decimal("2"), Status.CONFIRMED)


def test_a_correction_returns_a_confirmed_entry_to_pending_and_it_stops_counting(world, cast):
    entry = confirmed(world, cast)
    assert otj_selectors.otj_position(world.enrolment).confirmed_hours == Decimal("2")
    otj_services.otj_entry_request_correction(
        entry=entry, by=cast.apprentice, reason="It was 3 hours, not 2."
    )
    entry.refresh_from_db()
    assert entry.status == Status.PENDING
    assert entry.correction_reason == "It was 3 hours, not 2."
    position = otj_selectors.otj_position(world.enrolment)
    assert (position.confirmed_hours, position.pending_hours) == (Decimal("0"), Decimal("2"))
    otj_services.otj_entry_update(entry=entry, by=cast.apprentice, fields=fields(world, hours=Decimal("3")))
    otj_services.otj_entry_confirm(entry=entry, by=cast.line_manager)
    assert otj_selectors.otj_position(world.enrolment).confirmed_hours == Decimal("3")
    assert entry.history.filter(status="confirmed", hours=Decimal("2")).exists()


def test_a_correction_needs_a_reason(world, cast):
    entry = confirmed(world, cast)
    with pytest.raises(DomainError, match="what needs correcting"):
        otj_services.otj_entry_request_correction(entry=entry, by=cast.apprentice, reason=" ")


# --- confirmation ----------------------------------------------------------------------------------------------


def test_the_line_manager_confirms_and_the_decision_is_recorded(world, cast):
    entry = confirmed(world, cast)
    assert entry.status == Status.CONFIRMED
    assert (entry.decided_by, entry.decided_at, entry.decided_via) == (cast.line_manager, NOW, "page")


@pytest.mark.parametrize("who", ["apprentice", "tutor", "director", "other_manager", "admin"])
def test_only_the_apprentices_line_manager_confirms_or_queries(world, cast, who):
    entry = log(world, cast)
    with pytest.raises(ActionNotAllowed):
        otj_services.otj_entry_confirm(entry=entry, by=getattr(cast, who))
    with pytest.raises(ActionNotAllowed):
        otj_services.otj_entry_reject(entry=entry, by=getattr(cast, who), reason="No")
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


def test_a_query_needs_a_reason_and_sends_the_entry_back(world, cast):
    entry = log(world, cast)
    with pytest.raises(DomainError, match="Give a reason"):
        otj_services.otj_entry_reject(entry=entry, by=cast.line_manager, reason="")
    otj_services.otj_entry_reject(entry=entry, by=cast.line_manager, reason="Please say which papers.")
    entry.refresh_from_db()
    assert (entry.status, entry.rejection_reason) == (Status.REJECTED, "Please say which papers.")
    otj_services.otj_entry_update(
        entry=entry,
        by=cast.apprentice,
        fields=fields(world, description="Read Moore on public value, chapters 1-3."),
    )
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


def test_confirming_an_entry_already_queried_is_a_conflict(world, cast):
    entry = log(world, cast)
    otj_services.otj_entry_reject(entry=entry, by=cast.line_manager, reason="Not in working hours.")
    with pytest.raises(ConflictError, match="already queried"):
        otj_services.otj_entry_confirm(entry=entry, by=cast.line_manager)


def test_many_entries_are_confirmed_at_once_and_decided_ones_are_skipped(world, cast):
    entries = [log(world, cast, date=date(2026, 3, d)) for d in (2, 3, 4)]
    otj_services.otj_entry_reject(entry=entries[0], by=cast.line_manager, reason="Wrong day.")
    result = otj_services.otj_entries_decide(
        entry_ids=[e.pk for e in entries], by=cast.line_manager, confirm=True
    )
    assert (result.done, result.skipped) == (2, 1)
    statuses = dict(OffTheJobEntry.objects.values_list("pk", "status"))
    assert [statuses[e.pk] for e in entries] == ["rejected", "confirmed", "confirmed"]


def test_bulk_decisions_ignore_entries_of_other_managers_apprentices(world, cast):
    entry = log(world, cast)
    with pytest.raises(DomainError, match="Choose at least one"):
        otj_services.otj_entries_decide(entry_ids=[entry.pk], by=cast.other_manager, confirm=True)
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


# --- status, expected to date, pace needed ---------------------------------------------------------------------


def test_expected_to_date_is_the_minimum_pro_rata_over_elapsed_weeks(world, cast):
    position = otj_selectors.otj_position(world.enrolment)
    assert position.required_hours == Decimal("460")
    assert position.total_weeks == Decimal("104")
    assert position.elapsed_weeks == Decimal("52")
    assert position.expected_hours_to_date == Decimal("230.00")
    assert "460 h × 52 of 104 practical weeks" in position.expected_explanation
    assert position.policy == "2025"


def test_breaks_in_learning_are_excluded_from_elapsed_and_total_weeks(world, cast):
    BreakInLearning.objects.create(
        enrolment=world.enrolment, start_date=date(2026, 3, 2), end_date=date(2026, 3, 30), reason="Illness"
    )
    position = otj_selectors.otj_position(world.enrolment)
    assert (position.elapsed_weeks, position.total_weeks) == (Decimal("48"), Decimal("100"))
    assert position.expected_hours_to_date == Decimal("220.80")  # 460 × 48 / 100


@pytest.mark.parametrize(
    ("hours", "status", "percent"),
    [
        (Decimal("230"), "on_track", Decimal("100.0")),
        (Decimal("207"), "on_track", Decimal("90.0")),
        (Decimal("206.75"), "behind", Decimal("89.9")),
        (Decimal("161"), "behind", Decimal("70.0")),
        (Decimal("160.75"), "at_risk", Decimal("69.9")),
    ],
)
def test_status_follows_the_share_of_expected_hours_confirmed(world, cast, hours, status, percent):
    bulk_confirmed(world, cast, hours)
    position = otj_selectors.otj_position(world.enrolment)
    assert (position.status, position.percent_of_expected) == (status, percent)


def test_only_confirmed_hours_count_pending_hours_are_shown_apart(world, cast):
    bulk_confirmed(world, cast, Decimal("100"))
    log(world, cast, date=date(2026, 9, 1), hours=Decimal("8"))
    position = otj_selectors.otj_position(world.enrolment)
    assert (position.confirmed_hours, position.pending_hours) == (Decimal("100"), Decimal("8"))
    assert position.status == "at_risk"


def test_the_thresholds_are_settings(world, cast, settings):
    bulk_confirmed(world, cast, Decimal("161"))
    settings.OTJ_AT_RISK_BELOW_PERCENT = 75
    assert otj_selectors.otj_position(world.enrolment).status == "at_risk"


def test_complete_once_confirmed_hours_reach_the_minimum_and_no_pace_is_needed(world, cast):
    bulk_confirmed(world, cast, Decimal("460"))
    position = otj_selectors.otj_position(world.enrolment)
    assert position.status == "complete"
    assert position.weekly_hours_needed is None
    assert position.forecast == ["The 460 h minimum has been reached: 460 h confirmed."]


def test_weekly_hours_needed_is_remaining_hours_over_remaining_weeks(world, cast):
    bulk_confirmed(world, cast, Decimal("230"))
    position = otj_selectors.otj_position(world.enrolment)
    assert position.remaining_weeks == Decimal("52")
    assert position.weekly_hours_needed == Decimal("4.42")  # 230 / 52


def test_the_2022_rule_applies_to_earlier_starts_with_its_working(world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(
        start_date=date(2024, 9, 16), planned_end_date=date(2026, 9, 14)
    )
    world.enrolment.refresh_from_db()
    position = otj_selectors.otj_position(world.enrolment, on=date(2025, 9, 14))
    assert position.required_hours == Decimal("556.8")
    assert (
        position.explanation
        == "hours capped at 30 a week; 104 weeks − 11.2 weeks statutory leave = 92.8 weeks × 6 h = 556.8 h"
    )
    assert position.policy == "2022"
    assert position.expected_hours_to_date == Decimal("278.40")


# --- forecast ---------------------------------------------------------------------------------------------------


def test_forecast_says_when_the_minimum_will_be_reached_at_the_recent_pace(world, cast):
    bulk_confirmed(world, cast, Decimal("230"))  # all in the first months: no recent pace
    for week in range(8):  # 10 h a week over the last 8 weeks
        confirmed(world, cast, date=date(2026, 7, 20) + timedelta(weeks=week), hours=Decimal("8"))
        confirmed(world, cast, date=date(2026, 7, 21) + timedelta(weeks=week), hours=Decimal("2"))
    position = otj_selectors.otj_position(world.enrolment)
    assert position.pace_per_week == Decimal("10.00")
    assert position.reach_date == date(2026, 12, 27)  # 460 − 310 = 150 h left at 10 h a week = 15 weeks
    assert position.forecast[0] == (
        "At the pace of the last 8 weeks (10 h a week), the 460 h minimum will be reached around 27 December 2026, "
        "37 weeks before the planned end date (13 September 2027)."
    )


def test_forecast_says_how_far_short_and_what_weekly_pace_closes_the_gap(world, cast):
    for week in range(8):  # 2 h a week recently, 16 h in all
        confirmed(world, cast, date=date(2026, 7, 20) + timedelta(weeks=week), hours=Decimal("2"))
    position = otj_selectors.otj_position(world.enrolment)
    assert position.pace_per_week == Decimal("2.00")
    assert position.projected_hours == Decimal("120.00")  # 16 + 2 × 52
    assert position.shortfall == Decimal("340.00")
    assert position.forecast[:2] == [
        "At the pace of the last 8 weeks (2 h a week), about 120 h will be confirmed by the planned end date "
        "(13 September 2027): 340 h short of the 460 h minimum.",
        "Logging 8.54 h a week from now closes the gap.",  # (460 − 16) / 52
    ]


def test_forecast_counts_the_timetabled_learning_still_to_come(world, cast):
    # The world's module run: online from 22 Sep 2025 for 6 weeks, then campus days; add a run still to come.
    from tests.factories import ModuleFactory, ModuleRunFactory

    later = ModuleFactory(programme=world.programme, order=2, title="Evidence and Policy", campus_days=2)
    ModuleRunFactory(module=later, cohort=world.cohort, online_start=date(2026, 10, 5))
    position = otj_selectors.otj_position(world.enrolment)
    assert (position.timetable_online_weeks, position.timetable_campus_days) == (6, 2)
    assert position.timetable_hours == Decimal("50")  # 6 × 6 h + 2 × 7 h
    assert any("6 online module weeks and 2 campus days" in line for line in position.forecast)


def test_forecast_mentions_pending_hours_that_do_not_count_yet(world, cast):
    log(world, cast, date=date(2026, 9, 1), hours=Decimal("3.5"))
    assert "3.5 h more are awaiting the employer's confirmation and do not count yet." in (
        otj_selectors.otj_position(world.enrolment).forecast
    )


def test_positions_for_many_enrolments_take_a_fixed_number_of_queries(world, cast, django_assert_num_queries):
    bulk_confirmed(world, cast, Decimal("40"))
    enrolments = list(Enrolment.objects.all())
    with django_assert_num_queries(4):
        positions = otj_selectors.otj_positions(enrolments)
    assert positions[world.enrolment.pk].confirmed_hours == Decimal("40")
    assert positions[world.other_enrolment.pk].confirmed_hours == Decimal("0")


def test_weekly_series_accumulates_confirmed_and_pending_hours(world, cast):
    confirmed(world, cast, date=date(2025, 9, 22), hours=Decimal("3"))
    log(world, cast, date=date(2025, 9, 29), hours=Decimal("2"))
    position = otj_selectors.otj_position(world.enrolment)
    series = otj_selectors.weekly_series(world.enrolment, position)
    assert len(series) == 105
    assert (series[2]["confirmed"], series[2]["with_pending"]) == (Decimal("3"), Decimal("3"))
    assert (series[3]["confirmed"], series[3]["with_pending"]) == (Decimal("3"), Decimal("5"))
    assert series[-1]["confirmed"] is None  # the future is not drawn
    assert series[-1]["expected"] == Decimal("460")
