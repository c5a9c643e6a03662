"""Every clinical page: no inline code (strict CSP), and a 404 for everyone the policy leaves out."""

from datetime import date

import pytest

from tests.clinical.conftest import persona
from tests.core.test_csp import assert_no_inline_code
from tests.testapp.helpers import sign_in
from tumaini.clinical.models import HospitalReferral, MedicalCondition, TreatmentConsent

pytestmark = pytest.mark.django_db


@pytest.fixture
def medical(case, clinical):
    common = {"case": case, "organisation": case.organisation, "recorded_by": clinical.nurse}
    TreatmentConsent.objects.create(
        given_by="self", given_on=date(2026, 1, 5), scope="All", **common
    )
    return {
        "condition": MedicalCondition.objects.create(name="Asthma", **common),
        "referral": HospitalReferral.objects.create(
            hospital_other="Clinic",
            referred_on=date(2026, 1, 5),
            reason="r",
            urgency="routine",
            **common,
        ),
    }


def _counsellor_pages(note):
    return [
        "/staff/clinical/clients/",
        f"/staff/clinical/clients/{note.client.public_id}/",
        f"/staff/clinical/clients/{note.client.public_id}/notes/new/",
        f"/staff/clinical/notes/{note.public_id}/",
        f"/staff/clinical/notes/{note.public_id}/edit/",
    ]


def _nurse_pages(case, medical):
    base = f"/staff/clinical/medical/{case.public_id}/"
    return [
        "/staff/clinical/medical/",
        base,
        base + "consents/new/",
        base + "visits/new/",
        base + "conditions/new/",
        base + f"conditions/{medical['condition'].public_id}/edit/",
        base + "referrals/new/",
        base + f"referrals/{medical['referral'].public_id}/outcome/",
    ]


def test_clinical_pages_have_no_inline_code(client, clinical, case, note, medical):
    sign_in(client, clinical.counsellor)
    for path in _counsellor_pages(note):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_code(response.content.decode())
    client.logout()
    sign_in(client, clinical.nurse)
    for path in _nurse_pages(case, medical):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_code(response.content.decode())


@pytest.mark.parametrize(
    "who",
    [
        "owner",
        "teammate",
        "director",
        "outsider",
        "admin_user",
        "shelter",
        "partner",
        "analyst",
        "legal",
    ],
)
def test_every_clinical_page_is_404_for_everyone_else(
    client, personas, clinical, case, note, medical, who
):
    sign_in(client, persona(personas, clinical, who))
    for path in _counsellor_pages(note) + _nurse_pages(case, medical):
        response = client.get(path)
        assert response.status_code == 404, path
        page = response.content.decode()
        assert "TUM-26-CLIN-01" not in page and "Zawadi" not in page, path


def test_counsellor_and_nurse_do_not_reach_each_others_records(
    client, clinical, case, note, medical
):
    sign_in(client, clinical.counsellor)
    for path in _nurse_pages(case, medical):
        assert client.get(path).status_code == 404, path
    client.logout()
    sign_in(client, clinical.nurse)
    for path in _counsellor_pages(note):
        assert client.get(path).status_code == 404, path


def test_menu_shows_clinical_entries_to_their_roles_only(client, personas, clinical):
    page = sign_in(client, clinical.counsellor).get("/staff/").content.decode()
    assert 'href="/staff/clinical/clients/"' in page and "/staff/clinical/medical/" not in page
    client.logout()
    page = sign_in(client, clinical.nurse).get("/staff/").content.decode()
    assert 'href="/staff/clinical/medical/"' in page and "/staff/clinical/clients/" not in page
    client.logout()
    page = sign_in(client, personas.director).get("/staff/").content.decode()
    assert "/staff/clinical/" not in page


def test_every_clinical_page_read_is_audited(client, clinical, case, note, medical):
    from tumaini.core.enums import AuditAction
    from tumaini.core.models import AuditEvent

    for user, paths in (
        (clinical.counsellor, _counsellor_pages(note)),
        (clinical.nurse, _nurse_pages(case, medical)),
    ):
        sign_in(client, user)
        for path in paths:
            views = AuditEvent.objects.filter(actor_username=user.username, action=AuditAction.VIEW)
            before = views.count()
            client.get(path)
            assert views.count() == before + 1, path
        client.logout()
