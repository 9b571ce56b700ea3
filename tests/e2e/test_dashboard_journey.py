"""The programme director's dashboard in the browser: the cross-programme summary, drill down to a cohort,
filter, sort, export, override a rating with a reason, and drill down to an apprentice."""

import csv
import io

from playwright.sync_api import expect

from tests.e2e.support import sign_in


def test_director_filters_sorts_exports_and_drills_down(page, demo, url):
    sign_in(page, "director@demo.test")
    expect(page).to_have_url(url("/"))

    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard")
    cohorts = page.locator("#cohorts tbody tr")
    expect(cohorts).to_have_count(2)
    cohorts.filter(has_text="2025 cohort").get_by_role("link", name="2025 cohort").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort dashboard: 2025 cohort")
    rows = page.locator("#dashboard tbody tr")
    expect(rows).to_have_count(6)
    # The demo's override: apprentice7 (Grace Thompson) set to amber by the director, with the reason kept.
    grace = rows.filter(has_text="Grace Thompson")
    expect(grace).to_contain_text("Amber")
    expect(grace).to_contain_text("Set to Amber by")
    expect(grace).to_contain_text("restructure")

    # Filter: pending enrolments only (apprentice11 and apprentice12 await their training plans).
    page.get_by_label("Status").select_option("pending")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_role("status").filter(has_text="of 6 apprentices")).to_contain_text("2 of 6")

    # Sort by name, reversed by the URL, then clear.
    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Apply").click()
    expect(rows.first.locator("th")).to_contain_text("Grace Thompson")
    expect(rows.last.locator("th")).to_contain_text("Liam Davies")

    # Export what is shown, and read the CSV back.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Dashboard (CSV)").click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert [row["apprentice"] for row in exported][0] == "Grace Thompson"
    assert len(exported) == 6
    assert all(row["RAG reasons"] for row in exported)

    # Override a rating with a reason: it shows on the dashboard with who set it.
    rows.filter(has_text="Liam Davies").get_by_role("link", name="Override RAG for Liam Davies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RAG rating: Liam Davies")
    page.get_by_label("Red").check()
    page.get_by_label("Reason").fill("Plan unsigned for weeks and the employer is not replying.")
    page.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort dashboard: 2025 cohort")
    expect(rows.filter(has_text="Liam Davies")).to_contain_text("Set to Red by")

    # Drill down to the apprentice.
    rows.filter(has_text="Jacob Mensah").get_by_role("link", name="Jacob Mensah", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jacob Mensah")


def test_a_tutor_sees_only_their_caseload_on_the_cohort_dashboard(page, demo, url):
    from programmes.models import Cohort

    cohort = Cohort.objects.get(name="2024 cohort")
    sign_in(page, "tutor2@demo.test")
    expect(page).to_have_url(url("/"))

    response = page.goto(f"/cohorts/{cohort.pk}/dashboard/")

    assert response.status == 404  # tutor2's caseload is the 2025 cohort
