"""The demo (manage.py seed_demo): idempotent, and exactly the accounts and data api.md describes."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from assessments.epa.models import EndPointAssessment
from programmes.models import Enrolment, Programme, Standard

PASSWORD = "tripartite-demo"
MODULE_TITLES = [
    "Public Management and Governance",
    "Leadership",
    "Digital Era Public Policy",
    "Evidence and Policy",
    "Performance, Strategy and Challenge",
    "Commercialisation",
]
COHORT_2024 = [f"apprentice{n}@demo.test" for n in range(1, 7)]
COHORT_2025 = [f"apprentice{n}@demo.test" for n in range(7, 13)]
# Each account's API scope and roles, per api.md's description of the demo.
ACCOUNTS = {
    "director@demo.test": (12, ["programme_director"]),
    "tutor1@demo.test": (6, ["practice_tutor"]),
    "tutor2@demo.test": (6, ["practice_tutor"]),
    "lead@demo.test": (12, ["module_lead"]),
    "manager1@demo.test": (6, ["line_manager"]),
    "manager2@demo.test": (6, ["line_manager"]),
    "admin@demo.test": (12, ["admin"]),
    **{email: (1, ["apprentice"]) for email in COHORT_2024 + COHORT_2025},
}


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def the_epas_the_demo_assigns():
    return EndPointAssessment.objects.filter(assessor__email="assessor@demo.test").count()


def test_running_the_demo_a_second_time_changes_nothing(demo):
    before = row_counts()
    assert before["programmes.Enrolment"] == 12
    assert before["programmes.HistoricalEnrolment"] > 0

    output = seed()

    after = row_counts()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert changed == {}, f"rows added by the second run (before, after): {changed}"
    assert "0 new records" in output


def test_the_director_directs_the_st0480_programme_with_its_six_modules_in_order(demo):
    director = User.objects.get(email="director@demo.test")

    programme = Programme.objects.get(directors=director)

    assert programme.standard.code == "ST0480"
    assert programme.standard.level == 7
    assert list(programme.modules.order_by("order").values_list("order", "title")) == list(
        enumerate(MODULE_TITLES, start=1)
    )


def test_the_demo_programme_reads_the_same_through_the_api(demo):
    api = APIClient()
    api.force_authenticate(User.objects.get(email="director@demo.test"))

    body = api.get("/api/v1/programmes/").json()

    assert body["count"] == 1
    programme = body["results"][0]
    assert programme["standard"]["code"] == "ST0480"
    assert [module["title"] for module in programme["modules"]] == MODULE_TITLES
    assert len(programme["ksbs"]) > 0


@pytest.mark.parametrize(
    ("emails", "cohort", "manager", "tutor", "employer_word"),
    [
        (COHORT_2024, "2024 cohort", "manager1@demo.test", "tutor1@demo.test", "Council"),
        (COHORT_2025, "2025 cohort", "manager2@demo.test", "tutor2@demo.test", "NHS"),
    ],
    ids=["2024", "2025"],
)
def test_each_cohort_has_its_six_apprentices_with_their_manager_and_tutor(
    demo, emails, cohort, manager, tutor, employer_word
):
    enrolments = Enrolment.objects.filter(cohort__name=cohort).select_related(
        "apprentice", "line_manager", "practice_tutor", "employer"
    )

    assert sorted(enrolment.apprentice.email for enrolment in enrolments) == sorted(emails)
    for enrolment in enrolments:
        assert enrolment.line_manager.email == manager
        assert enrolment.practice_tutor.email == tutor
        assert enrolment.employer == enrolment.line_manager.organisation
        assert employer_word in enrolment.employer.name
        assert enrolment.programme.directors.filter(email="director@demo.test").exists()


def test_every_demo_account_can_sign_in_on_the_web(demo):
    emails = sorted(User.objects.filter(email__endswith="@demo.test").values_list("email", flat=True))
    assert sorted(emails) == sorted([*ACCOUNTS, "assessor@demo.test"])
    failures = []
    for email in emails:
        cache.clear()  # the login page is rate limited per IP address
        browser = Client()
        response = browser.post("/accounts/login/", {"login": email, "password": PASSWORD})
        if response.status_code != 302 or response["Location"] != "/":
            failures.append((email, response.status_code, response.get("Location")))
        elif browser.get("/").status_code != 200:
            failures.append((email, "home page did not render"))

    assert failures == []


def test_every_demo_account_gets_a_token_that_sees_exactly_its_scope(demo):
    scopes = ACCOUNTS | {"assessor@demo.test": (the_epas_the_demo_assigns(), ["assessor"])}
    assert scopes["assessor@demo.test"][0] >= 1
    failures = []
    for email, (expected_count, expected_roles) in sorted(scopes.items()):
        cache.clear()  # the token endpoint is rate limited like the login page
        api = APIClient()
        response = api.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD})
        if response.status_code != 200:
            failures.append((email, "no token", response.status_code))
            continue
        api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        count = api.get("/api/v1/enrolments/").json()["count"]
        roles = api.get("/api/v1/me/").json()["roles"]
        if (count, roles) != (expected_count, expected_roles):
            failures.append((email, {"count": count, "roles": roles}))

    assert failures == []


def test_an_apprentices_token_sees_only_their_own_enrolment(demo):
    api = APIClient()
    token = api.post("/api/v1/auth/token/", {"email": "apprentice7@demo.test", "password": PASSWORD}).json()[
        "token"
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    results = api.get("/api/v1/enrolments/").json()["results"]

    assert [row["apprentice"]["email"] for row in results] == ["apprentice7@demo.test"]
    assert results[0]["cohort"]["name"] == "2025 cohort"
    assert results[0]["line_manager"]["email"] == "manager2@demo.test"
    assert results[0]["practice_tutor"]["email"] == "tutor2@demo.test"


def test_the_assessor_is_assigned_the_apprentices_in_end_point_assessment(demo):
    epas = EndPointAssessment.objects.filter(assessor__email="assessor@demo.test").select_related("enrolment")

    assert epas.count() >= 1
    # In EPA, or completed after it (the demo completes apprentice1 with a certificate: demo/epa.py).
    assert {epa.enrolment.status for epa in epas} == {Enrolment.Status.EPA, Enrolment.Status.COMPLETED}


def test_the_demo_ksbs_are_labelled_as_demo_text(demo):
    standard = Standard.objects.get(code="ST0480")

    assert "Demo" in standard.ksb_source
    assert standard.ksbs.count() > 0
    assert {ksb.kind for ksb in standard.ksbs.all()} == {"K", "S", "B"}


def test_the_demo_has_enrolments_at_every_interesting_stage(demo):
    statuses = set(Enrolment.objects.values_list("status", flat=True))

    assert statuses >= {"pending", "active", "break_in_learning", "gateway", "epa", "withdrawn"}


def test_the_demo_shows_off_the_job_hours_at_every_status_with_work_for_both_managers(demo):
    from portfolios.otj import selectors as otj_selectors
    from portfolios.otj.models import OffTheJobEntry

    started = list(Enrolment.objects.exclude(status="pending"))
    statuses = {p.status for p in otj_selectors.otj_positions(started).values()}
    assert statuses == {"complete", "on_track", "behind", "at_risk"}
    pending = OffTheJobEntry.objects.filter(status="pending")
    assert set(pending.values_list("enrolment__line_manager__email", flat=True)) == {
        "manager1@demo.test",
        "manager2@demo.test",
    }
    assert OffTheJobEntry.objects.filter(status="rejected").exists()
    assert OffTheJobEntry.objects.filter(is_late=True).exists()
    assert OffTheJobEntry.objects.filter(activity_type__counts_towards_otj=False).exists()
