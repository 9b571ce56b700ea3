"""The screenshot-on-failure mechanism, exercised without a failing test."""

import struct
from types import SimpleNamespace

from playwright.sync_api import expect

from tests.e2e.support import PNG_MAGIC, screenshot_if_failed, screenshot_path


def test_a_failed_call_phase_saves_a_full_page_png_named_after_the_test(page):
    page.set_viewport_size({"width": 480, "height": 240})  # shorter than the page, to tell full-page apart
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    item = SimpleNamespace(name="test_screenshot_self_check[demo]", funcargs={"page": page})
    path = screenshot_path(item.name)
    path.unlink(missing_ok=True)
    try:
        # Passing phases, and failures in setup or teardown, take no screenshot.
        for when, failed in (("call", False), ("setup", True), ("teardown", True)):
            assert screenshot_if_failed(item, SimpleNamespace(when=when, failed=failed)) is None
        assert not path.exists()

        saved = screenshot_if_failed(item, SimpleNamespace(when="call", failed=True))

        assert saved == path
        assert path.parent.parts[-2:] == ("test-artifacts", "screenshots")
        assert path.name == "test_screenshot_self_check-demo.png"
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC)
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert width == 480
        assert height > 240
    finally:
        path.unlink(missing_ok=True)


def test_a_failure_in_a_test_without_a_page_takes_no_screenshot():
    item = SimpleNamespace(name="test_without_browser", funcargs={})

    assert screenshot_if_failed(item, SimpleNamespace(when="call", failed=True)) is None
    assert not screenshot_path(item.name).exists()
