"""KSB coverage and the cohort heatmap: statuses (gaps first), and a constant number of queries whatever the
amount of evidence (2 vs 10 pieces) or the size of the cohort (2 vs 8 apprentices), for the selectors, the
pages that show them (coverage, heatmap, portfolio, review queue) and /api/v1/evidence/.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portfolios import selectors, services
from portfolios.models import Evidence
from tests.factories import EnrolmentFactory, UserFactory
from tests.portfolios.evidence_helpers import accept, add, needs_work, pdf, png, review

STATES = ("accepted", "submitted", "needs_work", "draft", "revised", "partly_agreed")
CODES = (("K1",), ("K2", "S1"), ("S1",), ("B1", "K1"), ("K2",))


def grow(world, cast, count: int, *, enrolment=None, apprentice=None, tutor=None) -> None:
    """Add ``count`` pieces of evidence in a mix of states, each with files, to the enrolment."""
    enrolment = enrolment or world.enrolment
    apprentice = apprentice or cast.apprentice
    tutor = tutor or cast.tutor
    existing = Evidence.objects.filter(enrolment=enrolment).count()
    for n in range(existing, existing + count):
        state, codes = STATES[n % len(STATES)], CODES[n % len(CODES)]
        evidence = add(
            world,
            cast,
            *codes,
            title=f"Evidence {n}",
            files=[pdf(f"part {n}.pdf"), png(f"figure {n}.png")],
            submit=state != "draft",
            enrolment=enrolment,
            by=apprentice,
        )
        if state in ("accepted", "revised"):
            accept(evidence, tutor)
        elif state == "needs_work":
            needs_work(evidence, tutor)
        elif state == "partly_agreed":
            review(evidence, tutor, agree=codes[:1], disagree=codes[1:])
        if state == "revised":
            services.evidence_revise(evidence=evidence, by=apprentice)


def join_apprentices(world, cast, count: int) -> list:
    """Add apprentices to the world's cohort (the tutor's caseload), each with some evidence."""
    enrolments = []
    for _ in range(count):
        apprentice = UserFactory(organisation=world.employer)
        enrolment = EnrolmentFactory(
            cohort=world.cohort,
            employer=world.employer,
            apprentice=apprentice,
            line_manager=cast.line_manager,
            practice_tutor=cast.tutor,
        )
        grow(world, cast, 3, enrolment=enrolment, apprentice=apprentice)
        enrolments.append(enrolment)
    return enrolments


def count_queries(call) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured), [q["sql"] for q in captured.captured_queries]


def assert_same_queries(small: tuple[int, list[str]], large: tuple[int, list[str]]) -> None:
    if small[0] != large[0]:
        extra = "\n".join(sql for sql in large[1] if sql not in small[1])
        pytest.fail(f"{small[0]} queries with less data, {large[0]} with more; new ones:\n{extra}")


def page(user, url: str):
    client = Client()
    client.force_login(user)

    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018 - the body is rendered while the queries are counted

    call()  # warm up: sessions, content types and the like are loaded once
    return call


# --- statuses -----------------------------------------------------------------------------------------------


def test_coverage_lists_gaps_first_then_claimed_then_accepted(world, cast):
    accept(add(world, cast, "S1", title="Accepted S1"), cast.tutor)
    add(world, cast, "K2", title="Awaiting K2")
    add(world, cast, "B1", title="Draft B1", submit=False)

    rows = selectors.ksb_coverage(world.enrolment)
    assert [(row.ksb.code, row.status) for row in rows] == [
        ("K1", "none"),
        ("B1", "none"),  # a draft never submitted is not a claim
        ("K2", "claimed"),
        ("S1", "accepted"),
    ]
    assert selectors.coverage_percent(rows) == 25


def test_within_a_status_knowledge_comes_before_skills_before_behaviours(world, cast):
    rows = selectors.ksb_coverage(world.enrolment)
    assert [row.ksb.code for row in rows] == ["K1", "K2", "S1", "B1"]
    assert {row.status for row in rows} == {"none"}
    assert selectors.coverage_percent(rows) == 0


def test_the_heatmap_shows_each_apprentices_status_per_ksb(world, cast):
    accept(add(world, cast, "K1"), cast.tutor)
    add(world, cast, "S1")
    (other,) = join_apprentices(world, cast, 1)

    heatmap = selectors.cohort_heatmap(world.cohort, user=cast.director)
    assert [k.code for k in heatmap.ksbs] == ["K1", "K2", "S1", "B1"]
    rows = {enrolment.pk: (statuses, percent) for enrolment, statuses, percent in heatmap.rows}
    assert set(rows) == {world.enrolment.pk, other.pk}
    assert rows[world.enrolment.pk] == (["accepted", "none", "claimed", "none"], 25)
    expected = {row.ksb.code: row.status for row in selectors.ksb_coverage(other)}
    assert rows[other.pk][0] == [expected[code] for code in ("K1", "K2", "S1", "B1")]


def test_the_heatmap_shows_only_the_apprentices_the_person_may_see(world, cast):
    join_apprentices(world, cast, 1)
    mine = EnrolmentFactory(cohort=world.cohort, employer=world.employer, practice_tutor=cast.other_tutor)

    director_rows = {e.pk for e, _s, _p in selectors.cohort_heatmap(world.cohort, user=cast.director).rows}
    tutor_rows = {e.pk for e, _s, _p in selectors.cohort_heatmap(world.cohort, user=cast.tutor).rows}
    other_rows = {e.pk for e, _s, _p in selectors.cohort_heatmap(world.cohort, user=cast.other_tutor).rows}
    assert mine.pk in director_rows and len(director_rows) == 3
    assert mine.pk not in tutor_rows and len(tutor_rows) == 2
    assert other_rows == {mine.pk}


@pytest.mark.parametrize("member", ("tutor", "director"))
def test_the_heatmap_page_is_for_the_tutor_and_the_director(world, cast, member):
    accept(add(world, cast, "K1"), cast.tutor)
    client = Client()
    client.force_login(getattr(cast, member))
    response = client.get(f"/cohorts/{world.cohort.pk}/ksb-heatmap/")
    assert response.status_code == 200
    assert "Ada Apprentice" in response.content.decode()
    assert "cov-accepted" in response.content.decode()


@pytest.mark.parametrize("member", ("apprentice", "line_manager", "other_tutor", "other_director"))
def test_the_heatmap_page_is_not_found_for_others(world, cast, member):
    client = Client()
    client.force_login(getattr(cast, member))
    assert client.get(f"/cohorts/{world.cohort.pk}/ksb-heatmap/").status_code == 404


# --- constant queries: more evidence ------------------------------------------------------------------------


def test_ksb_coverage_runs_the_same_queries_for_2_or_10_pieces_of_evidence(world, cast):
    grow(world, cast, 2)
    small = count_queries(lambda: selectors.ksb_coverage(world.enrolment))
    grow(world, cast, 8)
    large_rows = []
    large = count_queries(lambda: large_rows.extend(selectors.ksb_coverage(world.enrolment)))
    assert_same_queries(small, large)
    assert Evidence.objects.filter(enrolment=world.enrolment).count() == 10
    assert {row.status for row in large_rows} >= {"accepted", "claimed"}
    # reading the evidence behind each row (as the coverage page does) needs no more queries
    follow_up = count_queries(
        lambda: [e.current.title for row in large_rows for e in row.accepted + row.claimed]
    )
    assert follow_up[0] == 0


@pytest.mark.parametrize("member", ("director", "tutor"))
def test_the_heatmap_runs_the_same_queries_for_2_or_10_pieces_of_evidence(world, cast, member):
    user = getattr(cast, member)
    join_apprentices(world, cast, 1)
    grow(world, cast, 2)
    small = count_queries(lambda: selectors.cohort_heatmap(world.cohort, user=user))
    grow(world, cast, 8)
    large = count_queries(lambda: selectors.cohort_heatmap(world.cohort, user=user))
    assert_same_queries(small, large)


@pytest.mark.parametrize("member", ("director", "tutor"))
def test_the_heatmap_runs_the_same_queries_for_2_or_8_apprentices(world, cast, member):
    user = getattr(cast, member)
    grow(world, cast, 2)
    join_apprentices(world, cast, 1)
    heatmap = selectors.cohort_heatmap(world.cohort, user=user)
    assert len(heatmap.rows) == 2
    small = count_queries(lambda: selectors.cohort_heatmap(world.cohort, user=user))

    join_apprentices(world, cast, 6)
    heatmap = selectors.cohort_heatmap(world.cohort, user=user)
    assert len(heatmap.rows) == 8
    large = count_queries(lambda: selectors.cohort_heatmap(world.cohort, user=user))
    assert_same_queries(small, large)


def test_the_heatmap_page_runs_the_same_queries_for_2_or_8_apprentices(world, cast):
    grow(world, cast, 2)
    join_apprentices(world, cast, 1)
    url = f"/cohorts/{world.cohort.pk}/ksb-heatmap/"
    director, tutor = page(cast.director, url), page(cast.tutor, url)
    small = {"director": count_queries(director), "tutor": count_queries(tutor)}
    join_apprentices(world, cast, 6)
    large = {"director": count_queries(director), "tutor": count_queries(tutor)}
    for who in small:
        assert_same_queries(small[who], large[who])


PAGES = {
    # name: (who, url)
    "coverage-page-apprentice": ("apprentice", lambda w: f"/enrolments/{w.enrolment.pk}/ksb-coverage/"),
    "coverage-page-tutor": ("tutor", lambda w: f"/enrolments/{w.enrolment.pk}/ksb-coverage/"),
    "heatmap-page-director": ("director", lambda w: f"/cohorts/{w.cohort.pk}/ksb-heatmap/"),
    "heatmap-page-tutor": ("tutor", lambda w: f"/cohorts/{w.cohort.pk}/ksb-heatmap/"),
    "portfolio-page-apprentice": ("apprentice", lambda w: f"/enrolments/{w.enrolment.pk}/portfolio/"),
    "portfolio-page-tutor": ("tutor", lambda w: f"/enrolments/{w.enrolment.pk}/portfolio/"),
    "portfolio-page-line-manager": ("line_manager", lambda w: f"/enrolments/{w.enrolment.pk}/portfolio/"),
    "review-queue-tutor": ("tutor", lambda w: "/portfolio/review/"),
    "api-evidence-list-apprentice": ("apprentice", lambda w: "/api/v1/evidence/"),
    "api-evidence-list-tutor": ("tutor", lambda w: "/api/v1/evidence/"),
    "api-evidence-list-director": ("director", lambda w: "/api/v1/evidence/"),
    "api-ksb-coverage-tutor": ("tutor", lambda w: f"/api/v1/enrolments/{w.enrolment.pk}/ksb-coverage/"),
}


@pytest.mark.parametrize("name", PAGES)
def test_pages_run_the_same_queries_for_2_or_10_pieces_of_evidence(world, cast, name):
    who, url = PAGES[name]
    grow(world, cast, 2)
    call = page(getattr(cast, who), url(world))
    small = count_queries(call)
    grow(world, cast, 8)
    large = count_queries(call)
    assert_same_queries(small, large)


def test_the_review_queue_runs_the_same_queries_for_2_or_10_submissions(world, cast):
    for n in range(2):
        add(world, cast, "K1", "S1", title=f"Waiting {n}", files=[pdf()])
    call = page(cast.tutor, "/portfolio/review/")
    small = count_queries(call)
    for n, codes in zip(range(2, 10), itertools.cycle(CODES), strict=False):
        add(world, cast, *codes, title=f"Waiting {n}", files=[pdf()])
    large = count_queries(call)
    assert len(selectors.review_queue(cast.tutor)) == 10
    assert_same_queries(small, large)


def test_the_shared_portfolio_runs_the_same_queries_for_2_or_10_pieces_of_evidence(world, cast):
    share = services.share_create(enrolment=world.enrolment, by=cast.tutor, recipient="Ann", days=7)
    grow(world, cast, 2)
    client = Client()
    url = f"/shared/portfolio/{share.token}/"
    client.get(url)
    small = count_queries(lambda: client.get(url).content)
    grow(world, cast, 8)
    large = count_queries(lambda: client.get(url).content)
    assert_same_queries(small, large)
