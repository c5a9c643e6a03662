"""Idle timeout: a staff session ends TUMAINI_SESSION_IDLE_MINUTES after its last request."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from tests.accounts.test_mfa import LOGIN_URL, staff_member_with_totp


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _set_expiry(client, expire_date) -> None:
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=expire_date)


def test_session_expiry_slides_forward_on_each_request(client):
    staff_member_with_totp(client)
    idle_limit = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # As if the last request had been made 14 minutes ago.
    _set_expiry(client, timezone.now() + timedelta(minutes=1))

    before = timezone.now()
    assert client.get("/staff/").status_code == 200
    expiry = _session_row(client).expire_date
    assert before + idle_limit <= expiry <= timezone.now() + idle_limit


def test_session_idle_past_the_limit_is_signed_out(client):
    staff_member_with_totp(client)
    assert client.get("/staff/").status_code == 200
    _set_expiry(client, timezone.now() - timedelta(seconds=1))

    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/staff/"
    page = client.get(response["Location"]).content.decode()
    assert "Staff sign-in" in page


def test_session_cookie_ends_with_the_browser(client):
    staff_member_with_totp(client)
    response = client.get("/staff/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True


def _settings_in_subprocess(tmp_path, **environ) -> subprocess.CompletedProcess:
    """Import the settings module afresh with the given environment."""
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_IDLE_MINUTES, settings.SESSION_COOKIE_AGE, "
        "settings.SESSION_SAVE_EVERY_REQUEST)"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TUMAINI_") and key != "DATABASE_URL"
    }
    env.update(DJANGO_SETTINGS_MODULE="tumaini.settings", TUMAINI_DATA_DIR=str(tmp_path))
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_idle_minutes_come_from_the_environment(tmp_path):
    result = _settings_in_subprocess(tmp_path, TUMAINI_SESSION_IDLE_MINUTES="7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7", "420", "True"]


def test_idle_minutes_default_to_fifteen(tmp_path):
    result = _settings_in_subprocess(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["15", "900", "True"]


@pytest.mark.parametrize("value", ["ten", "0"])
def test_idle_minutes_that_make_no_sense_stop_the_start(tmp_path, value):
    result = _settings_in_subprocess(tmp_path, TUMAINI_SESSION_IDLE_MINUTES=value)
    assert result.returncode != 0
    assert "TUMAINI_SESSION_IDLE_MINUTES must be" in result.stderr
