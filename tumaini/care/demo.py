"""Demo care data for the demo caseload: the catalogue (in-house and the demo partners), services
delivered against the care-plan goals, appointments (some today for `caseworker` and `counsellor`,
some missed) and follow-ups after leaving (some overdue). Idempotent: a case that already has care
records is left alone, and catalogue entries are matched by name."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import Organisation, User
from tumaini.care.enums import (
    AppointmentStatus,
    DeliveryOutcome,
    LeavingReason,
    ServiceType,
)
from tumaini.care.models import Appointment, FollowUp, ServiceDelivery, ServiceOffering
from tumaini.care.services.follow_ups import followups_schedule_after_leaving
from tumaini.cases.enums import CarePlanStatus, CaseStage, ClosureReason, SupportPlanType
from tumaini.cases.models import CarePlanGoal, Case

T = ServiceType
# (service type, name, provider: None = in-house, else the demo organisation's name)
CATALOGUE: tuple[tuple[str, str, str | None], ...] = (
    (T.SHELTER, "Safe house accommodation", None),
    (T.PSYCHOSOCIAL, "Trauma counselling", None),
    (T.MATERIAL, "Clothing and hygiene kit", None),
    (T.FAMILY_TRACING, "Family tracing and mediation", None),
    (T.INTERPRETATION, "Interpreter", None),
    (T.MEDICAL, "Medical examination and treatment", "hospital"),
    (T.LEGAL_AID, "Legal aid and court accompaniment", "legal"),
    (T.VOCATIONAL, "Tailoring and hairdressing course", "partner"),
    (T.EDUCATION, "School fees and uniform", "partner"),
    (T.ECONOMIC, "Start-up grant", "partner"),
)
# What a goal of each support type is delivered as, and what it costs (KES).
GOAL_SERVICES = {
    SupportPlanType.HEALTH: (T.MEDICAL, Decimal("3500")),
    SupportPlanType.SOCIAL_CARE: (T.PSYCHOSOCIAL, Decimal("0")),
    SupportPlanType.LEGAL: (T.LEGAL_AID, Decimal("0")),
    SupportPlanType.LIVELIHOOD: (T.VOCATIONAL, Decimal("12000")),
    SupportPlanType.EDUCATION: (T.EDUCATION, Decimal("8500")),
}
DELIVERED_STAGES = (
    CaseStage.ASSISTANCE,
    CaseStage.REINTEGRATION,
    CaseStage.FOLLOW_UP,
    CaseStage.CLOSED,
)
LEFT_STAGES = (CaseStage.REINTEGRATION, CaseStage.FOLLOW_UP, CaseStage.CLOSED)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _catalogue(centre, partners) -> dict[str, ServiceOffering]:
    offerings = {}
    for service_type, name, provider_key in CATALOGUE:
        provider = partners.get(provider_key) if provider_key else centre
        if provider is None:
            continue
        offering, _ = ServiceOffering.objects.get_or_create(
            organisation=centre,
            provider=provider,
            name=name,
            defaults={"service_type": service_type},
        )
        offerings.setdefault(service_type, offering)
    return offerings


def seed_demo_care(*, today: date | None = None) -> int:
    """Write the care records still missing; returns how many cases got them."""
    from tumaini.cases.demo import demo_case_numbers
    from tumaini.core import demo as core_demo

    today = today or timezone.localdate()
    orgs = {o.name: o for o in Organisation.objects.all()}
    centre, ngo = orgs.get(core_demo.CENTRE), orgs.get(core_demo.PARTNER_NGO)
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    if centre is None or ngo is None or not {"caseworker", "counsellor", "nurse"} <= set(users):
        return 0
    partners = {
        "hospital": orgs.get(core_demo.HOSPITAL),
        "legal": orgs.get(core_demo.LEGAL_CLINIC),
        "partner": ngo,
    }
    catalogues = {
        centre.pk: _catalogue(centre, partners),
        ngo.pk: _catalogue(ngo, {"hospital": partners["hospital"], "legal": partners["legal"]}),
    }
    cases = list(
        Case.objects.filter(case_number__in=demo_case_numbers())
        .select_related("assigned_to")
        .order_by("case_number")
    )
    done = set(ServiceDelivery.objects.filter(case__in=cases).values_list("case_id", flat=True))
    done |= set(Appointment.objects.filter(case__in=cases).values_list("case_id", flat=True))
    done |= set(FollowUp.objects.filter(case__in=cases).values_list("case_id", flat=True))
    written = 0
    caseworker_today = counsellor_today = 0
    for index, case in enumerate(cases):
        if case.pk in done or case.assigned_to is None:
            continue
        offerings = catalogues.get(case.organisation_id, {})
        with transaction.atomic():
            if case.stage in DELIVERED_STAGES:
                _deliveries(case, offerings, today)
            if case.stage not in (CaseStage.CLOSED, CaseStage.SCREENING):
                at_centre = case.organisation_id == centre.pk
                with_counsellor = at_centre and case.stage == CaseStage.ASSISTANCE
                if at_centre and case.assigned_to == users["caseworker"] and caseworker_today < 2:
                    when = _at(today, 10 + 3 * caseworker_today)
                    caseworker_today += 1
                    _appointment(case, case.assigned_to, when, T.LEGAL_AID)
                elif with_counsellor and counsellor_today < 2:
                    when = _at(today, 9 + 2 * counsellor_today)
                    counsellor_today += 1
                    _appointment(case, users["counsellor"], when, T.PSYCHOSOCIAL)
                else:
                    _appointment(
                        case, case.assigned_to, _at(today + timedelta(days=2 + index % 5), 11)
                    )
                if index % 3 == 0:
                    _appointment(
                        case,
                        case.assigned_to,
                        _at(today - timedelta(days=3 + index % 4), 14),
                        status=AppointmentStatus.MISSED,
                    )
                if with_counsellor:
                    _appointment(
                        case,
                        users["counsellor"],
                        _at(today - timedelta(days=7), 9),
                        T.PSYCHOSOCIAL,
                        status=AppointmentStatus.ATTENDED,
                    )
            if case.stage in LEFT_STAGES:
                _follow_ups(case, index, today)
        written += 1
    return written


def _deliveries(case, offerings, today) -> None:
    goals = CarePlanGoal.objects.filter(plan__case=case, plan__status=CarePlanStatus.APPROVED)
    first = (timezone.localdate(case.opened_at) if case.opened_at else today) + timedelta(days=2)
    rows = []
    shelter = offerings.get(T.SHELTER)
    if shelter is not None:
        rows.append((shelter, None, first, Decimal("0")))
    for number, goal in enumerate(goals.order_by("due_on", "id")):
        service_type, cost = GOAL_SERVICES.get(goal.support_type, (None, 0))
        offering = offerings.get(service_type)
        if offering is None:
            continue
        day = min(first + timedelta(days=10 + 12 * number), today)
        rows.append((offering, goal, day, cost))
    ServiceDelivery.objects.bulk_create(
        ServiceDelivery(
            case=case,
            organisation_id=case.organisation_id,
            offering=offering,
            service_type=offering.service_type,
            goal=goal,
            delivered_on=day,
            delivered_by=case.assigned_to if offering.in_house else None,
            outcome=DeliveryOutcome.COMPLETED,
            outcome_notes="Went as planned.",
            cost_kes=cost,
            recorded_by=case.assigned_to,
        )
        for offering, goal, day, cost in rows
    )


def _appointment(case, staff, starts_at, service_type="", status=AppointmentStatus.SCHEDULED):
    Appointment.objects.create(
        case=case,
        organisation_id=case.organisation_id,
        staff=staff,
        starts_at=starts_at,
        duration_minutes=60,
        service_type=service_type,
        location="Centre, room 2",
        status=status,
        status_changed_at=starts_at if status != AppointmentStatus.SCHEDULED else None,
        status_changed_by=staff if status != AppointmentStatus.SCHEDULED else None,
        created_by=case.assigned_to,
    )


def _follow_ups(case, index, today) -> None:
    # Left 40 to 200 days ago: the one-month follow-up is due or past for every one of them.
    left_on = today - timedelta(days=40 + (index * 37) % 160)
    reason = (
        LeavingReason.REPATRIATED
        if case.closure_reason == ClosureReason.REPATRIATED
        else LeavingReason.REINTEGRATED
    )
    if case.stage == CaseStage.CLOSED and case.closure_reason not in (
        ClosureReason.REINTEGRATED,
        ClosureReason.REPATRIATED,
    ):
        return
    follow_ups = followups_schedule_after_leaving(
        user=case.assigned_to, case=case, left_on=left_on, reason=reason
    )
    # Every other case has its first follow-up recorded; the rest stay overdue.
    if index % 2 == 0:
        first = min(follow_ups, key=lambda f: f.months)
        FollowUp.objects.filter(pk=first.pk).update(
            recorded_at=timezone.now(),
            recorded_by=case.assigned_to,
            contact_made=True,
            contact_method="home_visit",
            contacted_on=first.due_on,
            wellbeing="good",
            safety="safe",
            livelihood="in_training",
            re_trafficked="no",
        )
