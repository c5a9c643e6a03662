"""Strict Content Security Policy: the header, and pages that need no inline script or style."""

from html.parser import HTMLParser

import pytest

from tests.testapp.helpers import sign_in


class InlineCode(HTMLParser):
    """Whatever a strict CSP would block on a page: inline scripts, <style>, style= and on*=."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tag_count = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tag_count += 1
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style>")
        if (
            tag == "link"
            and "stylesheet" in (attributes.get("rel") or "")
            and "://" in (attributes.get("href") or "")
        ):
            self.problems.append(f"outside stylesheet {attributes['href']}")
        if tag == "script" and "://" in (attributes.get("src") or ""):
            self.problems.append(f"outside script {attributes['src']}")
        for name, _value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")

    handle_startendtag = handle_starttag


def assert_no_inline_code(html: str) -> None:
    page = InlineCode(html)
    assert page.tag_count > 20, "a whole page was parsed"
    assert page.problems == []


def test_inline_code_finder_finds_what_csp_blocks():
    # The checker used below must itself catch every kind of inline code.
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()">x</p>'
    )
    assert InlineCode(html).problems == [
        "inline <script>",
        "<style>",
        "style= on <p>",
        "onclick= on <p>",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_csp_header_is_strict(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_public_pages_have_no_inline_code(client, path):
    assert_no_inline_code(client.get(path).content.decode())


@pytest.mark.django_db
def test_public_pages_in_kiswahili_have_no_inline_code(client):
    client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    assert_no_inline_code(client.get("/").content.decode())
    assert_no_inline_code(client.get("/accounts/login/").content.decode())


@pytest.mark.django_db
def test_sign_in_form_with_errors_has_no_inline_code(client):
    response = client.post("/accounts/login/", {"login": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert_no_inline_code(response.content.decode())


@pytest.mark.django_db
def test_staff_home_has_no_inline_code(client, personas):
    sign_in(client, personas.director)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert_no_inline_code(response.content.decode())


@pytest.mark.django_db
def test_staff_home_in_demo_mode_has_no_inline_code(client, personas, settings):
    settings.DEMO_MODE = True
    user = personas.owner
    type(user).objects.filter(pk=user.pk).update(is_demo=True)
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Demo mode" in response.content.decode()
    assert_no_inline_code(response.content.decode())


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_its_own_style(client):
    # htmx 2 adds a <style> for its indicators unless configured not to; the CSP would block it.
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
