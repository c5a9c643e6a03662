"""Staff sign-in: the page, closed sign-up, lockout, demo accounts, audit, and strict CSP."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.accounts.test_mfa import (
    ACTIVATE_URL,
    AUTHENTICATE_URL,
    LOGIN_URL,
    fresh_totp_code,
    reauthenticate,
    sign_in_with_password,
    staff_member_with_totp,
)
from tests.factories import PASSWORD, UserFactory
from tumaini.accounts.models import User
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # The lockout counts failures in the cache: every test starts with none.
    cache.clear()


def _demo_user(username="caseworker"):
    user = UserFactory(username=username)
    user.is_demo = True
    user.save()
    return user


def _all_audit_text() -> str:
    return " ".join(str(value) for row in AuditEvent.objects.values() for value in row.values())


# --- The page -----------------------------------------------------------------------------------


def test_login_page_has_labelled_fields_in_the_public_layout(client):
    page = client.get(LOGIN_URL).content.decode()
    assert "<h1>Staff sign-in</h1>" in page
    assert '<label for="id_login">Username' in page
    assert '<label for="id_password">Password' in page
    assert 'name="login"' in page and 'name="password"' in page
    assert 'autocomplete="current-password"' in page
    assert 'class="public account-page"' in page  # public_base.html
    assert "Help line, free and confidential" in page
    assert "/accounts/signup/" not in page


def test_login_with_wrong_password_shows_the_error_and_keeps_the_username(client):
    UserFactory(username="amina")
    response = sign_in_with_password(client, "amina", "not-the-password-at-all")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert "The username and/or password you specified are not correct." in page
    assert 'value="amina"' in page
    assert "not-the-password-at-all" not in page
    assert not client.session.get("_auth_user_id")


def test_signup_is_closed_and_creates_no_account(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "Sign Up Closed" in page

    response = client.post(
        "/accounts/signup/", {"username": "intruder", "password1": "A-long-passphrase-77"}
    )
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(username="intruder").exists()
    assert not client.session.get("_auth_user_id")


# --- Audit of sign-in, sign-out and failures ----------------------------------------------------


def test_sign_in_and_sign_out_are_audited(client):
    user, _secret, _codes = staff_member_with_totp(client)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=user.pk).count() == 1

    client.post("/accounts/logout/")
    logout = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert logout.actor_id == user.pk
    assert logout.actor_username == "amina"
    assert logout.ip_address == "127.0.0.1"


def test_failed_sign_in_is_audited_with_the_username_but_never_the_password(client):
    UserFactory(username="amina")
    typed_password = "Secret-Guess-4471"
    sign_in_with_password(client, "amina", typed_password)
    sign_in_with_password(client, "nobody-like-this", typed_password)

    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id")
    assert [event.actor_username for event in failed] == ["amina", "nobody-like-this"]
    assert all(event.actor_id is None for event in failed)
    assert typed_password not in _all_audit_text()


# --- Lockout ------------------------------------------------------------------------------------


def _fail(client, username, times):
    for _ in range(times):
        page = sign_in_with_password(client, username, "wrong-password-123").content.decode()
        assert "The username and/or password you specified are not correct." in page


def test_account_is_locked_after_the_allowed_failures_even_for_the_right_password(client):
    UserFactory(username="amina")
    _fail(client, "amina", settings.LOGIN_FAILURES_ALLOWED)

    response = sign_in_with_password(client, "amina", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in page
    assert f"locked for up to {settings.LOGIN_LOCKOUT_MINUTES} minutes" in page
    assert not client.session.get("_auth_user_id")
    assert client.get("/staff/")["Location"].startswith(LOGIN_URL)

    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert locked.actor_username == "amina"
    assert PASSWORD not in _all_audit_text()


def test_one_failure_fewer_than_allowed_does_not_lock(client):
    UserFactory(username="amina")
    _fail(client, "amina", settings.LOGIN_FAILURES_ALLOWED - 1)
    assert sign_in_with_password(client, "amina", PASSWORD)["Location"] == "/staff/"
    assert not AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_lockout_message_does_not_reveal_whether_the_username_exists(client):
    UserFactory(username="amina")
    _fail(client, "amina", settings.LOGIN_FAILURES_ALLOWED)
    _fail(client, "no-such-person", settings.LOGIN_FAILURES_ALLOWED)

    def error_of(response):
        return re.search(
            r'<ul class="errorlist nonfield"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )[1]

    existing = error_of(sign_in_with_password(client, "amina", PASSWORD))
    unknown = error_of(sign_in_with_password(client, "no-such-person", PASSWORD))
    assert "Too many failed sign-in attempts" in existing
    assert existing == unknown


def test_lockout_of_one_account_leaves_other_accounts_alone(client):
    UserFactory(username="amina")
    UserFactory(username="baraka")
    _fail(client, "amina", settings.LOGIN_FAILURES_ALLOWED)
    assert sign_in_with_password(client, "baraka", PASSWORD)["Location"] == "/staff/"


# --- Demo accounts ------------------------------------------------------------------------------


def test_demo_account_outside_demo_mode_is_refused_with_a_page(client):
    _demo_user()
    response = sign_in_with_password(client, "caseworker", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Demo accounts are disabled</h1>" in page
    assert 'class="public account-page"' in page
    assert 'href="/accounts/login/"' in page
    assert not client.session.get("_auth_user_id")
    assert client.get("/staff/")["Location"].startswith(LOGIN_URL)
    # The half-finished login is forgotten: the second-factor page does not continue it.
    assert client.get(AUTHENTICATE_URL)["Location"].startswith(LOGIN_URL)

    refused = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refused.actor_username == "caseworker"
    assert refused.detail == {"reason": "demo_account_outside_demo_mode"}
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_demo_session_from_demo_mode_ends_when_demo_mode_is_off(client, settings):
    settings.DEMO_MODE = True
    _demo_user()
    assert sign_in_with_password(client, "caseworker")["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200

    settings.DEMO_MODE = False
    assert client.get("/staff/")["Location"] == settings.LOGIN_URL
    assert not client.session.get("_auth_user_id")


# --- Strict CSP on allauth pages ----------------------------------------------------------------


class _InlineFinder(HTMLParser):
    """Collects everything a strict CSP would block: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, _value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")


def _inline_problems(response) -> list[str]:
    assert response.status_code == 200, response
    finder = _InlineFinder()
    finder.feed(response.content.decode())
    return finder.problems


def test_inline_finder_catches_inline_script_and_style():
    # The check below must be able to fail.
    finder = _InlineFinder()
    finder.feed('<p style="x" onclick="y"></p><script>alert(1)</script><style>p{}</style>')
    assert len(finder.problems) == 4


def test_allauth_pages_have_no_inline_script_or_style(client):
    pages = {"login": client.get(LOGIN_URL), "signup": client.get("/accounts/signup/")}
    pages["password reset"] = client.get("/accounts/password/reset/")
    UserFactory(username="baraka")
    sign_in_with_password(client, "baraka")
    pages["reauthenticate"] = client.get(client.get(ACTIVATE_URL)["Location"])
    pages["totp activate"] = reauthenticate(client, ACTIVATE_URL)
    client.post("/accounts/logout/")

    _user, secret, _codes = staff_member_with_totp(client)
    pages["recovery codes"] = client.get("/accounts/2fa/recovery-codes/")
    pages["two-factor index"] = client.get("/accounts/2fa/")
    pages["password change"] = client.get("/accounts/password/change/")
    pages["password change with errors"] = client.post(
        "/accounts/password/change/", {"oldpassword": "x", "password1": "y", "password2": "z"}
    )
    pages["logout"] = client.get("/accounts/logout/")
    pages["email addresses"] = client.get("/accounts/email/")
    pages["reauthenticate with code"] = client.get("/accounts/2fa/reauthenticate/")
    client.post("/accounts/logout/")
    sign_in_with_password(client, "amina")
    pages["totp authenticate"] = client.get(AUTHENTICATE_URL)
    pages["totp authenticate with error"] = client.post(AUTHENTICATE_URL, {"code": "12"})
    client.post(AUTHENTICATE_URL, {"code": fresh_totp_code(secret)})

    problems = {name: _inline_problems(response) for name, response in pages.items()}
    assert problems == {name: [] for name in pages}
