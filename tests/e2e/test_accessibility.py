"""axe-core on the key pages, signed in as the person who uses them: no serious or critical violations."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.models import Organisation, User
from accounts.services import invitation_send
from programmes.models import Enrolment, Programme
from tests.e2e.support import DEMO_PASSWORD, sign_in

BLOCKING = ("serious", "critical")
axe = Axe()


def enrolment_of(email: str, then: str = "") -> Callable[[Page], None]:
    return lambda page: page.goto(f"/enrolments/{Enrolment.objects.get(apprentice__email=email).pk}/{then}")


def review_of(email: str) -> Callable[[Page], None]:
    """The apprentice's latest progress review."""

    def action(page: Page) -> None:
        from tutors.models import ProgressReview

        review = ProgressReview.objects.filter(enrolment__apprentice__email=email).order_by("-number").first()
        page.goto(f"/reviews/{review.pk}/")

    return action


def the_programme(page: Page) -> None:
    page.goto(f"/programmes/{Programme.objects.get().pk}/")


def submit_empty(path: str, button: str) -> Callable[[Page], None]:
    def action(page: Page) -> None:
        page.goto(path)
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("There is a problem")

    return action


def invite_someone(page: Page) -> None:
    page.goto("/people/invite/")
    page.get_by_label("Full name").fill("Nadia Newcomer")
    page.get_by_label("Email address").fill("nadia.newcomer@example.test")
    page.get_by_label("Organisation").select_option(label="Northshire County Council")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to nadia.newcomer@example.test")
    expect(page.locator("tbody tr")).to_have_count(1)


def open_invitation_link(page: Page) -> None:
    invitation = invitation_send(
        invited_by=User.objects.get(email="director@demo.test"),
        email="nadia.newcomer@example.test",
        full_name="Nadia Newcomer",
        organisation=Organisation.objects.get(name="Northshire County Council"),
    )
    page.goto(f"/invitations/{invitation.token}/")


def reauthenticate_then(path: str) -> Callable[[Page], None]:
    def action(page: Page) -> None:
        page.goto(path)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Confirm").click()

    return action


def submit_empty_on(go: Callable[[Page], None], button: str):
    def action(page: Page) -> None:
        go(page)
        page.get_by_role("button", name=button).click()

    return action


def first_evidence_to_review(page: Page) -> None:
    page.goto("/portfolio/review/")
    page.locator("table tbody th a").first.click()


def heatmap_of(cohort_name: str):
    def action(page: Page) -> None:
        from programmes.models import Cohort

        page.goto(f"/cohorts/{Cohort.objects.get(name=cohort_name).pk}/ksb-heatmap/")

    return action


def module_run_of(cohort: str, order: int, then: str = "") -> Callable[[Page], None]:
    def action(page: Page) -> None:
        from programmes.models import ModuleRun

        run = ModuleRun.objects.get(cohort__name=cohort, module__order=order)
        page.goto(f"/module-runs/{run.pk}/{then}")

    return action


def first_entry_to_query(page: Page) -> None:
    page.goto("/otj/confirm/")
    page.get_by_role("link", name="Query this entry").first.click()


def first_in_marking_queue(page: Page) -> None:
    from assessments.models import Submission

    submission = Submission.objects.filter(mark__isnull=True).order_by("feedback_due_on").first()
    page.goto(f"/submissions/{submission.pk}/mark/")


def module_run_setup_of(cohort: str, order: int) -> Callable[[Page], None]:
    def action(page: Page) -> None:
        from programmes.models import Cohort, Module

        page.goto(
            f"/cohorts/{Cohort.objects.get(name=cohort).pk}/modules/{Module.objects.get(order=order).pk}/run/"
        )

    return action


def cohort_page(cohort: str, then: str = "dashboard/") -> Callable[[Page], None]:
    def action(page: Page) -> None:
        from programmes.models import Cohort

        page.goto(f"/cohorts/{Cohort.objects.get(name=cohort).pk}/{then}")

    return action


def assignment_submit_of(email: str, order: int, number: int) -> Callable[[Page], None]:
    def action(page: Page) -> None:
        from assessments.models import Assignment

        enrolment = Enrolment.objects.get(apprentice__email=email)
        assignment = Assignment.objects.get(
            module_run__cohort=enrolment.cohort, module_run__module__order=order, number=number
        )
        page.goto(f"/enrolments/{enrolment.pk}/assignments/{assignment.pk}/submit/")

    return action


def first_completion_record(page: Page) -> None:
    from assessments.epa.models import CompletionRecord

    page.goto(f"/completion-records/{CompletionRecord.objects.order_by('pk').first().pk}/")


def verify_first_certificate(page: Page) -> None:
    from assessments.epa.models import CompletionRecord

    page.goto(f"/verify/{CompletionRecord.objects.order_by('pk').first().verification_code}/")


@dataclass(frozen=True)
class Screen:
    name: str
    go: str | Callable[[Page], None]  # a path, or an action that takes the page there
    heading: str  # (part of) the page's h1, so we know the right page was checked

    def visit(self, page: Page) -> None:
        if isinstance(self.go, str):
            page.goto(self.go)
        else:
            self.go(page)


def home(name="home"):
    return Screen(name, "/", "Hello, ")


# Screens grouped by who uses them, so each group signs in once.
SCREENS = {
    "anonymous": [
        Screen("login", "/accounts/login/", "Sign in"),
        Screen("login with errors", submit_empty("/accounts/login/", "Sign in"), "Sign in"),
        Screen("invitation accept", open_invitation_link, "Welcome, Nadia Newcomer"),
    ],
    "director@demo.test": [
        home(),
        Screen("enrolment list", "/enrolments/", "Enrolments"),
        Screen("enrolment list, filtered", "/enrolments/?status=active&sort=-name", "Enrolments"),
        Screen("enrolment detail", enrolment_of("apprentice4@demo.test"), "Daniel Fraser"),
        Screen("enrolment create", "/enrolments/new/", "Enrol an apprentice"),
        Screen(
            "enrolment create with errors", submit_empty("/enrolments/new/", "Enrol"), "Enrol an apprentice"
        ),
        Screen("invite form", "/people/invite/", "Invite someone"),
        Screen(
            "invite form with errors", submit_empty("/people/invite/", "Send invitation"), "Invite someone"
        ),
        Screen("invitation list", invite_someone, "Invitations"),
        Screen("programme detail", the_programme, "Senior Leader Apprenticeship"),
        Screen("marking status", "/modules/marking/", "Marking status"),
        Screen("module run set-up", module_run_setup_of("2025 cohort", 4), "Evidence and Policy"),
        Screen("training plans awaiting", "/training-plans/awaiting/", "Training plans awaiting signatures"),
        Screen("overdue progress reviews", "/reviews/overdue/", "Overdue progress reviews"),
        Screen("programme dashboard", "/dashboard/", "Programme dashboard"),
        Screen("cohort dashboard", cohort_page("2025 cohort"), "Cohort dashboard"),
        Screen(
            "cohort dashboard, filtered",
            cohort_page("2024 cohort", "dashboard/?rag=red&sort=otj"),
            "Cohort dashboard",
        ),
        Screen("RAG override", enrolment_of("apprentice8@demo.test", "rag/"), "RAG rating"),
        Screen(
            "RAG override with errors",
            submit_empty_on(enrolment_of("apprentice8@demo.test", "rag/"), "Save the rating"),
            "RAG rating",
        ),
        Screen("audit pack", enrolment_of("apprentice4@demo.test", "audit-pack/"), "Audit pack"),
        Screen(
            "training plan to sign",
            enrolment_of("apprentice11@demo.test", "training-plan/"),
            "Tripartite commitment statement",
        ),
        Screen(
            "training plan draft",
            enrolment_of("apprentice12@demo.test", "training-plan/"),
            "Tripartite commitment statement",
        ),
        # Gateway, EPA and completion records.
        Screen("gateway checklist, partly met", enrolment_of("apprentice3@demo.test", "gateway/"), "Gateway"),
        Screen("cohort gateway readiness", cohort_page("2024 cohort", "gateway/"), "Gateway readiness"),
        Screen("end-point assessment, completed", enrolment_of("apprentice1@demo.test", "epa/"), "End-point"),
        Screen("completion record", first_completion_record, "Completion record"),
        Screen("cohort completion records", cohort_page("2024 cohort", "completion/"), "Completion records"),
        Screen("assign the assessor", enrolment_of("apprentice2@demo.test", "epa/assessor/"), "Assign"),
        Screen("certificate verification", verify_first_certificate, "Certificate verification"),
    ],
    "assessor@demo.test": [
        Screen("end-point assessment to grade", enrolment_of("apprentice2@demo.test", "epa/"), "End-point"),
        Screen("record a grade", enrolment_of("apprentice2@demo.test", "epa/grade/"), "Record a grade"),
        Screen(
            "record a grade with errors",
            submit_empty_on(enrolment_of("apprentice2@demo.test", "epa/grade/"), "Record the grade"),
            "Record a grade",
        ),
        Screen("schedule the assessment", enrolment_of("apprentice2@demo.test", "epa/schedule/"), "Schedule"),
        Screen("release the results", enrolment_of("apprentice2@demo.test", "epa/release/"), "Release"),
    ],
    "apprentice1@demo.test": [
        home(),
        Screen("own enrolment detail", enrolment_of("apprentice1@demo.test"), "Amelia Hughes"),
        Screen(
            "own signed training plan",
            enrolment_of("apprentice1@demo.test", "training-plan/"),
            "Tripartite commitment statement",
        ),
        Screen("portfolio", enrolment_of("apprentice1@demo.test", "portfolio/"), "Portfolio"),
        Screen("add evidence", enrolment_of("apprentice1@demo.test", "portfolio/new/"), "Add evidence"),
        Screen(
            "add evidence with errors",
            submit_empty_on(enrolment_of("apprentice1@demo.test", "portfolio/new/"), "Save as draft"),
            "Add evidence",
        ),
        Screen("KSB coverage", enrolment_of("apprentice1@demo.test", "ksb-coverage/"), "KSB coverage"),
        Screen("own progress reviews", enrolment_of("apprentice1@demo.test", "reviews/"), "Progress reviews"),
        Screen(
            "modules and timetable",
            enrolment_of("apprentice1@demo.test", "modules/"),
            "Modules and timetable",
        ),
        Screen("account settings", "/account/", "Your account"),
        Screen("MFA index", "/accounts/2fa/", "Two-Factor Authentication"),
        Screen(
            "MFA activate", reauthenticate_then("/accounts/2fa/totp/activate/"), "Activate Authenticator App"
        ),
    ],
    "tutor2@demo.test": [
        home(),
        Screen("evidence review queue", "/portfolio/review/", "Evidence to review"),
        Screen("evidence to review", first_evidence_to_review, ""),
        Screen("cohort heatmap", heatmap_of("2025 cohort"), "KSB coverage heatmap"),
        Screen("share the portfolio", enrolment_of("apprentice7@demo.test", "portfolio/share/"), "Share"),
        Screen("caseload", "/caseload/", "Your caseload"),
        Screen("caseload, filtered", "/caseload/?state=overdue&sort=name", "Your caseload"),
        Screen("progress reviews", enrolment_of("apprentice8@demo.test", "reviews/"), "Progress reviews"),
        Screen("schedule a review", enrolment_of("apprentice8@demo.test", "reviews/schedule/"), "Schedule"),
        Screen(
            "schedule with errors",
            submit_empty_on(
                enrolment_of("apprentice8@demo.test", "reviews/schedule/"), "Schedule and send invitations"
            ),
            "Schedule",
        ),
        Screen(
            "record a review", enrolment_of("apprentice7@demo.test", "reviews/record/"), "Record a review"
        ),
        Screen("review awaiting signatures", review_of("apprentice9@demo.test"), "Progress review"),
    ],
    "lead@demo.test": [
        home(),
        Screen("marking queue", "/marking/", "Marking queue"),
        Screen("mark a submission", first_in_marking_queue, "Mark: "),
        Screen("module run", module_run_of("2025 cohort", 3), "Digital Era Public Policy"),
        Screen("release marks", module_run_of("2025 cohort", 3, "release/"), "Release the marks"),
    ],
    "apprentice9@demo.test": [
        Screen(
            "off-the-job ledger, at risk", enrolment_of("apprentice9@demo.test", "otj/"), "Off-the-job hours"
        ),
        Screen(
            "off-the-job ledger, filtered",
            enrolment_of("apprentice9@demo.test", "otj/?status=confirmed&activity_type=reading"),
            "Off-the-job hours",
        ),
        Screen("log hours", enrolment_of("apprentice9@demo.test", "otj/new/"), "Log hours"),
        Screen(
            "log hours with errors",
            submit_empty_on(enrolment_of("apprentice9@demo.test", "otj/new/"), "Log hours"),
            "Log hours",
        ),
        Screen("modules with a failed module", enrolment_of("apprentice9@demo.test", "modules/"), "Modules"),
        Screen("submit an assignment", assignment_submit_of("apprentice9@demo.test", 4, 1), "Submit: "),
        Screen(
            "submit with errors",
            submit_empty_on(assignment_submit_of("apprentice9@demo.test", 4, 1), "Submit the assignment"),
            "Submit: ",
        ),
    ],
    "manager2@demo.test": [
        home(),
        Screen("hours to confirm", "/otj/confirm/", "Hours to confirm"),
        Screen("query an entry", first_entry_to_query, "Query "),
    ],
    **{f"{role}@demo.test": [home()] for role in ("apprentice7", "manager1", "tutor1", "assessor", "admin")},
}


def blocking_violations(page) -> list[dict]:
    violations = axe.run(page).response["violations"]
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"      at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("who", SCREENS)
def test_key_pages_have_no_serious_or_critical_accessibility_violations(page, demo, url, who):
    if who != "anonymous":
        sign_in(page, who)
        expect(page).to_have_url(url("/"))
    problems = []
    for screen in SCREENS[who]:
        screen.visit(page)
        expect(page.get_by_role("heading", level=1)).to_contain_text(screen.heading)
        blocking = blocking_violations(page)
        if blocking:
            problems.append(f"{screen.name} ({page.url}):\n{describe(blocking)}")

    assert not problems, f"axe found serious or critical violations as {who}:\n" + "\n".join(problems)


def test_the_check_catches_blocking_violations(page):
    """The harness is not vacuous: a broken page does produce blocking violations, named with their targets."""
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert blocking_violations(page) == []
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<img id="no-alt" src="data:,"><input id="no-label" type="text">');
        }"""
    )

    blocking = blocking_violations(page)

    assert {v["id"] for v in blocking} >= {"image-alt", "label"}
    report = describe(blocking)
    assert "#no-alt" in report
    assert "#no-label" in report
