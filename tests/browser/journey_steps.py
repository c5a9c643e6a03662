"""Small steps a member of staff takes in the browser, shared by the journey tests.

Fields are found by their visible labels (as a screen reader user would), never by CSS ids. Required
fields carry " (required)" after their label, so labels are matched from their start (a regex), not
exactly.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


def label(text: str) -> re.Pattern[str]:
    """A label that starts with `text` (then nothing, or the " (required)" marker)."""
    return re.compile(rf"^{re.escape(text)}(\s*\(required\))?$")


def group(page: Page | Locator, legend: str) -> Locator:
    """A fieldset (radio buttons, checkboxes) by the start of its legend."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))


def choose(page: Page | Locator, legend: str, option: str) -> None:
    """Tick the radio button or checkbox `option` of the fieldset whose legend starts `legend`."""
    group(page, legend).get_by_label(option, exact=True).check()


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Staff sign-in").first.click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/staff/")
    expect(page.locator("header")).to_contain_text(f"Signed in as {username}")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def open_menu(page: Page, item: str) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=item).click()


def expect_message(page: Page, text: str) -> None:
    """The confirmation (or error) shown at the top of the page after a form is sent."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def case_part(page: Page, title: str) -> Locator:
    """A section of the case page, by its heading (a region named by its title)."""
    return page.get_by_role("region", name=title, exact=True)


def case_tab(page: Page, title: str) -> None:
    """Open a section (tab) of the case page, as a user does: its link in the sections bar."""
    tabs = page.get_by_role("navigation", name="Sections of the case")
    tabs.get_by_role("link", name=title, exact=True).click()
    expect(tabs.get_by_role("link", name=title, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
