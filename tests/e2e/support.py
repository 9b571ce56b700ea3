"""Helpers for the browser journeys: Chromium launch options, signing in, TOTP codes and failure screenshots."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import struct
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

DEMO_PASSWORD = "tripartite-demo"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def screenshot_path(test_name: str) -> Path:
    """Where the screenshot of a test is kept: ``test-artifacts/screenshots/<test-name>.png`` at the repo root."""
    safe = re.sub(r"[^\w.-]+", "-", test_name).strip("-")
    return SCREENSHOT_DIR / f"{safe}.png"


def save_screenshot(page, test_name: str) -> Path:
    """A full-page PNG of the page as it is now."""
    path = screenshot_path(test_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def screenshot_if_failed(item, report) -> Path | None:
    """What the ``pytest_runtest_makereport`` hook does: screenshot the test's page when its call phase failed."""
    if report.when != "call" or not report.failed:
        return None
    page = getattr(item, "funcargs", {}).get("page")
    if page is None or page.is_closed():
        return None
    return save_screenshot(page, item.name)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real login form (the caller asserts where it lands)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def totp(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1) for a base32 secret at time ``at`` (now by default)."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def fresh_totp(secret: str, *, period: int = 30, margin: float = 2.0) -> str:
    """A code for the current time step that the server will still see as current.

    The server accepts only the current step (MFA_TOTP_TOLERANCE 0), so a code computed in the last moments of a
    step could arrive in the next one. In that case wait (at most ``margin`` seconds) for the next step to start.
    """
    remaining = period - time.time() % period
    if remaining < margin:
        time.sleep(remaining + 0.05)
    return totp(secret, period=period)
