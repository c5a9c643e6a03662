"""Personas of the clinical tests: besides the shared ones (owner = case manager, teammate,
director, outsider, admin_user), the counsellors and medical officers of organisation A, a medical
officer of organisation B and the unrelated roles that must see nothing."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.factories import UserFactory
from tumaini.accounts.enums import Role
from tumaini.clinical.models import CounsellingClient, SessionNote

NOTE_TEXT = "Client spoke about the night on the boat and the nightmares since."


@pytest.fixture
def clinical(personas):
    org_a, org_b = personas.org_a, personas.org_b

    def user(username, role, organisation=org_a, teams=()):
        return UserFactory(
            username=username, organisation=organisation, roles=[role], teams=list(teams)
        )

    return SimpleNamespace(
        counsellor=user("counsellor", Role.COUNSELLOR, teams=[personas.team_a]),
        counsellor2=user("counsellor2", Role.COUNSELLOR),
        nurse=user("nurse", Role.MEDICAL_OFFICER, teams=[personas.team_a]),
        nurse_b=user("nurse_b", Role.MEDICAL_OFFICER, organisation=org_b),
        counsellor_b=user("counsellor_b", Role.COUNSELLOR, organisation=org_b),
        shelter=user("shelter", Role.SHELTER_MANAGER),
        partner=user("partner", Role.PARTNER_USER),
        analyst=user("analyst", Role.COUNTY_ANALYST),
        legal=user("legal", Role.LEGAL_OFFICER),
    )


@pytest.fixture
def case(personas):
    return owned_case(
        personas, given_name="Zawadi", family_name="Atieno", case_number="TUM-26-CLIN-01"
    )


@pytest.fixture
def child_case(personas):
    return owned_case(
        personas, given_name="Baraka", family_name="Ouma", child=True, case_number="TUM-26-CLIN-02"
    )


def give_client(*, case, counsellor, assigned_by):
    return CounsellingClient.objects.create(
        case=case, organisation=case.organisation, counsellor=counsellor, assigned_by=assigned_by
    )


def write_note(*, client, body=NOTE_TEXT, held_on=None, **extra):
    return SessionNote.objects.create(
        client=client,
        case=client.case,
        organisation=client.organisation,
        author=client.counsellor,
        held_on=held_on or date.today() - timedelta(days=2),
        duration_minutes=50,
        modality="individual",
        themes=["trauma", "sleep"],
        body=body,
        next_session_on=extra.pop("next_session_on", timezone.localdate() + timedelta(days=5)),
        **extra,
    )


@pytest.fixture
def client_of_counsellor(case, clinical, personas):
    return give_client(case=case, counsellor=clinical.counsellor, assigned_by=personas.owner)


@pytest.fixture
def note(client_of_counsellor):
    return write_note(client=client_of_counsellor)


def persona(personas, clinical, name):
    return getattr(clinical, name, None) or getattr(personas, name)
