"""Demo counselling and medical records: written by seed_demo, idempotent, visible to the demo
counsellor and nurse only."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.models import User
from tumaini.clinical.models import (
    CounsellingClient,
    HospitalReferral,
    MedicalCondition,
    MedicalVisit,
    SessionNote,
    TreatmentConsent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("seed_demo", stdout=StringIO())


def _counts():
    return [
        model.objects.count()
        for model in (
            CounsellingClient,
            SessionNote,
            TreatmentConsent,
            MedicalVisit,
            MedicalCondition,
            HospitalReferral,
        )
    ]


def test_demo_clinical_records_for_counsellor_and_nurse(seeded):
    counsellor = User.objects.get(username="counsellor")
    clients = CounsellingClient.objects.filter(counsellor=counsellor)
    assert 3 <= clients.count() <= 4
    assert SessionNote.objects.filter(author=counsellor).count() >= 5
    assert any(c.case.person.is_child for c in clients)
    assert HospitalReferral.objects.filter(
        hospital__name__contains="Mji Mwema", outcome=""
    ).exists()
    assert MedicalCondition.objects.exists()
    assert TreatmentConsent.objects.filter(given_by="guardian").exists()
    assert TreatmentConsent.objects.filter(given_by="self").exists()


def test_demo_clinical_seed_is_idempotent(seeded):
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_demo_counsellor_and_nurse_pages(client, seeded):
    counsellor = User.objects.get(username="counsellor")
    page = sign_in(client, counsellor).get("/staff/clinical/clients/").content.decode()
    for client_row in CounsellingClient.objects.filter(counsellor=counsellor):
        assert client_row.case.case_number in page
    assert "Next counselling sessions" in client.get("/staff/").content.decode()
    client.logout()
    nurse = User.objects.get(username="nurse")
    page = sign_in(client, nurse).get("/staff/clinical/medical/").content.decode()
    assert "Open referral" in page
    client.logout()
    caseworker = User.objects.get(username="caseworker")
    note = SessionNote.objects.first()
    sign_in(client, caseworker)
    assert client.get(note.get_absolute_url()).status_code == 404
    case_page = client.get(case_section(note.case, "care")).content.decode()
    assert "counselling session" in case_page
    assert note.body not in case_page
