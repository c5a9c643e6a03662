"""Session notes and medical records never reach the case summary PDF, whatever the consent lists."""

from datetime import date

import pytest
from django.urls import reverse

from tests.cases.builders_scale import build_case, consent_summary
from tests.cases.test_summary_pdf import pdf_text
from tests.clinical.conftest import give_client, write_note
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.models import CaseNote
from tumaini.cases.services.summary import SECTION_CODES
from tumaini.clinical.models import HospitalReferral, MedicalCondition, MedicalVisit

pytestmark = pytest.mark.django_db

SESSION_TEXT = "She described the recruiter's threats against her younger brother."
FINDINGS = "Old burn scars on both forearms."
REFERRAL = "Psychiatric assessment at the referral hospital."


def test_summary_pdf_never_contains_clinical_records_even_with_every_section(
    client, personas_with_mfa
):
    owner = personas_with_mfa.owner
    case = build_case(owner=owner, team=personas_with_mfa.team_a)
    counsellor = UserFactory(organisation=owner.organisation, roles=[Role.COUNSELLOR])
    nurse = UserFactory(organisation=owner.organisation, roles=[Role.MEDICAL_OFFICER])
    write_note(
        client=give_client(case=case, counsellor=counsellor, assigned_by=owner),
        body=SESSION_TEXT,
        held_on=date(2026, 3, 2),
    )
    common = {"case": case, "organisation": case.organisation, "recorded_by": nurse}
    MedicalVisit.objects.create(
        seen_on=date(2026, 3, 3), reason="Burns", findings=FINDINGS, **common
    )
    MedicalCondition.objects.create(name="Post-traumatic stress disorder", **common)
    HospitalReferral.objects.create(
        hospital_other="Mathari Hospital",
        referred_on=date(2026, 3, 3),
        reason=REFERRAL,
        urgency="routine",
        **common,
    )
    CaseNote.objects.create(case=case, author=owner, kind="general", body="Case note in the file.")
    consent_summary(case, sections=list(SECTION_CODES), recorded_by=owner)

    response = sign_in(client, owner).get(reverse("cases:case_summary_pdf", args=[case.public_id]))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Case note in the file." in text  # every section was printed, notes included
    for secret in (SESSION_TEXT, FINDINGS, REFERRAL, "Post-traumatic", "Mathari", "Burns"):
        assert secret not in text
