"""Writing one demo case with everything its stage implies (see `cases/demo.py`, which picks them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tumaini.accounts.models import Organisation, Team, User
from tumaini.cases.demo_data import (
    GOALS,
    GULF,
    NAIROBI,
    STAGE_ORDER,
    Story,
)
from tumaini.cases.enums import (
    ApprovalKind,
    CarePlanStatus,
    CaseFlag,
    CaseStage,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    GoalStatus,
    IntakeSource,
    NeedType,
    NoteKind,
    RiskLevel,
    TraffickingDecision,
    TraffickingEventType,
)
from tumaini.cases.models import (
    ApprovalRequest,
    CarePlan,
    CarePlanGoal,
    Case,
    CaseNote,
    Consent,
    ExploitationProfile,
    Intake,
    Need,
    NeedsAssessment,
    RiskAssessment,
    Screening,
    StageChange,
    TraffickingEvent,
)
from tumaini.people.models import Person, PersonNameToken
from tumaini.people.services import child_status, full_name_index, name_tokens


def make_person(
    *,
    organisation,
    team,
    assigned_to,
    given_name: str,
    family_name: str,
    other_names: str = "",
    gender: str,
    date_of_birth: date | None = None,
    estimated_age: int | None = None,
    age_estimated_on: date | None = None,
    citizenship_id: str | None = None,
    public_id: uuid.UUID | None = None,
    today: date | None = None,
) -> tuple[Person, set[str]]:
    """An unsaved Person consistent like people.services keeps it, and its name tokens."""
    person = Person(
        organisation=organisation,
        team=team,
        assigned_to=assigned_to,
        given_name=given_name,
        family_name=family_name,
        other_names=other_names,
        gender=gender,
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        age_estimated_on=age_estimated_on,
        date_of_birth_is_estimated=False,
        citizenship_id=citizenship_id,
    )
    if public_id is not None:
        person.public_id = public_id
    person.full_name_index = full_name_index(person.full_name)
    person.is_child = child_status(
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        age_estimated_on=age_estimated_on,
        assessed_as_child=False,
        today=today,
    )
    return person, name_tokens([given_name, other_names, family_name])


@dataclass
class DemoStaff:
    centre: Organisation
    partner: Organisation
    legal_clinic: Organisation | None
    police: Organisation | None
    team_1: Team
    team_2: Team
    ngo_team: Team
    caseworker: User
    caseworker2: User
    director: User


def at_hour(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def write_demo_case(
    *,
    spec,
    number,
    staff: DemoStaff,
    question_set,
    countries,
    counties,
    sub_counties,
    languages,
    today,
) -> Case:
    story: Story = spec["story"]
    stage = spec["stage"]
    stage_rank = STAGE_ORDER.index(stage)
    if spec["at_partner"]:
        organisation, team, manager = staff.partner, staff.ngo_team, staff.caseworker2
    elif spec["team_2"]:
        # Team 2 has no demo account: these wait in the director's centre list.
        organisation, team, manager = staff.centre, staff.team_2, None
    else:
        organisation, team, manager = staff.centre, staff.team_1, staff.caseworker
    author = manager or staff.director
    opened: date = spec["opened"]

    estimated = spec["estimated"]
    person, tokens = make_person(
        organisation=organisation,
        team=team,
        assigned_to=manager,
        given_name=spec["first"],
        other_names=spec["middle"],
        family_name=spec["family"],
        gender="Feminine" if spec["female"] else "Masculine",
        date_of_birth=None if estimated else spec["dob"],
        estimated_age=((opened - spec["dob"]).days // 365) if estimated else None,
        age_estimated_on=opened if estimated else None,
        citizenship_id=spec["citizenship"] if spec["citizenship"] in countries else None,
        today=today,
    )
    person.save()
    PersonNameToken.objects.bulk_create([PersonNameToken(person=person, token=t) for t in tokens])
    if spec["language"] in languages:
        person.languages.set([languages[spec["language"]]])
    child = person.is_child

    flags = []
    if child:
        flags.append(CaseFlag.CHILD)
    case = Case.objects.create(
        organisation=organisation,
        team=team,
        assigned_to=manager,
        person=person,
        case_number=number,
        stage=stage,
        opened_at=at_hour(opened, 9),
        flags=flags,
        # Every child's case has a child protection officer: the centre's director, or at the
        # partner NGO its case worker (the demo has no separate officer account).
        child_protection_officer=(
            staff.director if organisation == staff.centre else staff.caseworker2
        )
        if child
        else None,
    )
    abroad = spec["exploitation_country"] != "KE"
    Intake.objects.create(
        case=case,
        source=spec["source"],
        referring_organisation=staff.police if spec["source"] == IntakeSource.POLICE else None,
        intake_date=opened,
        where_identified=story.where,
        sub_county=sub_counties.get(spec["nairobi_sub_county"]),
        narrative=story.narrative,
        immediate_needs="Safe accommodation, medical check-up, clothing.",
        recorded_by=author,
    )
    changes = [
        StageChange(case=case, from_stage="", to_stage=CaseStage.SCREENING, changed_by=author)
    ]

    # Consents: services from the start (a guardian for a child), statistics for most.
    giver = ConsentGiver.GUARDIAN if child else ConsentGiver.SELF
    guardian = (
        {
            "guardian_name": f"{spec['middle'] or 'Mama'} {spec['family']}",
            "guardian_relationship": "aunt",
        }
        if child
        else {}
    )
    consent_common = {
        "person": person,
        "case": case,
        "given_by": giver,
        "recorded_by": author,
        **guardian,
    }
    Consent.objects.create(
        purpose=ConsentPurpose.SERVICES, given_at=at_hour(opened, 11), **consent_common
    )
    if stage_rank >= 1:
        Consent.objects.create(
            purpose=ConsentPurpose.STATISTICS, given_at=at_hour(opened, 11), **consent_common
        )
    if spec["summary_consent"] and stage_rank >= 2:
        Consent.objects.create(
            purpose=ConsentPurpose.CASE_SUMMARY,
            recipient=staff.legal_clinic,
            sections=["identity", "intake", "screening", "profile", "assessments"],
            given_at=at_hour(opened + timedelta(days=14), 11),
            **consent_common,
        )

    # Screening with a decision (pending for half the cases still in screening).
    if stage_rank >= 1 or not spec["screening_pending"]:
        decided = opened + timedelta(days=2)
        Screening.objects.create(
            case=case,
            question_set=question_set,
            conducted_by=author,
            conducted_on=opened + timedelta(days=1),
            interpreter_present=spec["language"] not in ("sw", "en"),
            guardian_present=child,
            decision=spec["decision"],
            decided_by=staff.director if organisation == staff.centre else author,
            decided_on=decided,
            justification=(
                "Act, means and purpose are all present; several ILO indicators (deception, "
                "retention of documents, withheld wages)."
                if spec["decision"] != TraffickingDecision.NOT_A_VICTIM
                else "A labour dispute without deception or coercion; referred to the labour office."
            ),
            acts=list(story.acts),
            means=[] if child else list(story.means),
            purposes=list(story.exploitation_types),
        )
    elif stage == CaseStage.SCREENING:
        Screening.objects.create(
            case=case, question_set=question_set, conducted_by=author, conducted_on=opened
        )

    ExploitationProfile.objects.create(
        case=case,
        exploitation_types=spec["exploitation_types"],
        labour_sectors=list(story.labour_sectors),
        sexual_exploitation_types=list(story.sexual_types),
        means_of_control=spec["means_of_control"],
        recruiter_relation=story.recruiter,
    )
    start = opened - timedelta(days=400)
    events = [
        TraffickingEvent(
            case=case,
            type=TraffickingEventType.RECRUITMENT,
            country=countries["KE"]
            if abroad or spec["citizenship"] == "KE"
            else countries.get(spec["citizenship"], countries["KE"]),
            county=counties.get(spec["recruitment_county"])
            if abroad or spec["citizenship"] == "KE"
            else None,
            place_details="Approached at the market by an agent",
            started_on=start,
            ended_on=start + timedelta(days=20),
        )
    ]
    if abroad:
        events.append(
            TraffickingEvent(
                case=case,
                type=TraffickingEventType.TRANSIT,
                country=countries["KE"],
                county=counties.get(NAIROBI),
                place_details=(
                    "Jomo Kenyatta International Airport"
                    if spec["exploitation_country"] in GULF
                    else "Busia border crossing"
                ),
                started_on=start + timedelta(days=30),
                ended_on=start + timedelta(days=30),
            )
        )
    destination = countries.get(spec["exploitation_country"], countries["KE"])
    events.append(
        TraffickingEvent(
            case=case,
            type=TraffickingEventType.EXPLOITATION,
            country=destination,
            county=counties.get(NAIROBI)
            if destination.code == "KE" and story.key != "fishing"
            else (counties.get(43) if destination.code == "KE" else None),
            place_details=story.where,
            started_on=start + timedelta(days=31),
            ended_on=opened - timedelta(days=1),
        )
    )
    TraffickingEvent.objects.bulk_create(events)

    if stage_rank >= 1:
        changes.append(
            StageChange(
                case=case,
                from_stage=CaseStage.SCREENING,
                to_stage=CaseStage.PROTECTION,
                changed_by=author,
            )
        )
    if stage_rank >= 2:
        changes.append(
            StageChange(
                case=case,
                from_stage=CaseStage.PROTECTION,
                to_stage=CaseStage.ASSESSMENT,
                changed_by=author,
            )
        )
        physical, psychological, health, security = spec["risks"]
        risk = RiskAssessment.objects.create(
            case=case,
            assessed_on=opened + timedelta(days=10),
            assessed_by=author,
            physical=physical,
            psychological=psychological,
            health=health,
            security=security,
            psychological_notes="Anxious, poor sleep; counselling started.",
            security_notes="The recruiter has the family's phone number."
            if security == RiskLevel.HIGH
            else "",
        )
        case.risk_level = risk.overall
        if risk.overall == RiskLevel.HIGH:
            case.flags = [*case.flags, CaseFlag.HIGH_RISK]
    plan = None
    if stage_rank >= 3:
        changes.append(
            StageChange(
                case=case,
                from_stage=CaseStage.ASSESSMENT,
                to_stage=CaseStage.CARE_PLANNING,
                changed_by=author,
            )
        )
        needs = NeedsAssessment.objects.create(
            case=case, assessed_on=opened + timedelta(days=12), assessed_by=author
        )
        identified = [
            NeedType.ACCOMMODATION,
            NeedType.HEALTH,
            NeedType.FAMILY_CONTACT,
            NeedType.DOCUMENTS,
        ]
        Need.objects.bulk_create(
            [
                Need(
                    assessment=needs,
                    type=need,
                    identified=need in identified,
                    urgency=RiskLevel.HIGH
                    if need == NeedType.ACCOMMODATION
                    else (RiskLevel.MEDIUM if need in identified else ""),
                )
                for need in NeedType.values
            ]
        )
        if stage == CaseStage.CARE_PLANNING:
            status = (
                CarePlanStatus.PENDING_APPROVAL if spec["pending_plan"] else CarePlanStatus.DRAFT
            )
        else:
            status = CarePlanStatus.APPROVED
        plan = CarePlan.objects.create(
            case=case,
            needs_assessment=needs,
            status=status,
            summary="Stabilise health and safety, then prepare return to the family with livelihood support.",
            created_by=author,
            approved_by=staff.director if status == CarePlanStatus.APPROVED else None,
            approved_at=at_hour(opened + timedelta(days=20))
            if status == CarePlanStatus.APPROVED
            else None,
        )
        goal_types = ["Health", "SocialCare", "Legal", "Education" if child else "Livelihood"]
        CarePlanGoal.objects.bulk_create(
            [
                CarePlanGoal(
                    plan=plan,
                    goal=GOALS[kind],
                    support_type=kind,
                    need_type=NeedType.HEALTH if kind == "Health" else "",
                    owner=author,
                    due_on=opened + timedelta(days=30 * (i + 1)),
                    status=GoalStatus.ACHIEVED
                    if stage_rank >= 5
                    else (GoalStatus.IN_PROGRESS if stage_rank == 4 else GoalStatus.NOT_STARTED),
                )
                for i, kind in enumerate(goal_types)
            ]
        )
        if status == CarePlanStatus.PENDING_APPROVAL:
            ApprovalRequest.objects.create(
                case=case,
                kind=ApprovalKind.CARE_PLAN,
                care_plan=plan,
                requested_by=author,
                request_comment="Ready for your approval.",
            )
    for to_stage in STAGE_ORDER[4 : stage_rank + 1]:
        changes.append(
            StageChange(
                case=case,
                from_stage=STAGE_ORDER[STAGE_ORDER.index(to_stage) - 1],
                to_stage=to_stage,
                changed_by=author,
            )
        )
    if stage == CaseStage.CLOSED:
        case.closed_at = at_hour(today - timedelta(days=10))
        case.closure_reason = (
            ClosureReason.NOT_A_VICTIM
            if spec["decision"] == TraffickingDecision.NOT_A_VICTIM
            else ClosureReason.REINTEGRATED
        )
        case.closure_notes = "Closed with the director's approval."
    StageChange.objects.bulk_create(changes)

    # Notes; an open case gets a follow-up, overdue for about a third of them.
    notes = []
    for i, body in enumerate(spec["notes"]):
        notes.append(
            CaseNote(
                case=case,
                kind=NoteKind.CONTACT if i == 0 else NoteKind.FOLLOW_UP,
                body=body,
                author=author,
            )
        )
    if stage != CaseStage.CLOSED:
        due = (
            today - timedelta(days=5)
            if spec["overdue"]
            else today + timedelta(days=7 + 3 * len(notes))
        )
        notes[-1].follow_up_on = due
        case.next_action_due = due
    CaseNote.objects.bulk_create(notes)
    case.save()
    return case
