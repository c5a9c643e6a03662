"""Cases at a given point of the workflow, built straight with the models (the intake and screening
services belong to other areas), and the form data of the workflow pages."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import UserFactory
from tumaini.accounts.enums import Role
from tumaini.cases.enums import (
    ApprovalKind,
    CarePlanStatus,
    CaseStage,
    IntakeSource,
    NeedType,
    SupportPlanType,
    TraffickingDecision,
)
from tumaini.cases.models import (
    ApprovalRequest,
    CarePlan,
    CarePlanGoal,
    Case,
    Intake,
    Need,
    NeedsAssessment,
    RiskAssessment,
    Screening,
    ScreeningQuestionSet,
    new_case_number,
)
from tumaini.core import crypto
from tumaini.people.models import Person

SURVIVOR_GIVEN, SURVIVOR_FAMILY = "Zawadi", "Otieno"


def screened_case(
    personas,
    *,
    decision=TraffickingDecision.POSSIBLE,
    stage=CaseStage.SCREENING,
    assigned_to=None,
    team=None,
) -> Case:
    """A case of organisation A carried by `owner` in team A, with an intake and a screening."""
    organisation = personas.org_a
    assigned_to = assigned_to or personas.owner
    team = team or personas.team_a
    person = Person(
        organisation=organisation,
        team=team,
        assigned_to=assigned_to,
        given_name=SURVIVOR_GIVEN,
        family_name=SURVIVOR_FAMILY,
    )
    person.full_name_index = crypto.blind_index(person.full_name, purpose="person-full-name")
    person.save()
    case = Case.objects.create(
        person=person,
        organisation=organisation,
        team=team,
        assigned_to=assigned_to,
        case_number=new_case_number(timezone.now().year),
        opened_at=timezone.now() - timedelta(days=3),
        stage=stage,
    )
    Intake.objects.create(
        case=case,
        source=IntakeSource.WALK_IN,
        intake_date=timezone.localdate(),
        recorded_by=assigned_to,
    )
    question_set, _ = ScreeningQuestionSet.objects.get_or_create(
        code="workflow-tests",
        version=1,
        defaults={"title_en": "Test screening", "title_sw": "Uchunguzi wa majaribio"},
    )
    decided = decision != TraffickingDecision.PENDING
    Screening.objects.create(
        case=case,
        question_set=question_set,
        conducted_by=assigned_to,
        conducted_on=timezone.localdate(),
        decision=decision,
        decided_by=assigned_to if decided else None,
        decided_on=timezone.localdate() if decided else None,
    )
    return case


def add_assessments(case, *, by, identified=(NeedType.ACCOMMODATION,)) -> NeedsAssessment:
    """A risk and a needs assessment straight in the tables (for tests of later steps)."""
    RiskAssessment.objects.create(
        case=case,
        assessed_on=timezone.localdate(),
        assessed_by=by,
        physical="low",
        psychological="medium",
        health="low",
        security="low",
    )
    assessment = NeedsAssessment.objects.create(
        case=case, assessed_on=timezone.localdate(), assessed_by=by
    )
    for need_type in NeedType.values:
        Need.objects.create(
            assessment=assessment,
            type=need_type,
            identified=need_type in identified,
            urgency="high" if need_type in identified else "",
        )
    return assessment


def add_care_plan(case, *, by, status=CarePlanStatus.DRAFT, owner=None) -> CarePlan:
    assessment = NeedsAssessment.objects.filter(case=case).first() or add_assessments(case, by=by)
    plan = CarePlan.objects.create(
        case=case, needs_assessment=assessment, summary="Safe housing", created_by=by, status=status
    )
    CarePlanGoal.objects.create(
        plan=plan,
        goal="A safe place to live",
        support_type=SupportPlanType.SOCIAL_CARE,
        need_type=NeedType.ACCOMMODATION,
        owner=owner or by,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return plan


def pending_plan_approval(case, *, by) -> ApprovalRequest:
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.CARE_PLANNING)
    plan = add_care_plan(case, by=by, status=CarePlanStatus.PENDING_APPROVAL)
    return ApprovalRequest.objects.create(
        case=case, kind=ApprovalKind.CARE_PLAN, care_plan=plan, requested_by=by
    )


def other_staff(personas):
    """Staff of organisation A whose roles give no case access (yet)."""
    org = personas.org_a
    return {
        "counsellor": UserFactory(
            username="counsellor_a", organisation=org, roles=[Role.COUNSELLOR]
        ),
        "shelter": UserFactory(
            username="shelter_a", organisation=org, roles=[Role.SHELTER_MANAGER]
        ),
        "analyst": UserFactory(username="analyst_a", organisation=org, roles=[Role.COUNTY_ANALYST]),
    }


def risk_data(**levels):
    data = {"assessed_on": timezone.localdate().isoformat()}
    for area in ("physical", "psychological", "health", "security"):
        data[area] = levels.get(area, "low")
        data[f"{area}_notes"] = levels.get(f"{area}_notes", "")
    return data


def needs_data(identified=None):
    """The needs grid: `identified` maps need types to (urgency, notes)."""
    identified = identified or {}
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "needs-TOTAL_FORMS": str(len(NeedType.values)),
        "needs-INITIAL_FORMS": str(len(NeedType.values)),
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "1000",
    }
    for index, need_type in enumerate(NeedType.values):
        data[f"needs-{index}-type"] = need_type
        if need_type in identified:
            urgency, notes = identified[need_type]
            data[f"needs-{index}-identified"] = "on"
            data[f"needs-{index}-urgency"] = urgency
            data[f"needs-{index}-notes"] = notes
        else:
            data[f"needs-{index}-urgency"] = ""
            data[f"needs-{index}-notes"] = ""
    return data


def care_plan_data(goals, *, summary="Shelter and health first", version=None, existing=0):
    """The care plan form; `existing` is how many goals the page showed already (edit)."""
    data = {
        "summary": summary,
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": str(existing),
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
    }
    if version is not None:
        data["version"] = str(version)
    for index, goal in enumerate(goals):
        for key, value in goal.items():
            data[f"goals-{index}-{key}"] = value
    return data


def goal(*, owner, need=NeedType.ACCOMMODATION, due_in_days=30, text="Find a safe place to live"):
    return {
        "goal": text,
        "support_type": SupportPlanType.SOCIAL_CARE,
        "need_type": need,
        "services": "Shelter placement",
        "owner": str(owner.public_id),
        "due_on": (timezone.localdate() + timedelta(days=due_in_days)).isoformat(),
        "status": "not_started",
    }
