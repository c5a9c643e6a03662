"""Care fixtures built straight with the models: a case with a care plan, catalogue entries, the
care-team staff of organisation A. Writes under test go through the pages."""

from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.utils import timezone

from tests.cases.builders_workflow import add_assessments, screened_case
from tests.factories import OrganisationFactory, UserFactory
from tumaini.accounts.enums import Role
from tumaini.care.enums import AppointmentStatus, DeliveryOutcome, ServiceType
from tumaini.care.models import Appointment, ServiceDelivery, ServiceOffering
from tumaini.cases.enums import CarePlanStatus, CaseStage, NeedType, SupportPlanType
from tumaini.cases.models import CarePlan, CarePlanGoal


def care_staff(personas):
    """Organisation A's counsellor, nurse and legal officer, and roles that get nothing."""
    org = personas.org_a
    hospital = OrganisationFactory(name="Partner Hospital")

    def user(username, role, organisation=org):
        return UserFactory(username=username, organisation=organisation, roles=[role])

    return SimpleNamespace(
        counsellor=user("counsellor_a", Role.COUNSELLOR),
        nurse=user("nurse_a", Role.MEDICAL_OFFICER),
        legal=user("legal_a", Role.LEGAL_OFFICER),
        shelter=user("shelter_a", Role.SHELTER_MANAGER),
        analyst=user("analyst_a", Role.COUNTY_ANALYST),
        partner=user("partner_h", Role.PARTNER_USER, hospital),
        hospital=hospital,
    )


def planned_case(personas, *, goal_owner=None, stage=CaseStage.ASSISTANCE, identified=None):
    """A case of `owner` at `stage` with assessments and an approved plan: one goal for
    accommodation (owned by `goal_owner`, default the case manager)."""
    case = screened_case(personas, stage=stage)
    add_assessments(
        case, by=personas.owner, identified=identified or (NeedType.ACCOMMODATION, NeedType.HEALTH)
    )
    plan = CarePlan.objects.create(
        case=case,
        needs_assessment=case.needs_assessments.first(),
        created_by=personas.owner,
        status=CarePlanStatus.APPROVED,
    )
    goal = CarePlanGoal.objects.create(
        plan=plan,
        goal="A safe place to live",
        support_type=SupportPlanType.SOCIAL_CARE,
        need_type=NeedType.ACCOMMODATION,
        owner=goal_owner or personas.owner,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    case.goal = goal
    return case


def offering(personas, *, service_type=ServiceType.SHELTER, name="Safe house", provider=None):
    return ServiceOffering.objects.create(
        organisation=personas.org_a,
        provider=provider or personas.org_a,
        service_type=service_type,
        name=name,
    )


def delivery(case, *, by, offering_, days_ago=0, outcome=DeliveryOutcome.COMPLETED, goal=None):
    return ServiceDelivery.objects.create(
        case=case,
        organisation=case.organisation,
        offering=offering_,
        service_type=offering_.service_type,
        goal=goal,
        delivered_on=timezone.localdate() - timedelta(days=days_ago),
        delivered_by=by,
        outcome=outcome,
        outcome_notes="Settled in well",
        cost_kes=1500,
        recorded_by=by,
    )


def at_local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def appointment(case, *, staff, starts_at=None, status=AppointmentStatus.SCHEDULED, **extra):
    return Appointment.objects.create(
        case=case,
        organisation=case.organisation,
        staff=staff,
        starts_at=starts_at or timezone.now() + timedelta(hours=3),
        status=status,
        created_by=staff,
        **extra,
    )


def queries_for(client, url) -> int:
    """How many queries one GET of `url` makes (for the N+1 guards)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)
