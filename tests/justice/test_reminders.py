"""Hearing reminders: the legal officer is notified, the survivor gets an SMS only with consent to
SMS contact and a phone they said is safe, the text names no court and no case, and each hearing
is reminded once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.justice.builders import consent, hearing, legal_officer, matter_with_prosecution
from tumaini.cases.enums import ConsentPurpose
from tumaini.justice.services import hearing_reminders_send
from tumaini.messaging.enums import MessagePurpose
from tumaini.messaging.models import OutboundMessage
from tumaini.people.enums import ContactKind
from tumaini.people.models import PersonContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(personas):
    officer = legal_officer(personas)
    matter, _, prosecution = matter_with_prosecution(personas, officer)
    return officer, matter, prosecution


def _phone(case, safe=True):
    PersonContact.objects.create(
        person=case.person, kind=ContactKind.PHONE, value="+254712345678", is_safe_to_use=safe
    )


def test_reminders_go_once_to_the_officer_and_to_a_consenting_survivor(filed):
    officer, matter, prosecution = filed
    _phone(matter.case)
    consent(matter.case, purpose=ConsentPurpose.SMS_CONTACT)
    soon = hearing(prosecution, in_hours=30)
    hearing(prosecution, in_hours=24 * 10)  # too far ahead

    assert hearing_reminders_send() == {"officers": 1, "survivors": 1}
    assert officer.notifications.filter(message__contains="Milimani Law Courts").count() == 1
    message = OutboundMessage.objects.get()
    assert message.to == "+254712345678"
    assert message.purpose == MessagePurpose.APPOINTMENT_REMINDER
    local = timezone.localtime(soon.starts_at)
    assert local.strftime("%d/%m/%Y") in message.body
    for revealing in ("court", "Court", "Milimani", "TUM-26", "hearing", "kesi", "mahakama"):
        assert revealing not in message.body

    assert hearing_reminders_send() == {"officers": 0, "survivors": 0}
    assert OutboundMessage.objects.count() == 1


@pytest.mark.parametrize("setup", ["no_consent", "unsafe_phone", "withdrawn", "not_attending"])
def test_no_sms_to_the_survivor_without_consent_and_a_safe_phone(filed, setup):
    officer, matter, prosecution = filed
    _phone(matter.case, safe=setup != "unsafe_phone")
    if setup != "no_consent":
        given = consent(matter.case, purpose=ConsentPurpose.SMS_CONTACT)
        if setup == "withdrawn":
            given.withdrawn_at = timezone.now() - timedelta(minutes=1)
            given.save()
    hearing(prosecution, in_hours=12, survivor_attends=setup != "not_attending")
    result = hearing_reminders_send()
    assert result["survivors"] == 0
    assert not OutboundMessage.objects.exists()
    assert result["officers"] == 1
