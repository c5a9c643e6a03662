"""Small builders for the summary, demo and scale tests: rows written with the models directly."""

from datetime import date, timedelta

from django.utils import timezone

from tumaini.cases.enums import (
    ConsentGiver,
    ConsentPurpose,
    IntakeSource,
    TraffickingDecision,
    TraffickingEventType,
)
from tumaini.cases.models import (
    Case,
    CaseNote,
    Consent,
    ExploitationProfile,
    Intake,
    RiskAssessment,
    Screening,
    ScreeningQuestionSet,
    TraffickingEvent,
)
from tumaini.core import crypto
from tumaini.core.models import Country
from tumaini.people.models import Person


def build_case(*, owner, team, number="TUM-26-KQXM-7A", given="Wanjiru", family="Kamau"):
    organisation = owner.organisation
    person = Person.objects.create(
        organisation=organisation,
        team=team,
        assigned_to=owner,
        given_name=given,
        family_name=family,
        full_name_index=crypto.blind_index(f"{given} {family}", purpose="person-full-name"),
        gender="Feminine",
        date_of_birth=date(1998, 4, 2),
    )
    case = Case.objects.create(
        organisation=organisation,
        team=team,
        assigned_to=owner,
        person=person,
        case_number=number,
        opened_at=timezone.now() - timedelta(days=30),
    )
    Intake.objects.create(
        case=case,
        source=IntakeSource.POLICE,
        intake_date=date.today() - timedelta(days=30),
        narrative="Recruited in Kisumu with a promise of hotel work in Riyadh.",
        recorded_by=owner,
    )
    question_set = ScreeningQuestionSet.objects.create(
        code="test-set", version=1, title_en="Test", title_sw="Jaribio"
    )
    Screening.objects.create(
        case=case,
        question_set=question_set,
        conducted_by=owner,
        conducted_on=date.today() - timedelta(days=25),
        decision=TraffickingDecision.ACTUAL,
        decided_by=owner,
        decided_on=date.today() - timedelta(days=24),
        justification="Passport withheld by the employer; wages never paid.",
        acts=["recruitment", "transportation"],
        means=["deception"],
        purposes=["Servitude"],
    )
    ExploitationProfile.objects.create(
        case=case, exploitation_types=["Servitude"], means_of_control=["WithholdsDocuments"]
    )
    saudi, _ = Country.objects.get_or_create(code="SA", defaults={"name": "Saudi Arabia"})
    TraffickingEvent.objects.create(
        case=case, type=TraffickingEventType.EXPLOITATION, country=saudi, place_details="Riyadh"
    )
    RiskAssessment.objects.create(
        case=case,
        assessed_on=date.today() - timedelta(days=20),
        assessed_by=owner,
        physical="low",
        psychological="high",
        health="medium",
        security="low",
        psychological_notes="Nightmares since return.",
    )
    CaseNote.objects.create(case=case, body="Called the family in Kisumu.", author=owner)
    return case


def consent_summary(case, *, sections, recorded_by, recipient=None, **extra):
    return Consent.objects.create(
        person=case.person,
        case=case,
        purpose=ConsentPurpose.CASE_SUMMARY,
        recipient=recipient,
        sections=sections,
        given_by=ConsentGiver.SELF,
        given_at=timezone.now() - timedelta(days=1),
        recorded_by=recorded_by,
        **extra,
    )
