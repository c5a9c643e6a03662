"""An administrator resets a staff member's password; a password an administrator gave (a new
account, a reset) must be replaced by the person at their next sign-in, before anything else."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.accounts.test_mfa import (
    ACTIVATE_URL,
    AUTHENTICATE_URL,
    LOGIN_URL,
    RECOVERY_CODES_URL,
    fresh_totp_code,
    reauthenticate,
    sign_in_with_password,
    sign_in_with_totp,
    staff_member_with_totp,
)
from tests.factories import PASSWORD
from tumaini.accounts.models import User
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

CHANGE_URL = "/accounts/password/change/"
NEW_STAFF_URL = "/staff/admin/staff/new/"
# What the person chooses: passes the password rules (length, not common, not like the name).
OWN_PASSWORD = "mvua-ya-jioni-inanyesha-7"
WRONG_LOGIN = "The username and/or password you specified are not correct."


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # Sign-in rate limits and used TOTP codes live in the cache.
    cache.clear()


def page(response) -> str:
    return response.content.decode()


def signed_in(client, user):
    client.force_login(user)
    return client


def reset_url(user) -> str:
    return f"/staff/admin/staff/{user.public_id}/reset-password/"


def detail_url(user) -> str:
    return f"/staff/admin/staff/{user.public_id}/"


def one_time_secret(html: str) -> str:
    return unescape(re.search(r'<p class="one-time-secret"><code>([^<]+)</code>', html)[1])


def change_password(client, current: str, new: str, **extra):
    return client.post(
        CHANGE_URL, {"oldpassword": current, "password1": new, "password2": new, **extra}
    )


def password_events(user):
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.public_id), fields_changed=["password"]
    ).order_by("id")


def admin_resets(client, admin, user, reason="Forgot it, confirmed by calling back") -> str:
    response = signed_in(client, admin).post(reset_url(user), {"reason": reason})
    assert response.status_code == 200, page(response)
    return one_time_secret(page(response))


# --- The administrator's reset ------------------------------------------------------------------


def test_admin_resets_a_password_shown_once_and_not_cached(client, personas_with_mfa):
    owner, admin = personas_with_mfa.owner, personas_with_mfa.admin_user
    signed_in(client, admin)
    assert f'href="{reset_url(owner)}"' in page(client.get(detail_url(owner)))
    form = page(client.get(reset_url(owner)))
    assert "Reset the password of owner" in form
    assert "Reason" in form

    refused = client.post(reset_url(owner), {"reason": "   "})
    assert "This field is required." in page(refused)
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert not owner.must_change_password

    response = client.post(reset_url(owner), {"reason": "Forgot it, confirmed by calling back"})
    html = page(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Password of owner reset" in html
    password = one_time_secret(html)
    assert re.fullmatch(r"[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}", password)
    owner.refresh_from_db()
    assert owner.check_password(password)
    assert not owner.check_password(PASSWORD)
    assert owner.must_change_password

    event = password_events(owner).get()
    assert event.actor == admin
    assert event.reason == "Forgot it, confirmed by calling back"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent")
        assert password not in repr(cursor.fetchall())

    # Never shown again: the detail page only says it must be changed.
    detail = page(client.get(detail_url(owner)))
    assert password not in detail
    assert "to be changed at next sign-in" in detail


def test_password_reset_signs_the_person_out_everywhere(client, personas_with_mfa):
    owner = personas_with_mfa.owner
    phone, laptop = signed_in(Client(), owner), signed_in(Client(), owner)
    assert phone.get("/staff/").status_code == 200
    assert laptop.get("/staff/").status_code == 200

    admin_resets(client, personas_with_mfa.admin_user, owner)

    for session in (phone, laptop):
        response = session.get("/staff/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)
    # The administrator's own session goes on.
    assert "owner" in page(client.get(detail_url(owner)))


def test_admin_cannot_reset_their_own_password_here(client, personas_with_mfa):
    admin = personas_with_mfa.admin_user
    signed_in(client, admin)
    assert "reset-password" not in page(client.get(detail_url(admin)))
    assert client.get(reset_url(admin))["Location"] == CHANGE_URL
    response = client.post(reset_url(admin), {"reason": "I forgot mine"}, follow=True)
    assert "Change your own password here." in page(response)
    assert 'name="oldpassword"' in page(response)
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)
    assert not admin.must_change_password
    assert not password_events(admin).exists()


@pytest.mark.parametrize("persona", ["owner", "director", "outsider"])
def test_reset_password_is_404_for_everyone_but_the_system_admin(
    client, personas_with_mfa, persona
):
    target = personas_with_mfa.teammate
    signed_in(client, getattr(personas_with_mfa, persona))
    assert client.get(reset_url(target)).status_code == 404
    assert client.post(reset_url(target), {"reason": "take over"}).status_code == 404
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert not target.must_change_password
    assert not password_events(target).exists()


# --- The forced change at the next sign-in ------------------------------------------------------


@pytest.mark.parametrize("typed_password", ["", "kahawa-chungu-2026-njia"])
def test_new_account_changes_its_password_then_sets_up_two_factor(
    client, personas_with_mfa, typed_password
):
    created = signed_in(client, personas_with_mfa.admin_user).post(
        NEW_STAFF_URL,
        {
            "username": "wanjiru",
            "organisation": str(personas_with_mfa.org_a.public_id),
            "password": typed_password,
        },
    )
    assert "choose their own password" in page(created)
    initial = typed_password or one_time_secret(page(created))

    person = Client()
    assert sign_in_with_password(person, "wanjiru", initial)["Location"] == "/staff/"
    assert person.get("/staff/")["Location"] == f"{CHANGE_URL}?next=%2Fstaff%2F"
    # Nothing else first, not even the second factor.
    for path in ["/", "/staff/admin/staff/", ACTIVATE_URL, "/accounts/2fa/"]:
        assert person.get(path)["Location"].startswith(CHANGE_URL), path
    form = page(person.get(f"{CHANGE_URL}?next=%2Fstaff%2F"))
    assert 'name="oldpassword"' in form
    assert 'name="next" value="/staff/"' in form

    changed = change_password(person, initial, OWN_PASSWORD, next="/staff/")
    assert changed["Location"] == "/staff/"
    user = User.objects.get(username="wanjiru")
    assert user.check_password(OWN_PASSWORD)
    assert not user.must_change_password
    assert password_events(user).get().actor == user

    # Then the second factor, confirmed with the person's own password.
    assert person.get("/staff/")["Location"] == ACTIVATE_URL
    activation = page(reauthenticate(person, ACTIVATE_URL, password=OWN_PASSWORD))
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7=]+)"', activation)[1]
    activated = person.post(ACTIVATE_URL, {"code": fresh_totp_code(secret)})
    assert activated["Location"] == RECOVERY_CODES_URL
    assert "Dashboard" in page(person.get("/staff/"))

    # The password the administrator knew no longer opens the account.
    person.post("/accounts/logout/")
    assert WRONG_LOGIN in page(sign_in_with_password(person, "wanjiru", initial))
    assert sign_in_with_password(person, "wanjiru", OWN_PASSWORD)["Location"] == AUTHENTICATE_URL


def test_person_whose_password_was_reset_keeps_their_second_factor_and_changes_it(
    client, personas_with_mfa
):
    person = Client()
    user, secret, _codes = staff_member_with_totp(person, username="akinyi")
    given = admin_resets(client, personas_with_mfa.admin_user, user)

    assert person.get("/staff/")["Location"].startswith(LOGIN_URL)
    assert WRONG_LOGIN in page(sign_in_with_password(person, "akinyi", PASSWORD))
    assert sign_in_with_totp(person, "akinyi", secret, password=given)["Location"] == "/staff/"
    assert person.get("/staff/")["Location"] == f"{CHANGE_URL}?next=%2Fstaff%2F"

    # Keeping the password the administrator knows is refused.
    kept = change_password(person, given, given)
    assert "Choose a new password, not the one you have now." in page(kept)
    assert given not in page(kept)
    user.refresh_from_db()
    assert user.must_change_password

    assert change_password(person, given, OWN_PASSWORD)["Location"] == CHANGE_URL
    assert "Dashboard" in page(person.get("/staff/"))
    user.refresh_from_db()
    assert not user.must_change_password

    person.post("/accounts/logout/")
    assert WRONG_LOGIN in page(sign_in_with_password(person, "akinyi", given))
    assert sign_in_with_password(person, "akinyi", OWN_PASSWORD)["Location"] == AUTHENTICATE_URL


def test_person_who_must_change_password_may_still_sign_out(client, personas_with_mfa):
    owner = personas_with_mfa.owner
    admin_resets(client, personas_with_mfa.admin_user, owner)
    owner.refresh_from_db()  # a session opened with the new password
    person = signed_in(Client(), owner)
    assert person.get(CHANGE_URL).status_code == 200
    assert person.get("/healthz").status_code == 200
    # A form post is sent to the page itself, with nowhere to come back to.
    assert person.post("/staff/admin/staff/")["Location"] == CHANGE_URL
    assert person.post("/accounts/logout/")["Location"] == "/"
    assert person.get("/staff/")["Location"].startswith(LOGIN_URL)


def test_htmx_request_of_a_person_who_must_change_password_gets_a_client_redirect(
    client, personas_with_mfa
):
    owner = personas_with_mfa.owner
    admin_resets(client, personas_with_mfa.admin_user, owner)
    owner.refresh_from_db()
    response = signed_in(Client(), owner).get("/staff/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == CHANGE_URL
