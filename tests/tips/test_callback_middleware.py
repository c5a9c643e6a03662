"""Provider callbacks skip the browser middleware (tumaini/core/middleware.py); nothing else does.

The callbacks keep their own guard (the URL secret, POST only) and their answers; staff and public
pages keep sessions, CSRF, CSP and the frame header.
"""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.testapp.helpers import sign_in
from tumaini.messaging.models import OutboundMessage
from tumaini.tips.models import Report, UssdSession

SECRET = "s3cret-callback-7f1d2a"
HOOKS = f"/hooks/africastalking/{SECRET}/"
USSD = {"sessionId": "ATUid_mw1", "serviceCode": "*384*1234#", "phoneNumber": "+254722000111"}
SMS = {
    "from": "+254712345678",
    "to": "40123",
    "text": "Girls locked in a house near Gikomba market",
    "date": "2026-11-28 10:15:02",
    "id": "ATXid_mw1",
    "linkId": "",
    "networkCode": "63902",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def callback_secret(settings, desk):
    settings.TUMAINI_AT_CALLBACK_SECRET = SECRET


def nothing_stored():
    return (
        not Report.objects.exists()
        and not UssdSession.objects.exists()
        and not OutboundMessage.objects.exists()
        and not Session.objects.exists()
    )


def test_ussd_callback_answers_without_session_cookie_or_browser_headers(client):
    response = client.post(HOOKS + "ussd/", {**USSD, "text": ""})

    assert response.status_code == 200
    assert response.content.decode().startswith("CON ")
    assert response["Content-Length"] == str(len(response.content))
    assert not response.cookies
    assert "Content-Security-Policy" not in response
    assert "Vary" not in response  # no session or language negotiation
    assert not Session.objects.exists()
    assert UssdSession.objects.filter(session_id="ATUid_mw1").exists()


def test_sms_callback_still_stores_its_report_without_session(client):
    response = client.post(HOOKS + "sms/", SMS)

    assert response.status_code == 200
    assert Report.objects.count() == 1
    assert not response.cookies
    assert not Session.objects.exists()


@pytest.mark.parametrize("view", ["ussd/", "ussd-events/", "sms/", "sms-delivery/", "voice/"])
def test_callback_with_wrong_secret_is_404_and_nothing_stored(client, view):
    fields = {**USSD, **SMS, "text": "", "isActive": "1", "status": "Success"}

    response = client.post(f"/hooks/africastalking/wrong-{SECRET}/{view}", fields)

    assert response.status_code == 404
    assert response.content != b"OK"
    assert nothing_stored()


def test_unknown_hook_url_is_404(client):
    assert client.post("/hooks/elsewhere/ussd/", USSD).status_code == 404
    assert client.post(HOOKS + "nothing-here/", USSD).status_code == 404
    assert nothing_stored()


@pytest.mark.parametrize(
    ("view", "fields"),
    [
        ("ussd/", {"serviceCode": "*384*1234#", "text": "1"}),
        ("sms/", {**SMS, "id": ""}),
        ("sms-delivery/", {"status": "Success"}),
        ("voice/", {"isActive": "1"}),
    ],
)
def test_malformed_callback_is_400_and_nothing_stored(client, view, fields):
    response = client.post(HOOKS + view, fields)

    assert response.status_code == 400
    assert nothing_stored()


def test_callback_answers_get_with_405(client):
    assert client.get(HOOKS + "ussd/").status_code == 405
    assert nothing_stored()


def test_public_report_form_keeps_csrf_csp_and_frame_header():
    browser = Client(enforce_csrf_checks=True)

    page = browser.get("/report/")

    assert page.status_code == 200
    assert "Content-Security-Policy" in page
    assert page["X-Frame-Options"] == "DENY"
    assert "csrfmiddlewaretoken" in page.content.decode()
    # A post without the CSRF token is refused and stores nothing.
    refused = browser.post("/report/", {"what_happened": "Girls locked in a house"})
    assert refused.status_code == 403
    assert not Report.objects.exists()


def test_staff_page_keeps_the_signed_in_session(client, desk):
    sign_in(client, desk.hotline)

    page = client.get("/staff/reports/")

    assert page.status_code == 200
    assert "Content-Security-Policy" in page
    assert client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    # Signed out, the same page sends the browser to sign in.
    client.logout()
    assert client.get("/staff/reports/").status_code == 302
