"""Every demo role signs in through the login form and lands on a home page showing their own data, not others'."""

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in

PROGRAMME = "Senior Leader Apprenticeship (Public Management and Leadership)"
COHORT_2024_LIVE = ["Amelia Hughes", "Ben Okafor", "Chloe Patel", "Daniel Fraser", "Eleanor Walsh"]
WITHDRAWN_2024 = "Farhan Ali"  # apprentice6 withdrew: off the manager's and tutor's current lists
COHORT_2025 = [
    "Grace Thompson",
    "Harry Nowak",
    "Isla Campbell",
    "Jacob Mensah",
    "Katie O'Brien",
    "Liam Davies",
]
PENDING_2025 = ["Katie O'Brien", "Liam Davies"]  # apprentice11 and 12: training plan not yet signed
# apprentice11's plan was sent and the apprentice signed; the line manager and the director still have to sign.
SIGN_KATIES_PLAN = "Sign the training plan for Katie O'Brien"
MODULES = [
    "Public Management and Governance",
    "Leadership",
    "Digital Era Public Policy",
    "Evidence and Policy",
    "Performance, Strategy and Challenge",
    "Commercialisation",
]
SECTIONS = [
    "Needs attention",
    "Your apprenticeship",
    "Apprentices you manage",
    "Your caseload",
    "Your programmes",
    "Modules you lead",
    "End-point assessments assigned to you",
]


def region(page, name):
    return page.get_by_role("region", name=name, exact=True)


def column(table_region, label):
    """The cells of one column of an enrolment table (the cells carry their header in ``data-label``)."""
    return table_region.locator(f'tbody td[data-label="{label}"]')


def fact(card, term):
    return card.locator("dt", has_text=re.compile(f"^{term}$")).locator("xpath=following-sibling::dd[1]")


def expect_only_sections(page, *names):
    for name in SECTIONS:
        expect(region(page, name)).to_have_count(1 if name in names else 0)


def expect_absent(page, *texts):
    main = page.locator("main")
    for text in texts:
        expect(main).not_to_contain_text(text)


def expect_inviter_links(page, visible: bool):
    people = page.get_by_role("navigation", name="Main").get_by_role("link", name="People", exact=True)
    enrol = page.get_by_role("link", name="Enrol an apprentice")
    for link in (people, enrol):
        expect(link).to_have_count(1 if visible else 0)


def check_own_apprenticeship(page, *, cohort, employer, manager, tutor, status, dates, others):
    expect_only_sections(page, "Your apprenticeship")
    own = region(page, "Your apprenticeship")
    # The enrolment's own card (the page may also show a card of coming assignment deadlines).
    cards = own.locator(".card").filter(has=page.get_by_role("link", name=PROGRAMME))
    expect(cards).to_have_count(1)
    expect(cards.get_by_role("heading", level=3)).to_have_text(f"{PROGRAMME} {status}")
    expect(cards.get_by_role("link", name=PROGRAMME)).to_have_attribute(
        "href", re.compile(r"^/enrolments/\d+/$")
    )
    expect(fact(cards, "Cohort")).to_have_text(cohort)
    expect(fact(cards, "Employer")).to_have_text(employer)
    expect(fact(cards, "Line manager")).to_have_text(manager)
    expect(fact(cards, "Practice tutor")).to_have_text(tutor)
    expect(fact(cards, "Dates")).to_have_text(dates)
    expect_absent(page, *others)
    expect_inviter_links(page, visible=False)


def check_apprentice1(page):
    check_own_apprenticeship(
        page,
        cohort="2024 cohort",
        employer="Northshire County Council",
        manager="Helen Morris",
        tutor="Tom Bennett",
        status="Completed",  # demo/epa.py completes apprentice1 with a certificate
        dates="16 September 2024 to 14 September 2026",
        others=[
            *COHORT_2024_LIVE[1:],
            WITHDRAWN_2024,
            *COHORT_2025,
            "2025 cohort",
            "Riverside",
            "David Osei",
        ],
    )


def check_apprentice7(page):
    check_own_apprenticeship(
        page,
        cohort="2025 cohort",
        employer="Riverside NHS Foundation Trust",
        manager="David Osei",
        tutor="Rachel Evans",
        status="Active",
        dates="15 September 2025 to 13 September 2027",
        others=[
            *COHORT_2024_LIVE,
            WITHDRAWN_2024,
            *COHORT_2025[1:],
            "2024 cohort",
            "Northshire",
            "Helen Morris",
        ],
    )


CONFIRM_OTJ = re.compile(r"^Confirm \d+ off-the-job entr(y|ies)$")


def check_manager1(page):
    expect_only_sections(page, "Needs attention", "Apprentices you manage")
    expect(region(page, "Needs attention").get_by_role("link")).to_have_text([CONFIRM_OTJ])
    managed = region(page, "Apprentices you manage")
    expect(column(managed, "Apprentice")).to_have_text(COHORT_2024_LIVE)
    expect(column(managed, "Employer")).to_have_text(["Northshire County Council"] * 5)
    expect(column(managed, "Status")).to_have_text(
        ["Completed", "In end-point assessment", "At gateway", "Active", "Break in learning"]
    )
    expect_absent(page, WITHDRAWN_2024, *COHORT_2025, "Riverside")
    expect_inviter_links(page, visible=False)


def check_manager2(page):
    expect_only_sections(page, "Needs attention", "Apprentices you manage")
    expect(region(page, "Needs attention").get_by_role("link")).to_have_text(
        [
            CONFIRM_OTJ,
            SIGN_KATIES_PLAN,
            re.compile(r"^Sign progress review \d+ for Isla Campbell$"),
            *PENDING_2025,
        ]
    )
    managed = region(page, "Apprentices you manage")
    expect(column(managed, "Apprentice")).to_have_text(COHORT_2025)
    expect(column(managed, "Employer")).to_have_text(["Riverside NHS Foundation Trust"] * 6)
    expect_absent(page, *COHORT_2024_LIVE, WITHDRAWN_2024, "Northshire")
    expect_inviter_links(page, visible=False)


def check_tutor1(page):
    expect_only_sections(page, "Your caseload")
    caseload = region(page, "Your caseload")
    # Amelia Hughes has completed: off the current caseload.
    expect(column(caseload, "Apprentice")).to_have_text(COHORT_2024_LIVE[1:])
    expect(column(caseload, "Cohort")).to_have_text(["2024 cohort"] * 4)
    expect_absent(page, WITHDRAWN_2024, *COHORT_2025, "2025 cohort")
    expect_inviter_links(page, visible=False)


def check_tutor2(page):
    expect_only_sections(page, "Needs attention", "Your caseload")
    # The tutor does not sign training plans: only the pending enrolments need attention.
    expect(region(page, "Needs attention").get_by_role("link")).to_have_text(PENDING_2025)
    caseload = region(page, "Your caseload")
    expect(column(caseload, "Apprentice")).to_have_text(COHORT_2025)
    expect(column(caseload, "Status")).to_have_text(["Active"] * 4 + ["Pending training plan signatures"] * 2)
    expect_absent(page, *COHORT_2024_LIVE, WITHDRAWN_2024, "2024 cohort")
    expect_inviter_links(page, visible=False)


def check_programme_overview(page):
    programmes = region(page, "Your programmes")
    expect(programmes.get_by_role("heading", level=3)).to_have_text([PROGRAMME])
    rows = programmes.locator("tbody tr")
    # Cohort, total, pending, active, on a break, gateway or EPA, completed, withdrawn, KSB heatmap link;
    # newest cohort first.
    expect(rows.nth(0).locator("th, td")).to_have_text(
        ["2025 cohort", "6", "2", "4", "0", "0", "0", "0", "Heatmap for 2025 cohort"]
    )
    expect(rows.nth(1).locator("th, td")).to_have_text(
        ["2024 cohort", "6", "0", "1", "1", "2", "1", "1", "Heatmap for 2024 cohort"]  # apprentice1 completed
    )
    expect(rows).to_have_count(2)
    expect_inviter_links(page, visible=True)
    expect(programmes.get_by_role("link", name="Invite someone")).to_be_visible()
    expect(programmes.get_by_role("link", name="1 training plan awaiting signatures")).to_be_visible()


def check_director(page):
    expect_only_sections(page, "Needs attention", "Your programmes")
    expect(region(page, "Needs attention").get_by_role("link")).to_have_text([SIGN_KATIES_PLAN])
    check_programme_overview(page)
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)


def check_admin(page):
    # The administrator sees every programme but signs no plans: they are not the director.
    expect_only_sections(page, "Your programmes")
    check_programme_overview(page)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin", exact=True)
    ).to_be_visible()


def check_lead(page):
    expect_only_sections(page, "Modules you lead")
    rows = region(page, "Modules you lead").locator("tbody tr")
    expect(rows).to_have_count(12)
    modules = [row.locator("td").nth(0).inner_text() for row in rows.all()]
    cohorts = [row.locator("td").nth(1).inner_text() for row in rows.all()]
    assert Counter(modules) == Counter(MODULES * 2)
    assert Counter(cohorts) == {"2024 cohort": 6, "2025 cohort": 6}
    # Runs are listed by when they start: the 2024 cohort's first module comes first.
    expect(rows.first.locator("td").nth(0)).to_have_text(MODULES[0])
    expect(rows.first.locator("td").nth(1)).to_have_text("2024 cohort")
    expect_inviter_links(page, visible=False)


def check_assessor(page):
    expect_only_sections(page, "End-point assessments assigned to you")
    rows = region(page, "End-point assessments assigned to you").locator("tbody tr")
    expect(rows.locator("td:nth-child(1)")).to_have_text(["Amelia Hughes", "Ben Okafor"])
    expect(rows.locator("td:nth-child(3)")).to_have_text(["Northshire County Council"] * 2)
    # Amelia Hughes has completed (demo/epa.py); Ben Okafor is in EPA.
    expect(rows.locator("td:nth-child(4)")).to_have_text(["Completed", "In end-point assessment"])
    # Chloe Patel is at gateway (not yet in EPA); nobody else's apprentices appear.
    expect_absent(page, *COHORT_2024_LIVE[2:], WITHDRAWN_2024, *COHORT_2025)
    expect_inviter_links(page, visible=False)


JOURNEYS = {
    # role: (email, full name, roles line, check)
    "apprentice1": ("apprentice1@demo.test", "Amelia Hughes", "Apprentice", check_apprentice1),
    "apprentice7": ("apprentice7@demo.test", "Grace Thompson", "Apprentice", check_apprentice7),
    "manager1": ("manager1@demo.test", "Helen Morris", "Line manager", check_manager1),
    "manager2": ("manager2@demo.test", "David Osei", "Line manager", check_manager2),
    "tutor1": ("tutor1@demo.test", "Tom Bennett", "Practice tutor", check_tutor1),
    "tutor2": ("tutor2@demo.test", "Rachel Evans", "Practice tutor", check_tutor2),
    "director": ("director@demo.test", "Dr Priya Sharma", "Programme director", check_director),
    "lead": ("lead@demo.test", "Prof. Martin Clarke", "Module lead", check_lead),
    "assessor": ("assessor@demo.test", "Sandra Whitfield", "Independent assessor", check_assessor),
    "admin": ("admin@demo.test", "Alex Admin", "Administrator", check_admin),
}


@pytest.mark.parametrize("role", JOURNEYS)
def test_each_role_signs_in_and_sees_their_own_home_page(page, demo, url, role):
    email, full_name, roles_line, check = JOURNEYS[role]

    sign_in(page, email)

    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {full_name}")
    expect(page.locator("main .lede").first).to_have_text(f"Your roles: {roles_line}.")
    expect(page.get_by_role("button", name=f"Sign out {full_name}")).to_be_visible()
    check(page)


def test_a_wrong_password_is_refused_and_stays_on_the_login_page(page, demo, url):
    sign_in(page, "manager1@demo.test", password="not-the-password")

    expect(page).to_have_url(url("/accounts/login/"))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    page.goto("/")
    expect(page).to_have_url(url("/accounts/login/?next=/"))
