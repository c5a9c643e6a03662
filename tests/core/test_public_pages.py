"""The public home page, the error pages and the shared layouts (public and staff)."""

# The browser tests below take the shared fixtures (browser, page, live_server) as arguments.
# ruff: noqa: F811

from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path
from django.views import defaults

from tests.testapp.helpers import sign_in

HELPLINES = ("+254 725 624489", "+254 738 041292")


class _Routes:
    def __init__(self, patterns):
        self.urlpatterns = patterns


def _urlconf(*, with_report: bool) -> _Routes:
    """The site's routes, with or without a stand-in /report/ page (the real one comes later)."""
    patterns = [
        path("accounts/", include("allauth.urls")),
        path("i18n/", include("django.conf.urls.i18n")),
        path("", include("tumaini.core.urls")),
    ]
    if with_report:
        patterns.insert(0, path("report/", lambda request: HttpResponse("report form")))
    return _Routes(patterns)


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text of the page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def links(self) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == "a"]

    def quick_exit(self) -> dict[str, str]:
        found = [attrs for attrs in self.links() if attrs.get("id") == "quick-exit"]
        assert len(found) == 1, "exactly one quick exit link"
        return found[0]


def assert_quick_exit(html: str) -> None:
    exit_link = Elements(html).quick_exit()
    # A plain link (works without JavaScript) to a neutral outside page, leaving no referrer.
    assert exit_link["href"].startswith("https://")
    assert "tumaini" not in exit_link["href"].lower()
    assert "noreferrer" in exit_link["rel"].split()


@pytest.mark.django_db
def test_home_shows_help_lines_as_tel_links(client):
    home = Elements(client.get("/").content.decode())
    hrefs = {link["href"] for link in home.links()}
    for number in HELPLINES:
        assert number in home.text
        assert "tel:" + number.replace(" ", "") in hrefs
    assert {"tel:999", "tel:112"} <= hrefs


@pytest.mark.django_db
def test_home_explains_trafficking_signs_and_reporting(client):
    text = Elements(client.get("/").content.decode()).text
    assert "What is human trafficking?" in text
    # Act, means and purpose from the Act and the Palermo Protocol.
    assert "Recruiting, transporting, transferring" in text
    assert "threats or force" in text
    assert "To exploit the person: forced labour" in text
    assert "anyone under 18" in text
    assert "Signs to look for" in text
    assert "passport or identity card" in text
    assert "You can report anonymously" in text
    assert "What happens after you report" in text
    assert "SMS and USSD is coming soon" in text


@pytest.mark.django_db
def test_home_has_quick_exit_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert_quick_exit(html)
    tags = Elements(html).tags
    first_link = next(attrs for tag, attrs in tags if tag == "a")
    assert first_link == {"class": "skip-link", "href": "#main"}
    names = [tag for tag, _ in tags]
    assert {"header", "main", "footer"} <= set(names)
    assert ("main", {"id": "main", "class": "page", "tabindex": "-1"}) in tags


@pytest.mark.django_db
def test_home_does_not_link_the_report_form_before_it_exists(client, settings):
    settings.ROOT_URLCONF = _urlconf(with_report=False)
    home = Elements(client.get("/").content.decode())
    assert "/report/" not in {link["href"] for link in home.links()}
    assert "Report online" not in home.text


@pytest.mark.django_db
def test_home_links_the_report_form_once_it_exists(client, settings):
    settings.ROOT_URLCONF = _urlconf(with_report=True)
    home = Elements(client.get("/").content.decode())
    assert "/report/" in {link["href"] for link in home.links()}
    assert "Report online" in home.text


@pytest.mark.django_db
def test_404_page_does_not_say_whether_the_page_exists(client):
    response = client.get("/no-such-page/00000000-0000-0000-0000-000000000000/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "does not exist, or you do not have access to it" in Elements(html).text
    assert_quick_exit(html)
    for number in HELPLINES:
        assert number in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.bad_request, 400, "Bad request"),
        (defaults.permission_denied, 403, "Not allowed"),
        (defaults.server_error, 500, "Something went wrong"),
    ],
)
def test_error_pages_show_quick_exit_and_help_lines(view, status, heading):
    # The 400 and 500 views render without a request context: the layout must not depend on it.
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = view(request) if view is defaults.server_error else view(request, Exception())
    html = response.content.decode()
    assert response.status_code == status
    assert heading in Elements(html).text
    assert_quick_exit(html)
    for number in HELPLINES:
        assert number in html


@pytest.mark.django_db
def test_csrf_failure_page_uses_our_layout(client):
    strict = client.__class__(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Please try again" in Elements(html).text
    assert_quick_exit(html)


class StaffMenu(HTMLParser):
    """The staff menu's entries: label -> url."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.entries: dict[str, str] = {}
        self._in_nav = False
        self._href: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "staff-nav" in (attrs.get("class") or ""):
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self._href = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False
        elif tag == "a":
            self._href = None

    def handle_data(self, data):
        if self._href and data.strip():
            self.entries[data.strip()] = self._href


def _menu(html: str) -> dict[str, str]:
    return StaffMenu(html).entries


@pytest.mark.django_db
def test_staff_menu_shows_only_entries_the_role_may_open(client, personas):
    sign_in(client, personas.owner)
    case_manager_menu = _menu(client.get("/staff/").content.decode())
    client.logout()
    sign_in(client, personas.admin_user)
    admin_page = client.get("/staff/").content.decode()
    admin_menu = _menu(admin_page)

    assert case_manager_menu["Home"] == "/staff/"
    assert "Audit trail" not in case_manager_menu
    assert "Background tasks" not in case_manager_menu
    assert admin_menu["Audit trail"] == "/staff/audit/"
    assert admin_menu["Background tasks"] == "/staff/tasks/"
    # The signed-in user and a sign-out button, no demo banner outside demo mode.
    assert "Signed in as sysadmin" in Elements(admin_page).text
    assert 'action="/accounts/logout/"' in admin_page
    assert "Demo mode" not in admin_page


@pytest.mark.django_db
def test_staff_menu_for_director_has_audit_but_not_tasks(client, personas):
    sign_in(client, personas.director)
    menu = _menu(client.get("/staff/").content.decode())
    assert menu["Audit trail"] == "/staff/audit/"
    assert "Background tasks" not in menu


@pytest.mark.django_db
def test_staff_layout_shows_demo_banner_in_demo_mode(client, personas, settings):
    settings.DEMO_MODE = True
    sign_in(client, personas.director)
    html = client.get("/staff/").content.decode()
    assert "Demo mode: the data here is invented." in html


# --- In a real browser: quick exit, and the language switch's form post passing the CSRF origin check -----------------------------------------------------------------

from tests.browser.conftest import (  # noqa: E402,F401 — the shared browser fixtures
    _plain_http_live_server,
    browser,
    live_server,
    page,
)

NEUTRAL_PAGE = "https://www.bbc.com/**"


@pytest.mark.browser
def test_escape_key_leaves_at_once_and_back_does_not_return(page, live_server):
    page.route(NEUTRAL_PAGE, lambda route: route.fulfill(status=200, body="weather"))
    page.goto("about:blank")
    page.goto(live_server.url + "/")
    page.mouse.wheel(0, 2000)
    # Still on screen after scrolling.
    assert page.locator("#quick-exit").is_visible()
    assert page.locator("#quick-exit").bounding_box()["y"] < 20

    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_PAGE)
    page.go_back()
    assert page.url == "about:blank"


@pytest.mark.browser
def test_quick_exit_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.route(NEUTRAL_PAGE, lambda route: route.fulfill(status=200, body="weather"))
        tab.goto(live_server.url + "/")
        tab.get_by_role("link", name="Quick exit").click()
        tab.wait_for_url(NEUTRAL_PAGE)
    finally:
        context.close()


@pytest.mark.browser
def test_language_switch_works_in_a_browser_and_is_remembered(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Kiswahili").click()
    page.wait_for_url(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "sw"
    assert "Toka haraka" in page.locator("body").inner_text()

    page.goto(live_server.url + "/")
    assert "Usafirishaji haramu wa binadamu ni nini?" in page.locator("main").inner_text()
