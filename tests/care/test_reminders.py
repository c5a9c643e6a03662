"""SMS reminders of appointments, by the periodic job through the real worker and a fake provider:
only with an active consent for SMS contact, to a phone marked safe, once, saying nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.care.builders import appointment, planned_case
from tests.messaging import provider
from tests.messaging.test_sending import run_worker
from tumaini.care.enums import AppointmentStatus, ReminderState, ServiceType
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.models import Consent
from tumaini.core.models import ScheduledRun
from tumaini.messaging.enums import MessagePurpose, MessageStatus
from tumaini.messaging.models import OutboundMessage
from tumaini.people.enums import ContactKind
from tumaini.people.models import PersonContact

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "+254712345678"


@pytest.fixture(autouse=True)
def fake_provider(settings):
    settings.TUMAINI_AT_API_KEY = "atsk_test_key"
    settings.TUMAINI_AT_USERNAME = "tumaini"
    settings.TUMAINI_AT_SANDBOX = True
    settings.TUMAINI_AT_TRANSPORT = provider.TRANSPORT_PATH
    provider.reset()
    yield provider
    provider.reset()


def run_reminder_job():
    """What production does: the scheduler queues due jobs, the worker runs them."""
    ScheduledRun.objects.filter(name="appointment_reminders").delete()
    call_command("scheduler", once=True, verbosity=0)
    run_worker()


def _consent(case, *, withdrawn=False):
    return Consent.objects.create(
        person=case.person,
        case=case,
        purpose=ConsentPurpose.SMS_CONTACT,
        given_by=ConsentGiver.SELF,
        given_at=timezone.now() - timedelta(days=1),
        withdrawn_at=timezone.now() if withdrawn else None,
        recorded_by=case.assigned_to,
    )


def _phone(case, *, safe=True):
    PersonContact.objects.create(
        person=case.person, kind=ContactKind.PHONE, value="0712 345678", is_safe_to_use=safe
    )


@pytest.fixture
def case(personas):
    found = planned_case(personas)
    _phone(found)
    return found


def _tomorrow_morning(personas, case):
    return appointment(
        case,
        staff=personas.owner,
        starts_at=timezone.now() + timedelta(hours=20),
        service_type=ServiceType.LEGAL_AID,
        location="Haki clinic, Kilimani",
        notes="Court preparation",
    )


def test_reminder_sent_once_with_consent_and_the_text_reveals_nothing(personas, case):
    _consent(case)
    booked = _tomorrow_morning(personas, case)
    provider.REPLIES.append(provider.accepted(NUMBER))
    run_reminder_job()
    (message,) = OutboundMessage.objects.all()
    assert message.purpose == MessagePurpose.APPOINTMENT_REMINDER
    assert message.status == MessageStatus.SENT
    sent = provider.form_of(provider.REQUESTS[0])
    assert sent["to"] == NUMBER
    text = sent["message"]
    local = timezone.localtime(booked.starts_at)
    assert local.strftime("%H:%M") in text and local.strftime("%d/%m") in text
    for secret in (
        "Zawadi",
        "Otieno",
        case.case_number,
        "Tumaini",
        "Rescue",
        "legal",
        "Legal",
        "court",
        "Court",
        "Haki",
        "Kilimani",
        personas.owner.username,
        str(personas.org_a),
        "traffick",
        "counsel",
    ):
        assert secret not in text
    booked.refresh_from_db()
    assert booked.reminder_state == ReminderState.SENT
    assert booked.reminder_message == message
    # The job runs again: nothing more is sent (the fake would fail on an unexpected request).
    run_reminder_job()
    assert OutboundMessage.objects.count() == 1
    assert len(provider.REQUESTS) == 1


@pytest.mark.parametrize("withdrawn", [False, True])
def test_reminder_not_sent_without_an_active_sms_consent(personas, case, withdrawn):
    if withdrawn:
        _consent(case, withdrawn=True)
    booked = _tomorrow_morning(personas, case)
    run_reminder_job()
    assert not OutboundMessage.objects.exists()
    assert provider.REQUESTS == []
    booked.refresh_from_db()
    assert booked.reminder_state == ReminderState.NO_CONSENT


def test_reminder_not_sent_to_a_phone_not_marked_safe(personas):
    case = planned_case(personas)
    _phone(case, safe=False)
    _consent(case)
    booked = _tomorrow_morning(personas, case)
    run_reminder_job()
    assert not OutboundMessage.objects.exists()
    booked.refresh_from_db()
    assert booked.reminder_state == ReminderState.NO_PHONE


def test_reminder_not_sent_for_far_away_or_cancelled_appointments(personas, case):
    _consent(case)
    far = appointment(case, staff=personas.owner, starts_at=timezone.now() + timedelta(days=5))
    cancelled = _tomorrow_morning(personas, case)
    cancelled.status = AppointmentStatus.CANCELLED
    cancelled.save()
    run_reminder_job()
    assert not OutboundMessage.objects.exists()
    far.refresh_from_db()
    assert far.reminder_state == ""
