"""A real Chromium (Debian's package, never `playwright install`) driven by Playwright's sync API.

Without /usr/bin/chromium the browser tests are skipped, unless TUMAINI_REQUIRE_BROWSER=1 (CI), where
a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest
from django.test import override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _browser_required() -> bool:
    return os.environ.get("TUMAINI_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


# One browser per test module, not per session: while Playwright runs, its event loop makes every
# database call in this thread look async, and DJANGO_ALLOW_ASYNC_UNSAFE (which must not leak into
# other tests or the processes they start) is set only for that time.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if _browser_required():
            pytest.fail(f"{message} (TUMAINI_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, so Django believes it is
    # in async code and refuses database calls; the test and the live server are plain threads.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _plain_http_live_server():
    # The live server speaks plain http. SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the
    # server starts, so the per-test override in tests/conftest.py comes too late for it.
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_live_server, live_server):
    return live_server


@pytest.fixture
def page(browser, settings):
    # Cookies must not be "Secure" on plain http (tests may reset settings between them).
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(locale="en-GB", timezone_id="Africa/Nairobi")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests leave screenshots for people to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
