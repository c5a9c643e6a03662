"""Two-factor sign-in (TOTP and recovery codes) is required for every staff account."""

import base64
import hashlib
import hmac
import re
import struct
import time
from html import unescape

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

LOGIN_URL = "/accounts/login/"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
AUTHENTICATE_URL = "/accounts/2fa/authenticate/"
RECOVERY_CODES_URL = "/accounts/2fa/recovery-codes/"
REAUTHENTICATE_URL = "/accounts/reauthenticate/"


# --- Helpers shared by the accounts tests --------------------------------------------------------


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written out here so allauth is checked against the RFC."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp_code(secret: str) -> str:
    # allauth allows no clock drift: do not compute a code in the last second of its window.
    if 30 - time.time() % 30 < 1.5:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp_code(secret)


def wrong_totp_code(secret: str) -> str:
    valid = {totp_code(secret, time.time() + shift) for shift in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def sign_in_with_password(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": username, "password": password})


def reauthenticate(client, path: str, password: str = PASSWORD):
    """Open `path`, confirming the password first when allauth asks for it (it always does for
    two-factor changes: a sign-in does not count as a reauthentication)."""
    response = client.get(path)
    if response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE_URL):
        confirmed = client.post(response["Location"], {"password": password})
        assert confirmed["Location"] == path
        response = client.get(path)
    return response


def activate_totp(client) -> tuple[str, list[str]]:
    """Activate TOTP through the pages; return the secret and the recovery codes shown."""
    page = reauthenticate(client, ACTIVATE_URL).content.decode()
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7=]+)"', page)[1]
    response = client.post(ACTIVATE_URL, {"code": fresh_totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == RECOVERY_CODES_URL
    return secret, recovery_codes_shown(client.get(RECOVERY_CODES_URL).content.decode())


def recovery_codes_shown(page: str) -> list[str]:
    textarea = re.search(r'<textarea id="recovery_codes"[^>]*>(.*?)</textarea>', page, re.S)[1]
    return unescape(textarea).split()


def sign_in_with_totp(client, username: str, secret: str, password: str = PASSWORD):
    response = sign_in_with_password(client, username, password)
    assert response["Location"] == AUTHENTICATE_URL
    return client.post(AUTHENTICATE_URL, {"code": fresh_totp_code(secret)})


def staff_member_with_totp(client, username: str = "amina") -> tuple[object, str, list[str]]:
    """A staff member who has set up TOTP and is signed in; returns user, secret and codes."""
    user = UserFactory(username=username)
    sign_in_with_password(client, username)
    secret, codes = activate_totp(client)
    return user, secret, codes


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # Rate limits and used TOTP codes live in the cache: start every test with none.
    cache.clear()


# --- MFA is required ----------------------------------------------------------------------------


def test_user_without_totp_is_sent_to_activation_from_every_page(client):
    UserFactory(username="amina")
    response = sign_in_with_password(client, "amina")
    assert response["Location"] == "/staff/"

    for path in ["/staff/", "/", "/accounts/password/change/", "/accounts/login/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ACTIVATE_URL, path


def test_user_without_totp_may_still_reach_setup_logout_and_static(client):
    UserFactory(username="amina")
    sign_in_with_password(client, "amina")

    # allauth asks for the password again before any two-factor change; that page is reachable.
    asked = client.get(ACTIVATE_URL)
    assert asked["Location"].startswith(REAUTHENTICATE_URL)
    confirm_page = client.get(asked["Location"])
    assert confirm_page.status_code == 200
    assert 'name="password"' in confirm_page.content.decode()
    page = reauthenticate(client, ACTIVATE_URL)
    assert page.status_code == 200
    assert "Set up two-factor sign-in" in page.content.decode()
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/healthz").status_code == 200
    # Not served by Django under production settings, but not sent to the activation page either.
    assert client.get("/static/tumaini/css/tumaini.css").status_code == 404


def test_htmx_request_without_totp_gets_a_client_redirect(client):
    UserFactory(username="amina")
    sign_in_with_password(client, "amina")
    response = client.get("/staff/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == ACTIVATE_URL


def test_totp_activation_with_a_real_code_shows_recovery_codes_then_staff_home(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(username="amina")
    sign_in_with_password(client, "amina")
    page = reauthenticate(client, ACTIVATE_URL).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7=]+)"', page)[1]

    refused = client.post(ACTIVATE_URL, {"code": wrong_totp_code(secret)})
    assert refused.status_code == 200
    assert 'id="id_code_error"' in refused.content.decode()
    assert "Incorrect code." in refused.content.decode()
    assert client.get("/staff/")["Location"] == ACTIVATE_URL

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE_URL, {"code": fresh_totp_code(secret)})
    assert response["Location"] == RECOVERY_CODES_URL
    codes_page = client.get(RECOVERY_CODES_URL)
    codes = recovery_codes_shown(codes_page.content.decode())
    assert len(codes) == 10
    assert all(re.fullmatch(r"\d{8}", code) for code in codes)
    assert 'href="/staff/"' in codes_page.content.decode()

    staff_home = client.get("/staff/")
    assert staff_home.status_code == 200
    changes = AuditEvent.objects.filter(action=AuditAction.MFA, actor_id=user.pk)
    assert sorted((e.detail["change"], e.detail["type"]) for e in changes) == [
        ("added", "recovery_codes"),
        ("added", "totp"),
    ]


def test_next_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client):
    user, secret, _codes = staff_member_with_totp(client)
    client.post("/accounts/logout/")

    response = sign_in_with_password(client, "amina")
    assert response["Location"] == AUTHENTICATE_URL
    # Password alone does not sign in.
    assert client.get("/staff/")["Location"].startswith(LOGIN_URL)
    logins_before = AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=user.pk).count()

    refused = client.post(AUTHENTICATE_URL, {"code": wrong_totp_code(secret)})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Two-factor sign-in" in page
    assert 'id="id_code_error"' in page
    assert "Incorrect code." in page
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED, actor_username="amina")
    assert failed.detail == {"stage": "second_factor", "type": "totp", "reauthentication": False}
    assert failed.object_id == str(user.public_id)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=user.pk).count() == (
        logins_before
    )

    accepted = client.post(AUTHENTICATE_URL, {"code": fresh_totp_code(secret)})
    assert accepted["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=user.pk).count() == (
        logins_before + 1
    )


def test_totp_code_cannot_be_replayed(client):
    _user, secret, _codes = staff_member_with_totp(client)
    client.post("/accounts/logout/")
    code = fresh_totp_code(secret)
    sign_in_with_password(client, "amina")
    assert client.post(AUTHENTICATE_URL, {"code": code})["Location"] == "/staff/"
    client.post("/accounts/logout/")

    sign_in_with_password(client, "amina")
    replayed = client.post(AUTHENTICATE_URL, {"code": code})
    assert replayed.status_code == 200
    assert "Incorrect code." in replayed.content.decode()


def test_recovery_code_signs_in_once_instead_of_the_code(
    client, django_capture_on_commit_callbacks
):
    user, _secret, codes = staff_member_with_totp(client)
    client.post("/accounts/logout/")

    sign_in_with_password(client, "amina")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(AUTHENTICATE_URL, {"code": codes[0]})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.MFA, actor_id=user.pk, detail__change="recovery_code_used"
    ).exists()
    client.post("/accounts/logout/")

    sign_in_with_password(client, "amina")
    reused = client.post(AUTHENTICATE_URL, {"code": codes[0]})
    assert reused.status_code == 200
    assert "Incorrect code." in reused.content.decode()
    assert client.post(AUTHENTICATE_URL, {"code": codes[1]})["Location"] == "/staff/"


def test_totp_deactivation_is_audited_and_activation_required_again(
    client, django_capture_on_commit_callbacks
):
    user, _secret, _codes = staff_member_with_totp(client)
    page = reauthenticate(client, "/accounts/2fa/totp/deactivate/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302

    removed = AuditEvent.objects.filter(
        action=AuditAction.MFA, actor_id=user.pk, detail__change="removed"
    )
    assert {event.detail["type"] for event in removed} == {"totp", "recovery_codes"}
    assert client.get("/staff/")["Location"] == ACTIVATE_URL


def test_demo_user_in_demo_mode_needs_no_second_factor(client, settings):
    settings.DEMO_MODE = True
    demo = UserFactory(username="caseworker")
    demo.is_demo = True
    demo.save()

    response = sign_in_with_password(client, "caseworker")
    assert response["Location"] == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 200
    assert "caseworker" in home.content.decode()


def test_ordinary_user_in_demo_mode_still_needs_a_second_factor(client, settings):
    settings.DEMO_MODE = True
    UserFactory(username="amina")
    sign_in_with_password(client, "amina")
    assert client.get("/staff/")["Location"] == ACTIVATE_URL


def test_second_factor_is_locked_after_the_allowed_wrong_codes(client, settings):
    _user, secret, _codes = staff_member_with_totp(client)
    client.post("/accounts/logout/")
    sign_in_with_password(client, "amina")
    for _ in range(settings.LOGIN_FAILURES_ALLOWED):
        page = client.post(AUTHENTICATE_URL, {"code": wrong_totp_code(secret)}).content.decode()
        assert "Incorrect code." in page

    refused = client.post(AUTHENTICATE_URL, {"code": fresh_totp_code(secret)})
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert client.get("/staff/")["Location"].startswith(LOGIN_URL)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED, detail__stage="second_factor"
        ).count()
        == settings.LOGIN_FAILURES_ALLOWED
    )
