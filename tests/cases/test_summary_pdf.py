"""The case summary PDF: only consented sections, a footer naming the printer, an audit event."""

import os
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cases.builders_scale import build_case, consent_summary
from tests.factories import OrganisationFactory, UserFactory
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.core.models import AuditEvent


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    # Collapse layout spacing and line breaks so sentences can be searched whole.
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def case(personas_with_mfa):
    personas_with_mfa.owner.first_name = "Peter"
    personas_with_mfa.owner.last_name = "Kamau"
    personas_with_mfa.owner.save()
    return build_case(owner=personas_with_mfa.owner, team=personas_with_mfa.team_a)


def summary_url(case, **query):
    url = reverse("cases:case_summary_pdf", args=[case.public_id])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_summary_pdf_contains_only_consented_sections(client, personas_with_mfa, case):
    consent_summary(case, sections=["identity", "screening"], recorded_by=personas_with_mfa.owner)
    sign_in(client, personas_with_mfa.owner)

    response = client.get(summary_url(case))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Identity" in text and "Wanjiru Kamau" in text
    assert "Screening decision" in text and "Victim of trafficking" in text
    assert "Passport withheld by the employer" in text
    assert "Recruitment, Transportation" in text and "Deception" in text
    # Not consented: intake narrative, profile, assessments, notes.
    assert "hotel work in Riyadh" not in text
    assert "Exploitation profile" not in text
    assert "Nightmares" not in text
    assert "Called the family" not in text


def test_summary_pdf_footer_names_the_printer_and_the_act(client, personas_with_mfa, case):
    consent_summary(
        case,
        sections=["intake", "profile", "assessments", "notes"],
        recorded_by=personas_with_mfa.owner,
    )
    sign_in(client, personas_with_mfa.owner)

    text = pdf_text(client.get(summary_url(case)).content)

    assert "Printed by Peter Kamau on " in text
    assert str(timezone.localdate().year) in text.split("Printed by Peter Kamau on ")[1][:30]
    assert f"case {case.case_number}; confidential" in text
    assert "Counter-Trafficking in Persons Act 2010 s11" in text
    assert "hotel work in Riyadh" in text
    assert "Saudi Arabia" in text and "Withholds documents" in text
    assert "Nightmares since return" in text and "High" in text
    assert "Called the family in Kisumu" in text
    assert "Wanjiru" not in text


def test_summary_print_writes_audit_event_with_section_codes(client, personas_with_mfa, case):
    consent_summary(case, sections=["care_plan", "identity"], recorded_by=personas_with_mfa.owner)
    sign_in(client, personas_with_mfa.owner)

    client.get(summary_url(case))

    event = AuditEvent.objects.get(action="print", object_id=str(case.public_id))
    assert event.actor == personas_with_mfa.owner
    assert event.object_type == "cases.case"
    assert event.detail["sections"] == ["identity", "care_plan"]


def test_summary_without_consent_explains_and_gives_no_pdf(client, personas_with_mfa, case):
    sign_in(client, personas_with_mfa.owner)

    response = client.get(summary_url(case))

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "A case summary can only be printed with the survivor" in body
    assert f"/staff/cases/{case.public_id}/?section=person#part-consent" in body
    assert not AuditEvent.objects.filter(action="print").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"withdrawn_at": timezone.now() - timedelta(hours=1)},
        {"expires_at": timezone.now() - timedelta(hours=1)},
        {"purpose": "referral"},
        {"sections": []},
    ],
    ids=["withdrawn", "expired", "other-purpose", "no-sections"],
)
def test_summary_with_inactive_or_empty_consent_gives_no_pdf(
    client, personas_with_mfa, case, change
):
    fields = {"sections": ["identity"], **change}
    sections = fields.pop("sections")
    consent = consent_summary(case, sections=sections, recorded_by=personas_with_mfa.owner)
    for name, value in fields.items():
        setattr(consent, name, value)
    consent.save()
    sign_in(client, personas_with_mfa.owner)

    response = client.get(summary_url(case))

    assert response.status_code == 409
    assert not response.content.startswith(b"%PDF")


def test_summary_recipient_limits_to_that_recipients_consents(client, personas_with_mfa, case):
    court = OrganisationFactory(name="Milimani Law Courts")
    embassy = OrganisationFactory(name="Embassy")
    consent_summary(
        case, sections=["identity"], recorded_by=personas_with_mfa.owner, recipient=court
    )
    consent_summary(
        case, sections=["notes"], recorded_by=personas_with_mfa.owner, recipient=embassy
    )
    sign_in(client, personas_with_mfa.owner)

    text = pdf_text(client.get(summary_url(case, recipient=court.public_id)).content)
    assert "Wanjiru Kamau" in text and "Milimani Law Courts" in text
    assert "Called the family" not in text

    other = OrganisationFactory(name="Nobody")
    response = client.get(summary_url(case, recipient=other.public_id))
    assert response.status_code == 409
    assert "names this recipient" in response.content.decode()
    assert client.get(summary_url(case, recipient="not-a-uuid")).status_code == 409


def test_case_page_offers_the_summary_when_consented(client, personas_with_mfa, case):
    sign_in(client, personas_with_mfa.owner)
    page = client.get(case_section(case, "file")).content.decode()
    assert "No active consent allows a case summary" in page

    consent_summary(case, sections=["identity", "notes"], recorded_by=personas_with_mfa.owner)
    page = client.get(case_section(case, "file")).content.decode()
    assert "Identity, Case notes" in page
    assert summary_url(case) in page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("outsider", 404),
        ("admin_user", 404),
        ("counsellor", 404),
        ("shelter_manager", 404),
        ("analyst", 404),
    ],
)
def test_summary_access_matrix(client, personas_with_mfa, case, persona, expected):
    consent_summary(case, sections=["identity"], recorded_by=personas_with_mfa.owner)
    roles = {
        "counsellor": Role.COUNSELLOR,
        "shelter_manager": Role.SHELTER_MANAGER,
        "analyst": Role.COUNTY_ANALYST,
    }
    if persona in roles:
        user = UserFactory(
            organisation=personas_with_mfa.org_a,
            roles=[roles[persona]],
            teams=[personas_with_mfa.team_a],
        )
    else:
        user = getattr(personas_with_mfa, persona)
    sign_in(client, user)

    response = client.get(summary_url(case))

    assert response.status_code == expected
    if expected == 200:
        assert response.content.startswith(b"%PDF")
    else:
        assert not AuditEvent.objects.filter(action="print").exists()


def test_summary_anonymous_is_sent_to_sign_in(client, personas_with_mfa, case):
    response = client.get(summary_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
