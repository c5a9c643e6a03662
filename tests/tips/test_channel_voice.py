"""The voice hotline at /hooks/africastalking/<secret>/voice/: menu, Dial, voicemail report."""

import xml.etree.ElementTree as ET

import pytest

from tumaini.tips.enums import Channel
from tumaini.tips.models import Report

SECRET = "s3cret-callback-7f1d2a"
URL = f"/hooks/africastalking/{SECRET}/voice/"
CALLBACK_URL = f"http://testserver{URL}"
CALLER = "+254722000111"
RECORDING = "https://voice.africastalking.com/recordings/ATVId_9c1b.mp3?key=a&x=1"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def callback_secret(settings, desk):
    settings.TUMAINI_AT_CALLBACK_SECRET = SECRET
    settings.TUMAINI_HOTLINE_NUMBERS = ["+254711000001", "+254711000002"]


def call(client, session_id="ATVId_5e2f", url=URL, **fields):
    """One callback as the provider posts it during an inbound call."""
    data = {
        "isActive": "1",
        "sessionId": session_id,
        "direction": "Inbound",
        "callerNumber": CALLER,
        "destinationNumber": "+254202000100",
    }
    data.update(fields)
    return client.post(url, data)


def xml(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return root


def hang_up(client, session_id="ATVId_5e2f"):
    return call(
        client,
        session_id,
        isActive="0",
        durationInSeconds="47",
        currencyCode="KES",
        amount="2.50",
        hangupCause="NORMAL_CLEARING",
    )


def assert_menu(root):
    digits, fallback = list(root)
    assert digits.tag == "GetDigits"
    assert digits.attrib == {
        "numDigits": "1",
        "timeout": "10",
        "finishOnKey": "#",
        "callbackUrl": CALLBACK_URL,
    }
    [prompt] = list(digits)
    assert prompt.tag == "Say"
    assert prompt.text == "For English press 1. Kwa Kiswahili bonyeza 2."
    assert fallback.tag == "Say" and "call again" in fallback.text


def assert_record(element):
    assert element.tag == "Record"
    assert element.attrib == {
        "finishOnKey": "#",
        "maxLength": "120",
        "trimSilence": "true",
        "playBeep": "true",
        "callbackUrl": CALLBACK_URL,
    }


def test_voice_first_callback_answers_language_menu(client):
    assert_menu(xml(call(client)))
    assert not Report.objects.exists()


def test_voice_english_choice_dials_agents_then_records(client):
    say, dial, record = list(xml(call(client, dtmfDigits="1")))
    assert say.tag == "Say" and say.text.startswith("Thank you for calling Tumaini")
    assert dial.tag == "Dial"
    assert dial.get("phoneNumbers") == "+254711000001,+254711000002"
    assert dial.get("sequential") == "true"
    assert_record(record)


def test_voice_kiswahili_choice_dials_agents_then_records(client):
    say, dial, record = list(xml(call(client, dtmfDigits="2")))
    assert say.text.startswith("Asante kwa kupiga simu Tumaini")
    assert dial.get("phoneNumbers") == "+254711000001,+254711000002"
    assert_record(record)


def test_voice_without_hotline_numbers_goes_to_voicemail(client, settings):
    settings.TUMAINI_HOTLINE_NUMBERS = []
    say, record = list(xml(call(client, dtmfDigits="1")))
    assert say.tag == "Say" and "Nobody can take your call" in say.text
    assert_record(record)


def test_voice_invalid_digit_repeats_menu(client):
    assert_menu(xml(call(client, dtmfDigits="7")))
    assert_menu(xml(call(client, dtmfDigits="*")))


def test_voice_recording_makes_one_report_when_posted_twice(client):
    call(client)
    call(client, dtmfDigits="2")
    for _ in range(2):  # the provider retries
        root = xml(call(client, recordingUrl=RECORDING, durationInSeconds="31"))
        assert list(root) == []
    report = Report.objects.get()
    assert report.channel == Channel.VOICE
    assert report.what_happened == f"Voicemail left on the help line: {RECORDING}"
    assert report.language == "sw"
    # The caller's number is not stored anywhere on the report.
    assert report.reporter_phone == ""
    assert "722000111" not in str(Report.objects.values().get())
    assert hang_up(client).status_code == 200
    assert Report.objects.count() == 1


def test_voice_recordings_of_two_calls_make_two_reports(client):
    call(client, "ATVId_one", recordingUrl=RECORDING)
    call(client, "ATVId_two", recordingUrl=RECORDING + "&b=2")
    reports = Report.objects.filter(channel=Channel.VOICE).order_by("pk")
    assert [r.what_happened.endswith("&b=2") for r in reports] == [False, True]
    assert [r.language for r in reports] == ["", ""]  # no language was chosen


def test_voice_final_notification_is_empty_200_and_stores_nothing(client):
    response = hang_up(client)
    assert response.status_code == 200
    assert response.content == b""
    assert not Report.objects.exists()


def test_voice_recording_url_that_is_not_a_url_is_400(client):
    response = call(client, recordingUrl="javascript:alert(1)")
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_voice_wrong_secret_is_404_and_nothing_stored(client):
    bad = "/hooks/africastalking/nope/voice/"
    assert call(client, url=bad).status_code == 404
    assert call(client, url=bad, recordingUrl=RECORDING).status_code == 404
    assert not Report.objects.exists()


def test_voice_without_session_id_is_400(client):
    response = client.post(URL, {"isActive": "1", "callerNumber": CALLER})
    assert response.status_code == 400
    response = client.post(URL, {"isActive": "1", "recordingUrl": RECORDING})
    assert response.status_code == 400
    assert not Report.objects.exists()
