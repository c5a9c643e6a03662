"""The on-duty roster: who manages it, overlapping and back-to-front shifts refused, the numbers the
voice line dials (Africa's Talking-shaped posts), falling back to TUMAINI_HOTLINE_NUMBERS."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.core.test_csp import assert_no_inline_code
from tests.testapp.helpers import sign_in
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.hotline import services
from tumaini.hotline.models import Shift
from tumaini.hotline.selectors import hotline_numbers_on_duty

pytestmark = pytest.mark.django_db

ROSTER = "/staff/hotline/roster/"
SECRET = "s3cret-callback-7f1d2a"
VOICE = f"/hooks/africastalking/{SECRET}/voice/"
FALLBACK = ["+254711000001", "+254711000002"]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _shift(actor, agent, phone, start_hours, end_hours):
    now = timezone.now()
    return services.shift_add(
        actor=actor,
        agent=agent,
        phone=phone,
        starts_at=now + timedelta(hours=start_hours),
        ends_at=now + timedelta(hours=end_hours),
    )


def _add(client, agent, *, phone="0712 345 678", start_hours=-1, end_hours=7):
    now = timezone.now()
    return client.post(
        ROSTER,
        {
            "agent": agent.pk,
            "phone": phone,
            "starts_at": _local(now + timedelta(hours=start_hours)),
            "ends_at": _local(now + timedelta(hours=end_hours)),
        },
    )


@pytest.mark.parametrize(
    ("persona", "status", "manages"),
    [
        ("supervisor", 200, True),
        ("director", 200, True),
        ("hotline", 200, False),
        ("case_manager", 404, False),
        ("counsellor", 404, False),
        ("analyst", 404, False),
        ("admin", 404, False),
        ("police", 404, False),
    ],
)
def test_roster_page_access_matrix(client, hotline_desk, persona, status, manages):
    _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254700100201", -1, 5)
    sign_in(client, getattr(hotline_desk, persona))
    response = client.get(ROSTER)
    assert response.status_code == status
    html = response.content.decode()
    assert ("On duty now" in html) == (status == 200)
    assert ("Add a shift" in html) == manages
    # The number dialled is for those who manage the roster.
    assert ("+254700100201" in html) == manages
    if status == 200:
        assert_no_inline_code(html)


def test_roster_of_another_organisation_is_not_shown(client, hotline_desk):
    _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254700100201", -1, 5)
    sign_in(client, hotline_desk.other_agent)
    html = client.get(ROSTER).content.decode()
    assert "Nobody is on duty now." in html
    assert "Test" not in html.split("On duty now")[1].split("Coming shifts")[0]


def test_supervisor_adds_a_shift_on_duty_now_and_a_coming_one(client, hotline_desk):
    sign_in(client, hotline_desk.supervisor)
    response = _add(client, hotline_desk.hotline)
    assert response.status_code == 302
    _add(client, hotline_desk.agent2, phone="+254 733 500 412", start_hours=20, end_hours=28)
    now_shift, coming = Shift.objects.order_by("starts_at")
    assert now_shift.phone == "+254712345678"
    assert now_shift.agent == hotline_desk.hotline
    assert now_shift.organisation == hotline_desk.centre
    html = client.get(ROSTER).content.decode()
    on_duty = html.split('id="on-duty"')[1].split('id="coming-shifts"')[0]
    coming_part = html.split('id="coming-shifts"')[1]
    assert "+254712345678" in on_duty and "+254733500412" not in on_duty
    assert "+254733500412" in coming_part.split("Add a shift")[0]
    assert "The shift was added to the roster." in html
    event = AuditEvent.objects.filter(object_type="hotline.shift", action=AuditAction.CREATE)
    assert event.count() == 2


def test_overlapping_shift_of_the_same_agent_is_refused(client, hotline_desk):
    sign_in(client, hotline_desk.supervisor)
    _add(client, hotline_desk.hotline, start_hours=-1, end_hours=7)
    response = _add(client, hotline_desk.hotline, phone="0733500412", start_hours=6, end_hours=12)
    assert response.status_code == 400
    html = response.content.decode()
    assert "already has a shift from" in html
    assert "0733500412" in html  # what was typed stays
    assert Shift.objects.count() == 1
    # Back to back is not an overlap; another agent at the same time is fine.
    assert _add(client, hotline_desk.hotline, start_hours=7, end_hours=9).status_code == 302
    assert _add(client, hotline_desk.agent2, start_hours=-1, end_hours=7).status_code == 302
    assert Shift.objects.count() == 3


def test_shift_ending_before_it_starts_is_refused(client, hotline_desk):
    sign_in(client, hotline_desk.supervisor)
    response = _add(client, hotline_desk.hotline, start_hours=5, end_hours=2)
    assert response.status_code == 400
    assert "The shift ends before it starts." in response.content.decode()
    assert not Shift.objects.exists()
    with pytest.raises(services.ShiftRefused, match="ends before it starts"):
        _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254712345678", 5, 5)


def test_shift_with_a_bad_number_or_a_non_agent_is_refused(client, hotline_desk):
    sign_in(client, hotline_desk.supervisor)
    response = _add(client, hotline_desk.hotline, phone="12345")
    assert response.status_code == 400
    assert "Enter a phone number such as" in response.content.decode()
    response = _add(client, hotline_desk.case_manager)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(services.ShiftRefused, match="hotline agents"):
        _shift(hotline_desk.supervisor, hotline_desk.other_agent, "+254712345678", 0, 2)
    assert not Shift.objects.exists()


def test_agent_cannot_add_or_remove_shifts(client, hotline_desk):
    shift = _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254700100201", -1, 5)
    sign_in(client, hotline_desk.hotline)
    assert _add(client, hotline_desk.agent2).status_code == 404
    assert client.post(f"{ROSTER}{shift.public_id}/remove/").status_code == 404
    assert Shift.objects.count() == 1


def test_supervisor_removes_a_shift(client, hotline_desk):
    shift = _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254700100201", -1, 5)
    sign_in(client, hotline_desk.director)
    response = client.post(f"{ROSTER}{shift.public_id}/remove/")
    assert response.status_code == 302
    assert not Shift.objects.exists()
    event = AuditEvent.objects.get(object_type="hotline.shift", action=AuditAction.DELETE)
    assert event.object_id == str(shift.public_id)
    assert "The shift was removed" in client.get(ROSTER).content.decode()


def test_numbers_on_duty_in_shift_order_without_inactive_agents(hotline_desk):
    sup = hotline_desk.supervisor
    _shift(sup, hotline_desk.agent2, "+254733500412", -2, 4)
    _shift(sup, hotline_desk.hotline, "+254712345678", -3, 1)
    _shift(sup, hotline_desk.hotline, "+254700100201", 2, 6)  # not yet
    assert hotline_numbers_on_duty() == ["+254712345678", "+254733500412"]
    assert hotline_numbers_on_duty(at=timezone.now() + timedelta(hours=3)) == [
        "+254733500412",
        "+254700100201",
    ]
    hotline_desk.agent2.is_active = False
    hotline_desk.agent2.save()
    assert hotline_numbers_on_duty() == ["+254712345678"]
    assert hotline_numbers_on_duty(at=timezone.now() + timedelta(hours=7)) == []


# --- The voice line -------------------------------------------------------------------------------


@pytest.fixture
def voice_settings(settings):
    settings.TUMAINI_AT_CALLBACK_SECRET = SECRET
    settings.TUMAINI_HOTLINE_NUMBERS = FALLBACK
    return settings


def _choose_english(client, session_id="ATVId_roster1"):
    response = client.post(
        VOICE,
        {
            "isActive": "1",
            "sessionId": session_id,
            "direction": "Inbound",
            "callerNumber": "+254722000111",
            "destinationNumber": "+254202000100",
            "dtmfDigits": "1",
        },
    )
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_voice_dials_the_agents_on_duty(client, hotline_desk, voice_settings):
    _shift(hotline_desk.supervisor, hotline_desk.agent2, "+254733500412", -2, 4)
    _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254712345678", -3, 1)
    say, dial, record = list(_choose_english(client))
    assert say.text.startswith("Thank you for calling Tumaini")
    assert dial.tag == "Dial"
    assert dial.get("phoneNumbers") == "+254712345678,+254733500412"
    assert dial.get("sequential") == "true"
    assert record.tag == "Record"


def test_voice_falls_back_to_the_setting_when_nobody_is_on_duty(
    client, hotline_desk, voice_settings
):
    _shift(hotline_desk.supervisor, hotline_desk.hotline, "+254712345678", -8, -1)  # over
    _shift(hotline_desk.supervisor, hotline_desk.agent2, "+254733500412", 1, 9)  # not yet
    _say, dial, _record = list(_choose_english(client))
    assert dial.get("phoneNumbers") == ",".join(FALLBACK)


def test_voice_takes_a_voicemail_when_nobody_is_on_duty_and_no_fallback(
    client, hotline_desk, voice_settings
):
    voice_settings.TUMAINI_HOTLINE_NUMBERS = []
    say, record = list(_choose_english(client))
    assert "Nobody can take your call" in say.text
    assert record.tag == "Record"


def test_roster_queries_do_not_grow_with_shifts(client, hotline_desk):
    sup = hotline_desk.supervisor
    _shift(sup, hotline_desk.hotline, "+254712345678", -1, 2)
    sign_in(client, sup)
    with CaptureQueriesContext(connection) as one:
        client.get(ROSTER)
    _shift(sup, hotline_desk.agent2, "+254733500412", -1, 2)
    _shift(sup, hotline_desk.hotline, "+254712345678", 20, 24)
    with CaptureQueriesContext(connection) as three:
        html = client.get(ROSTER).content.decode()
    assert html.count("+254712345678") == 2 and "+254733500412" in html
    assert len(three) == len(one)


def test_roster_view_is_audited(client, hotline_desk):
    sign_in(client, hotline_desk.director)
    client.get(ROSTER)
    event = AuditEvent.objects.get(object_type="hotline.roster")
    assert event.action == AuditAction.VIEW
    assert event.actor == hotline_desk.director


def test_database_refuses_a_shift_that_ends_before_it_starts(hotline_desk):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(
            organisation=hotline_desk.centre,
            agent=hotline_desk.hotline,
            phone="+254712345678",
            starts_at=now,
            ends_at=now - timedelta(minutes=1),
        )
