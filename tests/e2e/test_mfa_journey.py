"""Two-factor authentication end to end: enrol an authenticator app, sign out, sign in again with a code."""

import re

from playwright.sync_api import expect

from tests.e2e.support import DEMO_PASSWORD, fresh_totp, sign_in, totp

EMAIL = "tutor1@demo.test"
FULL_NAME = "Tom Bennett"


def wrong_code(secret: str) -> str:
    return f"{(int(totp(secret)) + 1) % 1_000_000:06d}"


def test_totp_matches_the_rfc_6238_sha1_test_vectors():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp(secret, at=59) == "287082"
    assert totp(secret, at=1111111109) == "081804"
    assert totp(secret, at=1234567890) == "005924"
    assert totp(secret, at=2000000000) == "279037"


def test_enrol_an_authenticator_then_sign_in_with_a_code(page, demo, url):
    sign_in(page, EMAIL)
    expect(page).to_have_url(url("/"))

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("Two-factor authentication is off")).to_be_visible()
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page).to_have_url(url("/accounts/2fa/"))
    expect(page.get_by_text("An authenticator app is not active.")).to_be_visible()
    page.get_by_role("link", name="Activate").click()

    # Turning on MFA is account-sensitive: allauth asks for the password again first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(url("/accounts/2fa/totp/activate/"))

    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    code_field = page.get_by_label("Authenticator code")

    code_field.fill(wrong_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    expect(page).to_have_url(url("/accounts/2fa/totp/activate/"))
    assert page.locator("#authenticator_secret").input_value() == secret  # same secret offered again

    code_field.fill(fresh_totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(url("/accounts/2fa/recovery-codes/"))
    expect(page.get_by_role("status")).to_contain_text("Authenticator app activated.")
    recovery_codes = page.locator("#recovery_codes").input_value().split()
    assert len(recovery_codes) == 10

    page.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(page).to_have_url(url("/accounts/login/"))
    expect(page.get_by_role("status")).to_contain_text("You have signed out.")

    # The password alone no longer signs in: the code is asked for, and a wrong one is refused.
    sign_in(page, EMAIL)
    expect(page).to_have_url(url("/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    page.goto("/")  # half signed in: the home page sends you back to the code prompt
    expect(page).to_have_url(url("/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")

    page.get_by_label("Code").fill(wrong_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    expect(page).to_have_url(url("/accounts/2fa/authenticate/"))

    page.get_by_label("Code").fill(fresh_totp(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {FULL_NAME}")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("Two-factor authentication is on")).to_be_visible()
