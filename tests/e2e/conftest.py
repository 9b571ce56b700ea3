"""Browser journeys in the system Chromium against pytest-django's live server, loaded with the demo data.

Every test here carries the ``browser`` marker. One browser per session, a new context (cookies, storage) per test.
When a test that used ``page`` fails, a full-page screenshot goes to ``test-artifacts/screenshots/<test-name>.png``.
"""

import os
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from playwright.sync_api import expect, sync_playwright

from tests.conftest import storages_in
from tests.e2e.support import CHROMIUM_ARGS, CHROMIUM_PATH, screenshot_if_failed

HERE = Path(__file__).resolve().parent
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected item of the session, so mark only the ones in this directory.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    try:
        path = screenshot_if_failed(item, report)
    except Exception as error:  # a broken page must not hide the real failure
        report.sections.append(("screenshot", f"could not save a screenshot: {error!r}"))
        return
    if path is not None:
        message = f"screenshot saved to {path}"
        print(message)
        report.sections.append(("screenshot", message))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop running in the test thread, which makes Django refuse the ORM
    # calls that fixtures and tests make there (seeding, looking up primary keys); they are synchronous and safe.
    # Set only while the browser runs, so the rest of the suite keeps Django's guard when collected alongside.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def e2e_media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e-media") / "private-media"


@pytest.fixture
def media_root(e2e_media_root) -> Path:
    """One media folder for the worker's browser tests: the demo's PDFs and uploads are written once, there."""
    return e2e_media_root


@pytest.fixture(scope="session")
def demo_image(django_db_setup, django_db_blocker, e2e_media_root):
    """The demo, seeded once per worker and kept as an in-memory copy of the whole SQLite database.

    Seeding takes seconds; copying the copy back takes milliseconds. The database is left empty afterwards, as
    every test expects to find it. On another database engine there is no image and each test seeds.
    """
    if connection.vendor != "sqlite":
        return None
    with django_db_blocker.unblock(), override_settings(STORAGES=storages_in(e2e_media_root)):
        call_command("seed_demo", stdout=StringIO())
        image = sqlite3.connect(":memory:", check_same_thread=False)
        connection.ensure_connection()
        connection.connection.backup(image)
        call_command("flush", interactive=False, verbosity=0)
    return image


@pytest.fixture
def demo(live_server, demo_image):
    """The demo accounts and data in the live server's database (flushed after each test)."""
    if demo_image is None:
        call_command("seed_demo", stdout=StringIO())
        return
    connection.ensure_connection()
    demo_image.backup(connection.connection)
    ContentType.objects.clear_cache()  # the image's content types, not the ones the last flush recreated


@pytest.fixture
def url(live_server):
    """The absolute URL of a path on the live server, for ``expect(page).to_have_url``."""
    return lambda path: f"{live_server.url}{path}"
