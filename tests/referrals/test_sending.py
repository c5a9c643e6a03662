"""Making and sending a referral: the consent check (and a director's override), the snapshot of the
chosen fields only, and the deadline each urgency sets."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.referrals.builders import (
    draft_referral,
    make_partner,
    referral_consent,
    sent_referral,
)
from tumaini.cases.services.consent import consent_withdraw
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.people.models import Person
from tumaini.referrals.enums import ACKNOWLEDGE_WITHIN, ReferralStatus, ReferralUrgency, SharedField
from tumaini.referrals.models import Referral
from tumaini.referrals.services import ReferralRefused, referral_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return make_partner()


def test_send_without_consent_is_refused(personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    with pytest.raises(ReferralRefused, match="no active consent"):
        referral_send(actor=personas.owner, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert referral.snapshot == ""


def test_send_with_consent_for_another_recipient_is_refused(personas, partner):
    _hospital, service = partner
    other, _ = make_partner(name="Another Clinic")
    referral = draft_referral(personas, service)
    referral_consent(referral.case, other, personas.owner)
    with pytest.raises(ReferralRefused):
        referral_send(actor=personas.owner, referral=referral)


def test_withdrawn_consent_blocks_a_new_referral(personas, partner):
    hospital, service = partner
    case = owned_case(personas)
    consent = referral_consent(case, hospital, personas.owner)
    first = sent_referral_with(personas, service, case)
    assert first.status == ReferralStatus.SENT
    consent_withdraw(
        actor=personas.owner, case=case, consent_public_id=consent.public_id, reason="Changed mind"
    )
    second = draft_referral(personas, service, case=case)
    with pytest.raises(ReferralRefused, match="no active consent"):
        referral_send(actor=personas.owner, referral=second)
    assert Referral.objects.get(pk=second.pk).status == ReferralStatus.DRAFT


def sent_referral_with(personas, service, case):
    referral = draft_referral(personas, service, case=case)
    return referral_send(actor=personas.owner, referral=referral)


def test_send_takes_a_snapshot_of_the_chosen_fields_only(personas, partner):
    _hospital, service = partner
    referral = sent_referral(personas, service, fields=[SharedField.FIRST_NAME, SharedField.AGE])
    assert set(referral.shared()) == {"first_name", "age"}
    assert referral.shared()["first_name"] == "Amina"
    assert "Wanjiru" not in referral.snapshot


def test_snapshot_does_not_follow_later_case_edits(personas, partner):
    _hospital, service = partner
    referral = sent_referral(personas, service, fields=[SharedField.FULL_NAME])
    person = Person.objects.get(pk=referral.case.person_id)
    person.given_name = "Zawadi"
    person.save()
    referral.refresh_from_db()
    assert referral.shared() == {"full_name": "Amina Wanjiru"}


def test_snapshot_is_encrypted_at_rest(personas, partner):
    from django.db import connection

    _hospital, service = partner
    referral = sent_referral(personas, service, fields=[SharedField.FULL_NAME])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT snapshot, reason FROM referrals_referral WHERE id = %s", [referral.pk]
        )
        snapshot, reason = cursor.fetchone()
    assert "Amina" not in snapshot
    assert "assault" not in reason


@pytest.mark.parametrize("urgency", ReferralUrgency.values)
def test_send_sets_the_deadline_of_its_urgency(personas, partner, urgency):
    _hospital, service = partner
    referral = sent_referral(personas, service, urgency=urgency)
    assert referral.acknowledge_due_at - referral.sent_at == ACKNOWLEDGE_WITHIN[urgency]


def test_sla_table_is_two_hours_a_day_five_days():
    assert {
        "emergency": timedelta(hours=2),
        "urgent": timedelta(days=1),
        "routine": timedelta(days=5),
    } == ACKNOWLEDGE_WITHIN


def test_send_is_audited_as_a_share_naming_the_fields_and_consent(personas, partner):
    hospital, service = partner
    referral = draft_referral(personas, service)
    consent = referral_consent(referral.case, hospital, personas.owner)
    referral_send(actor=personas.owner, referral=referral)
    event = AuditEvent.objects.get(action=AuditAction.SHARE, object_id=str(referral.public_id))
    assert event.detail["shared_fields"] == ["first_name", "age"]
    assert event.detail["consent"] == str(consent.public_id)
    assert "Amina" not in str(event.detail)


def test_case_manager_cannot_override_missing_consent(personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    with pytest.raises(ReferralRefused, match="Only a director"):
        referral_send(
            actor=personas.owner,
            referral=referral,
            override_reason="She is bleeding and cannot speak right now.",
        )


def test_director_override_needs_a_reason_of_substance(personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    with pytest.raises(ValidationError):
        referral_send(actor=personas.director, referral=referral, override_reason="urgent")


def test_director_override_sends_and_is_audited(personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    reason = "Unconscious on arrival; needs surgery, cannot consent now."
    referral = referral_send(actor=personas.director, referral=referral, override_reason=reason)
    assert referral.status == ReferralStatus.SENT
    assert referral.consent is None
    assert referral.consent_override_by == personas.director
    event = AuditEvent.objects.get(
        action=AuditAction.BREAK_GLASS, object_id=str(referral.case.public_id)
    )
    assert event.reason == reason
    assert event.detail["consent_override"] is True


def test_sent_referral_without_consent_or_override_is_refused_by_the_database(personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.SENT, sent_at=now, acknowledge_due_at=now
        )


def test_completed_without_outcome_is_refused_by_the_database(personas, partner):
    _hospital, service = partner
    referral = sent_referral(personas, service)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.COMPLETED)


def test_send_twice_is_refused(personas, partner):
    _hospital, service = partner
    referral = sent_referral(personas, service)
    with pytest.raises(ReferralRefused, match="already sent"):
        referral_send(actor=personas.owner, referral=referral)
