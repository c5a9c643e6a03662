"""The demo caseload written by seed_demo: consistent rows, every stage, idempotent, deterministic."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tumaini.accounts.models import User
from tumaini.cases.demo import DEMO_CASE_COUNT, demo_case_numbers
from tumaini.cases.enums import CarePlanStatus, CaseStage, ConsentPurpose
from tumaini.cases.models import (
    ApprovalRequest,
    CarePlan,
    Case,
    CaseNote,
    Consent,
    RiskAssessment,
    Screening,
    TraffickingEvent,
)
from tumaini.core import crypto
from tumaini.core import demo as core_demo
from tumaini.people.models import PersonNameToken

CASE_NUMBER = re.compile(
    r"^TUM-\d{2}-[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{2}$"
)


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    return settings


def seed():
    call_command("seed_demo", stdout=StringIO())


def snapshot():
    return sorted(
        (
            case.case_number,
            case.stage,
            case.person.full_name,
            case.person.gender,
            case.organisation.name,
            case.risk_level,
            str(case.next_action_due),
        )
        for case in Case.objects.select_related("person", "organisation")
    )


@pytest.mark.django_db
def test_demo_caseload_covers_every_stage_and_kind_of_survivor(demo_mode):
    seed()

    cases = list(Case.objects.select_related("person", "organisation"))
    assert len(cases) == DEMO_CASE_COUNT
    assert all(CASE_NUMBER.match(case.case_number) for case in cases)
    assert {case.stage for case in cases} == set(CaseStage.values)
    organisations = Counter(case.organisation.name for case in cases)
    assert organisations[core_demo.CENTRE] > organisations[core_demo.PARTNER_NGO] > 0
    assert {case.person.is_child for case in cases} == {True, False}
    assert {case.person.gender for case in cases} == {"Feminine", "Masculine"}
    exploitation_countries = set(
        TraffickingEvent.objects.filter(type="Exploitation").values_list("country_id", flat=True)
    )
    assert "KE" in exploitation_countries and exploitation_countries & {"SA", "OM", "QA", "LB"}
    assert set(TraffickingEvent.objects.values_list("country_id", flat=True)) & {"UG", "TZ", "SS"}
    assert Screening.objects.exclude(decision="pending").exists()
    assert Consent.objects.filter(purpose=ConsentPurpose.CASE_SUMMARY).exists()
    pending = ApprovalRequest.objects.filter(status="pending", kind="care_plan")
    assert pending.exists()
    assert all(a.care_plan.status == CarePlanStatus.PENDING_APPROVAL for a in pending)
    today = timezone.localdate()
    assert CaseNote.objects.filter(follow_up_on__lt=today, follow_up_done_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_caseload_rows_are_consistent(demo_mode):
    seed()
    today = timezone.localdate()

    for case in Case.objects.select_related("person"):
        person = case.person
        assert person.full_name_index == crypto.blind_index(
            person.full_name, purpose="person-full-name"
        )
        tokens = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
        assert set(crypto.phonetic_tokens(person.family_name, purpose="person-name")) <= tokens
        assert (person.organisation_id, person.team_id, person.assigned_to_id) == (
            case.organisation_id,
            case.team_id,
            case.assigned_to_id,
        )
        age = person.age_on(today)
        assert person.is_child == (age < 18)
        if person.is_child:
            assert case.child_protection_officer is not None
        latest_risk = RiskAssessment.objects.filter(case=case).first()
        assert case.risk_level == (latest_risk.overall if latest_risk else "")
        open_follow_ups = CaseNote.objects.filter(
            case=case, follow_up_on__isnull=False, follow_up_done_at__isnull=True
        ).values_list("follow_up_on", flat=True)
        assert case.next_action_due == (min(open_follow_ups) if open_follow_ups else None)
        if case.stage in (CaseStage.ASSISTANCE, CaseStage.FOLLOW_UP):
            assert CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED).exists()
        if case.stage == CaseStage.CLOSED:
            assert case.closed_at and case.closure_reason


@pytest.mark.django_db
def test_demo_caseload_second_run_creates_nothing(demo_mode):
    seed()
    before = snapshot()
    counts = (Case.objects.count(), CaseNote.objects.count(), Consent.objects.count())

    seed()

    assert snapshot() == before
    assert (Case.objects.count(), CaseNote.objects.count(), Consent.objects.count()) == counts


@pytest.mark.django_db
def test_demo_caseload_is_the_same_every_time(demo_mode):
    seed()
    first = snapshot()
    # Deleting one case and seeding again brings back exactly that case.
    Case.objects.filter(case_number=demo_case_numbers()[7]).delete()
    seed()
    assert snapshot() == first


@pytest.mark.django_db
def test_demo_caseload_shows_in_the_demo_case_managers_page(client, demo_mode):
    seed()
    caseworker = User.objects.get(username="caseworker")
    client.force_login(caseworker)
    case = Case.objects.filter(assigned_to=caseworker).select_related("person").first()

    response = client.get(reverse("cases:case_detail", args=[case.public_id]))

    assert response.status_code == 200
    assert case.case_number in response.content.decode()
