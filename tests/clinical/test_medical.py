"""Medical records: the organisation's medical officers read and write them; the case page shows the
case's staff only the dates of visits and an open hospital referral, never why."""

from datetime import date, timedelta

import pytest

from tests.clinical.conftest import persona
from tests.factories import OrganisationFactory
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import OrganisationType
from tumaini.cases.enums import ConsentGiver
from tumaini.clinical.models import (
    HospitalReferral,
    MedicalCondition,
    MedicalVisit,
    TreatmentConsent,
)
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

FINDINGS = "Healed fracture of the left wrist; bruising on the back."
TREATMENT = "Paracetamol 500 mg; wrist splint."
REFERRAL_REASON = "X-ray of the left wrist and orthopaedic review."
CONDITION = "Latent tuberculosis"


def _record_url(case, suffix=""):
    return f"/staff/clinical/medical/{case.public_id}/{suffix}"


@pytest.fixture
def hospital(db):
    return OrganisationFactory(name="Mji Mwema Hospital", type=OrganisationType.HEALTH_SERVICE)


def _consent(case, nurse, **extra):
    extra.setdefault("given_by", ConsentGiver.SELF)
    return TreatmentConsent.objects.create(
        case=case,
        organisation=case.organisation,
        given_on=date.today() - timedelta(days=3),
        scope="Examination and treatment of injuries",
        recorded_by=nurse,
        **extra,
    )


@pytest.fixture
def record(case, clinical, hospital):
    nurse = clinical.nurse
    consent = _consent(case, nurse)
    common = {"case": case, "organisation": case.organisation, "recorded_by": nurse}
    MedicalVisit.objects.create(
        seen_on=date(2026, 4, 7),
        reason="Pain in the wrist",
        findings=FINDINGS,
        treatment=TREATMENT,
        consent=consent,
        **common,
    )
    MedicalCondition.objects.create(name=CONDITION, since=date(2026, 4, 7), **common)
    HospitalReferral.objects.create(
        hospital=hospital,
        referred_on=date(2026, 4, 7),
        reason=REFERRAL_REASON,
        urgency="urgent",
        **common,
    )
    return case


MEDICAL_READERS = [
    ("nurse", 200),
    ("nurse_b", 404),
    ("owner", 404),
    ("teammate", 404),
    ("director", 404),
    ("outsider", 404),
    ("admin_user", 404),
    ("counsellor", 404),
    ("shelter", 404),
    ("partner", 404),
    ("analyst", 404),
    ("legal", 404),
]


@pytest.mark.parametrize(("who", "status"), MEDICAL_READERS)
def test_medical_record_access_matrix(client, personas, clinical, record, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get(_record_url(record))
    page = response.content.decode()
    assert response.status_code == status
    for secret in (FINDINGS, TREATMENT, REFERRAL_REASON, CONDITION):
        assert (secret in page) == (status == 200)


@pytest.mark.parametrize(
    ("who", "status"), [("nurse_b", 200), *MEDICAL_READERS[2:], MEDICAL_READERS[0]]
)
def test_patient_list_access_matrix(client, personas, clinical, record, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get("/staff/clinical/medical/")
    page = response.content.decode()
    assert response.status_code == status
    # Another organisation's medical officer has their own (empty) list.
    assert ("TUM-26-CLIN-01" in page) == (who == "nurse")
    assert FINDINGS not in page


@pytest.mark.parametrize(
    "suffix", ["consents/new/", "visits/new/", "conditions/new/", "referrals/new/"]
)
@pytest.mark.parametrize(("who", "status"), MEDICAL_READERS)
def test_medical_forms_access_matrix(client, personas, clinical, record, suffix, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get(_record_url(record, suffix))
    assert response.status_code == status
    assert ("TUM-26-CLIN-01" in response.content.decode()) == (status == 200)


@pytest.mark.parametrize(("who", "status"), MEDICAL_READERS)
def test_medical_item_pages_access_matrix(client, personas, clinical, record, who, status):
    condition = MedicalCondition.objects.get()
    referral = HospitalReferral.objects.get()
    sign_in(client, persona(personas, clinical, who))
    for suffix, secret in (
        (f"conditions/{condition.public_id}/edit/", CONDITION),
        (f"referrals/{referral.public_id}/outcome/", "TUM-26-CLIN-01"),
    ):
        response = client.get(_record_url(record, suffix))
        assert response.status_code == status
        assert (secret in response.content.decode()) == (status == 200)


@pytest.mark.parametrize("who", ["nurse_b", "owner", "director", "counsellor", "admin_user"])
def test_medical_writes_refused_to_others(client, personas, clinical, case, who):
    sign_in(client, persona(personas, clinical, who))
    response = client.post(
        _record_url(case, "visits/new/"),
        {"seen_on": date.today().isoformat(), "reason": "Headache"},
    )
    assert response.status_code == 404
    assert not MedicalVisit.objects.exists()


def test_medical_record_view_is_audited(client, clinical, record):
    sign_in(client, clinical.nurse).get(_record_url(record))
    event = AuditEvent.objects.get(actor_username="nurse", object_id=str(record.public_id))
    assert event.action == AuditAction.VIEW
    assert event.detail == {"record": "medical"}


@pytest.mark.parametrize("count", [1, 3])
def test_patient_list_query_count_does_not_grow(
    client, personas, clinical, django_assert_num_queries, count
):
    from tests.cases.builders_casefile import owned_case

    for index in range(count):
        case = owned_case(personas, case_number=f"TUM-26-MDQ{index}-AA")
        MedicalVisit.objects.create(
            case=case,
            organisation=case.organisation,
            seen_on=date(2026, 5, 1 + index),
            reason="Check-up",
            recorded_by=clinical.nurse,
        )
    sign_in(client, clinical.nurse)
    client.get("/staff/clinical/medical/")
    with django_assert_num_queries(_PATIENT_LIST_QUERIES):
        client.get("/staff/clinical/medical/")


_PATIENT_LIST_QUERIES = 15


@pytest.mark.parametrize("count", [1, 3])
def test_medical_record_query_count_does_not_grow(
    client, clinical, case, hospital, django_assert_num_queries, count
):
    consent = _consent(case, clinical.nurse)
    common = {"case": case, "organisation": case.organisation, "recorded_by": clinical.nurse}
    for index in range(count):
        MedicalVisit.objects.create(
            seen_on=date(2026, 5, 1 + index), reason="x", treatment="y", consent=consent, **common
        )
        MedicalCondition.objects.create(name=f"c{index}", **common)
        HospitalReferral.objects.create(
            hospital=hospital, referred_on=date(2026, 5, 1), reason="r", urgency="routine", **common
        )
    sign_in(client, clinical.nurse)
    client.get(_record_url(case))
    with django_assert_num_queries(_RECORD_QUERIES):
        client.get(_record_url(case))


_RECORD_QUERIES = 21


# --- The case page --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "director"])
def test_case_page_shows_only_dates_and_open_referral(client, personas, clinical, record, who):
    page = sign_in(client, persona(personas, clinical, who)).get(case_section(record, "care"))
    page = page.content.decode()
    assert "Seen by the medical team on" in page
    assert "2026-04-07" in page
    assert "Open referral to hospital" in page
    for secret in (FINDINGS, TREATMENT, REFERRAL_REASON, CONDITION, "Pain in the wrist"):
        assert secret not in page


def test_case_page_no_open_referral_flag_once_outcome_known(client, personas, record):
    HospitalReferral.objects.update(outcome="attended", outcome_on=date(2026, 4, 9))
    page = sign_in(client, personas.owner).get(case_section(record, "care")).content.decode()
    assert "Open referral to hospital" not in page


# --- Writing --------------------------------------------------------------------------------------


def test_visit_record_encrypts_findings_and_audits_field_names(client, clinical, case):
    from django.db import connection

    _consent(case, clinical.nurse)
    sign_in(client, clinical.nurse)
    response = client.post(
        _record_url(case, "visits/new/"),
        {
            "seen_on": date.today().isoformat(),
            "reason": "Follow-up",
            "findings": FINDINGS,
            "treatment": TREATMENT,
        },
    )
    assert response.status_code == 302
    visit = MedicalVisit.objects.get()
    assert visit.consent is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings, treatment FROM clinical_medicalvisit")
        raw = " ".join(cursor.fetchone())
    assert "fracture" not in raw and "Paracetamol" not in raw
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(visit.public_id))
    assert "findings" in event.fields_changed
    assert "fracture" not in str(event.detail)


def test_visit_treatment_for_child_needs_guardian_consent(client, clinical, child_case):
    _consent(child_case, clinical.nurse)  # by the child: does not count
    sign_in(client, clinical.nurse)
    data = {"seen_on": date.today().isoformat(), "reason": "Fever", "treatment": TREATMENT}
    response = client.post(_record_url(child_case, "visits/new/"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "record a parent&#x27;s or guardian&#x27;s consent to treatment" in page
    assert "Fever" in page  # nothing typed is lost
    assert not MedicalVisit.objects.exists()
    _consent(
        child_case,
        clinical.nurse,
        given_by=ConsentGiver.GUARDIAN,
        guardian_name="Mary Ouma",
        guardian_relationship="mother",
    )
    response = client.post(_record_url(child_case, "visits/new/"), data)
    assert response.status_code == 302
    assert MedicalVisit.objects.get().consent.given_by == ConsentGiver.GUARDIAN


def test_visit_without_treatment_needs_no_consent(client, clinical, child_case):
    sign_in(client, clinical.nurse)
    response = client.post(
        _record_url(child_case, "visits/new/"),
        {"seen_on": date.today().isoformat(), "reason": "Weight check", "findings": "32 kg"},
    )
    assert response.status_code == 302
    assert MedicalVisit.objects.get().consent is None


def test_visit_treatment_after_consent_withdrawn_refused(client, clinical, case):
    consent = _consent(case, clinical.nurse)
    sign_in(client, clinical.nurse)
    client.post(_record_url(case, f"consents/{consent.public_id}/withdraw/"))
    consent.refresh_from_db()
    assert consent.withdrawn_on == date.today()
    response = client.post(
        _record_url(case, "visits/new/"),
        {"seen_on": date.today().isoformat(), "reason": "Pain", "treatment": TREATMENT},
    )
    assert response.status_code == 400
    assert "consent to treatment before recording a treatment" in response.content.decode()


def test_visit_treatment_without_consent_refused_by_database(clinical, case):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MedicalVisit.objects.create(
            case=case,
            organisation=case.organisation,
            seen_on=date.today(),
            reason="x",
            treatment="given without consent",
            recorded_by=clinical.nurse,
        )


def test_consent_for_child_must_be_given_by_guardian(client, clinical, child_case):
    sign_in(client, clinical.nurse)
    response = client.post(
        _record_url(child_case, "consents/new/"),
        {"given_by": "self", "given_on": date.today().isoformat(), "scope": "Examination"},
    )
    assert response.status_code == 400
    assert "A child&#x27;s consent to treatment is given by a parent or guardian." in (
        response.content.decode()
    )
    response = client.post(
        _record_url(child_case, "consents/new/"),
        {"given_by": "guardian", "given_on": date.today().isoformat(), "scope": "Examination"},
    )
    assert response.status_code == 400
    assert "Give the name of the parent or guardian." in response.content.decode()
    assert not TreatmentConsent.objects.exists()


def test_referral_to_hospital_of_the_list_or_free_text(client, clinical, case, hospital):
    sign_in(client, clinical.nurse)
    base = {"referred_on": date.today().isoformat(), "urgency": "urgent", "reason": REFERRAL_REASON}
    response = client.post(_record_url(case, "referrals/new/"), base)
    assert response.status_code == 400
    assert "Choose the hospital, or write its name" in response.content.decode()
    assert client.post(_record_url(case, "referrals/new/"), {**base, "hospital": hospital.pk})[
        "Location"
    ] == _record_url(case)
    client.post(_record_url(case, "referrals/new/"), {**base, "hospital_other": "Kenyatta NH"})
    names = sorted(str(r.hospital or r.hospital_other) for r in HospitalReferral.objects.all())
    assert names == ["Kenyatta NH", "Mji Mwema Hospital"]


def test_referral_to_an_organisation_that_is_not_a_hospital_refused(client, clinical, case):
    ngo = OrganisationFactory(name="Some NGO", type=OrganisationType.NGO)
    sign_in(client, clinical.nurse)
    response = client.post(
        _record_url(case, "referrals/new/"),
        {
            "referred_on": date.today().isoformat(),
            "urgency": "routine",
            "reason": "x",
            "hospital": ngo.pk,
        },
    )
    assert response.status_code == 400
    assert not HospitalReferral.objects.exists()


def test_referral_outcome_closes_it_and_stale_edit_refused(client, clinical, record):
    referral = HospitalReferral.objects.get()
    sign_in(client, clinical.nurse)
    url = _record_url(record, f"referrals/{referral.public_id}/outcome/")
    assert "Open referrals to hospital" in client.get("/staff/").content.decode()
    response = client.post(url, {"outcome": "admitted", "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "admitted" and referral.outcome_on == date.today()
    response = client.post(
        url, {"outcome": "attended", "outcome_notes": "late", "version": referral.version - 1}
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == "admitted"


def test_condition_edit_resolves_with_optimistic_lock(client, clinical, record):
    condition = MedicalCondition.objects.get()
    sign_in(client, clinical.nurse)
    url = _record_url(record, f"conditions/{condition.public_id}/edit/")
    response = client.post(
        url, {"name": CONDITION, "status": "resolved", "version": condition.version}
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.status == "resolved" and condition.version == 2
    response = client.post(url, {"name": CONDITION, "status": "active", "version": 1})
    assert response.status_code == 409
    condition.refresh_from_db()
    assert condition.status == "resolved"


def test_open_case_by_number_only_in_own_organisation(client, personas, clinical, case):
    from tests.cases.builders_casefile import make_case

    other = make_case(organisation=personas.org_b, case_number="TUM-26-OTHR-99")
    sign_in(client, clinical.nurse)
    response = client.post("/staff/clinical/medical/", {"case_number": "tum-26-clin-01"})
    assert response["Location"] == _record_url(case)
    response = client.post("/staff/clinical/medical/", {"case_number": other.case_number})
    assert response.status_code == 400
    assert "No case with this number in your organisation." in response.content.decode()


def test_home_panel_open_referrals_for_nurse_only(client, personas, clinical, record):
    page = sign_in(client, clinical.nurse).get("/staff/").content.decode()
    assert "Open referrals to hospital" in page and "Mji Mwema Hospital" in page
    assert REFERRAL_REASON not in page
    client.logout()
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Open referrals to hospital" not in page
