"""Consent: recording (rules for recipients, sections, children, dates), withdrawal, the consent part
of the case page, and `consent_active` as other apps call it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.factories import OrganisationFactory, UserFactory
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.models import Consent
from tumaini.cases.selectors.consent import consent_active
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MATRIX = [
    ("owner", True),
    ("teammate", True),
    ("director", True),
    ("outsider", False),
    ("admin_user", False),
    (Role.COUNSELLOR, False),
    (Role.SHELTER_MANAGER, False),
    (Role.COUNTY_ANALYST, False),
]


@pytest.fixture
def case(personas):
    return owned_case(personas)


@pytest.fixture
def hospital(db):
    return OrganisationFactory(name="Mama Lucy Hospital")


def _user(personas, persona):
    return getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )


def _url(case, suffix=""):
    return f"/staff/cases/{case.public_id}/{suffix}"


def _today():
    return timezone.localdate()


def _post(client, case, **fields):
    data = {
        "purpose": ConsentPurpose.SERVICES,
        "given_by": ConsentGiver.SELF,
        "given_on": _today().isoformat(),
        **fields,
    }
    return client.post(_url(case, "consent/add/"), data)


def _consent(case, recorded_by, **fields) -> Consent:
    values = {
        "person": case.person,
        "case": case,
        "purpose": ConsentPurpose.REFERRAL,
        "given_by": ConsentGiver.SELF,
        "given_at": timezone.now() - timedelta(days=1),
        "recorded_by": recorded_by,
        **fields,
    }
    return Consent.objects.create(**values)


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_consent_add_access_matrix(client, personas, case, persona, allowed):
    response = _post(sign_in(client, _user(personas, persona)), case)
    assert response.status_code == (302 if allowed else 404)
    assert Consent.objects.exists() == allowed


def test_consent_add_anonymous_goes_to_login(client, case):
    response = _post(client, case)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_consent_referral_recorded_shows_in_what_may_be_shared(client, personas, case, hospital):
    sign_in(client, personas.owner)
    expires = _today() + timedelta(days=90)
    response = _post(
        client,
        case,
        purpose=ConsentPurpose.REFERRAL,
        recipient=hospital.pk,
        expires_on=expires.isoformat(),
        scope_notes="Medical history only",
    )
    assert response.status_code == 302
    page = client.get(case_section(case, "person")).content.decode()
    assert "What may be shared with whom" in page
    assert "Referral to a named organisation" in page
    assert "Mama Lucy Hospital" in page
    assert expires.isoformat() in page
    assert "Medical history only" in page
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="create").get()
    assert "recipient" in event.fields_changed and "scope_notes" in event.fields_changed
    assert "Medical" not in str(event.detail)


@pytest.mark.parametrize("purpose", [ConsentPurpose.REFERRAL, ConsentPurpose.CASE_SUMMARY])
def test_consent_recipient_required_for_sharing_purposes(client, personas, case, purpose):
    sign_in(client, personas.owner)
    response = _post(client, case, purpose=purpose, scope_notes="keep me")
    page = response.content.decode()
    assert "Name the organisation the data will go to." in page
    assert "keep me" in page
    assert not Consent.objects.exists()


def test_consent_case_summary_needs_sections_and_stores_them(client, personas, case, hospital):
    sign_in(client, personas.owner)
    response = _post(client, case, purpose=ConsentPurpose.CASE_SUMMARY, recipient=hospital.pk)
    assert "Choose the sections that may be shared." in response.content.decode()
    response = _post(
        client,
        case,
        purpose=ConsentPurpose.CASE_SUMMARY,
        recipient=hospital.pk,
        sections=["identity", "care_plan"],
    )
    assert response.status_code == 302
    assert Consent.objects.get().sections == ["identity", "care_plan"]
    page = client.get(case_section(case, "person")).content.decode()
    assert "Identity, Care plan" in page


def test_consent_unknown_section_refused(client, personas, case, hospital):
    sign_in(client, personas.owner)
    response = _post(
        client,
        case,
        purpose=ConsentPurpose.CASE_SUMMARY,
        recipient=hospital.pk,
        sections=["bank_details"],
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Consent.objects.exists()


def test_consent_child_needs_guardian_and_name(client, personas):
    child_case = owned_case(personas, child=True)
    sign_in(client, personas.owner)
    response = _post(client, child_case, given_by=ConsentGiver.SELF)
    assert "a parent or guardian must give consent" in response.content.decode()
    response = _post(client, child_case, given_by=ConsentGiver.GUARDIAN)
    assert "Write the guardian&#x27;s name." in response.content.decode()
    assert not Consent.objects.exists()
    response = _post(
        client,
        child_case,
        given_by=ConsentGiver.GUARDIAN,
        guardian_name="Mary Atieno",
        guardian_relationship="aunt",
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.guardian_name == "Mary Atieno"
    assert response["Location"].endswith("/?section=person#part-consent")
    page = client.get(response["Location"]).content.decode()
    assert "Mary Atieno, aunt" in page


def test_consent_dates_given_not_in_future_expiry_after_given(client, personas, case):
    sign_in(client, personas.owner)
    response = _post(client, case, given_on=(_today() + timedelta(days=1)).isoformat())
    assert "Consent cannot be given in the future." in response.content.decode()
    response = _post(
        client,
        case,
        given_on=_today().isoformat(),
        expires_on=_today().isoformat(),
    )
    assert "The expiry must be after the day consent was given." in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_consent_withdraw_access_matrix(client, personas, case, persona, allowed):
    consent = _consent(case, personas.owner)
    response = sign_in(client, _user(personas, persona)).post(
        _url(case, f"consent/{consent.public_id}/withdraw/"), {"reason": "Changed her mind"}
    )
    assert response.status_code == (302 if allowed else 404)
    consent.refresh_from_db()
    assert (consent.withdrawn_at is not None) == allowed


def test_consent_withdraw_needs_reason_stops_shares_and_is_audited(
    client, personas, case, hospital
):
    consent = _consent(case, personas.owner, recipient=hospital)
    assert consent_active(person=case.person, purpose="referral", recipient=hospital) == consent
    sign_in(client, personas.owner)
    url = _url(case, f"consent/{consent.public_id}/withdraw/")
    response = client.post(url, {"reason": "  "})
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"reason": "She no longer wants the referral"}, follow=True)
    page = response.content.decode()
    assert "Consent withdrawn." in page
    assert "She no longer wants the referral" in page  # in the withdrawn list
    assert "No active consent: nothing may be shared." in page
    assert consent_active(person=case.person, purpose="referral", recipient=hospital) is None
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="update").get()
    assert event.fields_changed == ["withdrawal_reason", "withdrawn_at"]
    assert "referral" in str(event.detail) and "She" not in str(event.detail)
    response = client.post(url, {"reason": "again"}, follow=True)
    assert "already withdrawn" in response.content.decode()


def test_consent_expired_listed_apart(client, personas, case, hospital):
    _consent(
        case,
        personas.owner,
        recipient=hospital,
        given_at=timezone.now() - timedelta(days=30),
        expires_at=timezone.now() - timedelta(days=1),
    )
    page = sign_in(client, personas.owner).get(case_section(case, "person")).content.decode()
    assert "No active consent: nothing may be shared." in page
    assert "1 withdrawn or expired consent" in page
    assert "expired on" in page


def test_consent_active_recipient_and_section_rules(personas, case, hospital):
    clinic = OrganisationFactory(name="Legal Aid Clinic")
    summary = _consent(
        case,
        personas.owner,
        purpose=ConsentPurpose.CASE_SUMMARY,
        recipient=hospital,
        sections=["identity", "care_plan"],
    )
    services = _consent(case, personas.owner, purpose=ConsentPurpose.SERVICES)
    person = case.person
    assert consent_active(person=person, purpose="case_summary", recipient=hospital) == summary
    assert (
        consent_active(
            person=person, purpose="case_summary", recipient=hospital, section="care_plan"
        )
        == summary
    )
    assert (
        consent_active(person=person, purpose="case_summary", recipient=hospital, section="notes")
        is None
    )
    assert consent_active(person=person, purpose="case_summary", recipient=clinic) is None
    assert consent_active(person=person, purpose="services") == services
    assert consent_active(person=person, purpose="services", recipient=clinic) == services
    assert consent_active(person=person, purpose="statistics") is None


def test_consent_active_ignores_future_and_expired(personas, case):
    _consent(
        case,
        personas.owner,
        purpose=ConsentPurpose.SMS_CONTACT,
        given_at=timezone.now() + timedelta(days=2),
    )
    _consent(
        case,
        personas.owner,
        purpose=ConsentPurpose.SMS_CONTACT,
        given_at=timezone.now() - timedelta(days=20),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert consent_active(person=case.person, purpose="sms_contact") is None


def test_consent_of_other_persons_case_cannot_be_withdrawn_here(client, personas, case):
    other = owned_case(personas)
    consent = _consent(other, personas.owner)
    response = sign_in(client, personas.owner).post(
        _url(case, f"consent/{consent.public_id}/withdraw/"), {"reason": "wrong case"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_consent_part_same_query_count_for_1_and_many_consents(
    client, personas, case, hospital, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _consent(case, personas.owner, recipient=hospital)
    sign_in(client, personas.owner)
    client.get(case_section(case, "person"))
    with CaptureQueriesContext(connection) as one:
        client.get(case_section(case, "person"))
    for number in range(6):
        org = OrganisationFactory(name=f"Partner {number}")
        _consent(case, personas.owner, recipient=org)
    with django_assert_max_num_queries(len(one)):
        page = client.get(case_section(case, "person")).content.decode()
    assert "Partner 5" in page
