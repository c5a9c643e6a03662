"""Password rules, checked through allauth's password change page."""

import re

import pytest
from django.core.cache import cache

from tests.accounts.test_mfa import sign_in_with_password, staff_member_with_totp
from tests.factories import PASSWORD

CHANGE_URL = "/accounts/password/change/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


@pytest.fixture
def staff(client):
    user, _secret, _codes = staff_member_with_totp(client, username="wanjiku.kamau")
    return user


def _field_errors(page: str, field: str) -> list[str]:
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found[1]) if found else []


def test_password_change_page_shows_the_rules(client, staff):
    page = client.get(CHANGE_URL).content.decode()
    assert "<h1>Change your password</h1>" in page
    for label_for in ("id_oldpassword", "id_password1", "id_password2"):
        assert f'<label for="{label_for}">' in page
    assert "at least 12 characters" in page


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("Tumaini-7", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("738294610573", "This password is entirely numeric."),
        ("Kamau.Wanjiku", "The password is too similar to the username."),
    ],
)
def test_weak_password_is_refused_next_to_the_field(client, staff, weak, message):
    response = client.post(
        CHANGE_URL, {"oldpassword": PASSWORD, "password1": weak, "password2": weak}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in _field_errors(page, "password1")
    assert 'aria-invalid="true"' in page
    # Passwords typed are never sent back in the page.
    assert weak not in page
    assert PASSWORD not in page
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_wrong_current_password_is_refused_next_to_its_field(client, staff):
    strong = "river-lantern-mango-42"
    response = client.post(
        CHANGE_URL, {"oldpassword": "not-my-password-9", "password1": strong, "password2": strong}
    )
    page = response.content.decode()
    assert _field_errors(page, "oldpassword") == ["Please type your current password."]
    assert strong not in page
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_mismatched_new_passwords_are_refused(client, staff):
    response = client.post(
        CHANGE_URL,
        {
            "oldpassword": PASSWORD,
            "password1": "river-lantern-mango-42",
            "password2": "river-lantern-mango-43",
        },
    )
    assert _field_errors(response.content.decode(), "password2") == [
        "You must type the same password each time."
    ]
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_strong_password_is_accepted_and_signs_in(client, staff):
    strong = "river-lantern-mango-42"
    response = client.post(
        CHANGE_URL, {"oldpassword": PASSWORD, "password1": strong, "password2": strong}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(strong)
    # The session survives the change; the next sign-in takes the new password only.
    assert client.get("/staff/").status_code == 200
    client.post("/accounts/logout/")
    assert sign_in_with_password(client, "wanjiku.kamau", PASSWORD).status_code == 200
    assert sign_in_with_password(client, "wanjiku.kamau", strong)["Location"] == (
        "/accounts/2fa/authenticate/"
    )
