"""Demo counselling and medical records for the demo `counsellor` and `nurse`.

Invented content on cases of the demo caseload (cases/demo.py): the counsellor gets four clients of
the centre's team 1 with a few session notes each; the nurse records visits, a condition, a
referral to the demo hospital and consents to treatment (a guardian's for a child). Idempotent: a
client that exists is kept, and a case that already has notes or medical rows gets no more.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import Organisation, User
from tumaini.cases.enums import CaseStage, ConsentGiver
from tumaini.cases.models import Case
from tumaini.clinical.enums import ReferralUrgency, SessionModality
from tumaini.clinical.models import (
    CounsellingClient,
    HospitalReferral,
    MedicalCondition,
    MedicalVisit,
    SessionNote,
    TreatmentConsent,
)

CLIENT_COUNT = 4

# (days ago, minutes, modality, themes, note, risk concern); the next session follows the last.
SESSIONS = [
    [
        (
            21,
            60,
            SessionModality.INDIVIDUAL,
            ["trauma", "sleep"],
            "First session. Sleeps badly since the return; nightmares about the employer's house. "
            "Agreed on a sleep routine and grounding exercises.",
            False,
        ),
        (
            14,
            50,
            SessionModality.INDIVIDUAL,
            ["trauma", "coping"],
            "Used the breathing exercise twice this week. Still avoids talking about the last month "
            "abroad.",
            False,
        ),
        (
            7,
            50,
            SessionModality.GROUP,
            ["self_esteem", "coping"],
            "Joined the women's group. Spoke briefly; others welcomed her.",
            False,
        ),
    ],
    [
        (
            10,
            45,
            SessionModality.INDIVIDUAL,
            ["anxiety", "safety"],
            "Afraid the recruiter's people know where the family lives. Safety plan reviewed with "
            "the case manager's knowledge.",
            True,
        ),
        (
            3,
            45,
            SessionModality.INDIVIDUAL,
            ["anxiety", "family"],
            "Calmer. Wants to call his mother; we prepared what he will say.",
            False,
        ),
    ],
    [
        (
            12,
            40,
            SessionModality.FAMILY,
            ["family", "reintegration"],
            "Session with the aunt. Talked about school and who will walk him there.",
            False,
        ),
    ],
    [
        (
            5,
            60,
            SessionModality.INDIVIDUAL,
            ["grief", "low_mood"],
            "Grieving the friend who did not come back. Low mood, eating little. Will see the nurse.",
            True,
        ),
    ],
]


def _demo_users() -> dict[str, User]:
    return {
        u.username: u
        for u in User.objects.filter(
            is_demo=True, username__in=("counsellor", "nurse", "caseworker")
        )
    }


def _demo_cases(*, counsellor) -> list[Case]:
    """Open cases of the counsellor's team, children first so the demo shows initials too."""
    from tumaini.cases.demo_data import DEMO_NUMBER_PREFIX

    cases = list(
        Case.objects.filter(
            organisation_id=counsellor.organisation_id,
            team__in=counsellor.teams.all(),
            case_number__startswith=DEMO_NUMBER_PREFIX,
        )
        .exclude(stage=CaseStage.CLOSED)
        .select_related("person")
        .order_by("case_number")
    )
    children = [c for c in cases if c.person.is_child][:1]
    adults = [c for c in cases if not c.person.is_child]
    return (children + adults)[:CLIENT_COUNT]


@transaction.atomic
def seed_demo_clinical(*, today: date | None = None) -> None:
    users = _demo_users()
    if not {"counsellor", "nurse", "caseworker"} <= set(users):
        return
    today = today or timezone.localdate()
    counsellor, nurse, caseworker = users["counsellor"], users["nurse"], users["caseworker"]
    cases = _demo_cases(counsellor=counsellor)
    for case, sessions in zip(cases, SESSIONS, strict=False):
        client, _created = CounsellingClient.objects.get_or_create(
            case=case,
            counsellor=counsellor,
            ended_at=None,
            defaults={"organisation_id": case.organisation_id, "assigned_by": caseworker},
        )
        if SessionNote.objects.filter(client=client).exists():
            continue
        for index, (days_ago, minutes, modality, themes, body, risk) in enumerate(sessions):
            last = index == len(sessions) - 1
            SessionNote.objects.create(
                client=client,
                case=case,
                organisation_id=case.organisation_id,
                author=counsellor,
                held_on=today - timedelta(days=days_ago),
                duration_minutes=minutes,
                modality=modality,
                themes=themes,
                body=body,
                risk_concern=risk,
                next_session_on=today + timedelta(days=2 + index) if last else None,
            )
    _seed_medical(cases=cases, nurse=nurse, today=today)


def _seed_medical(*, cases: list[Case], nurse, today: date) -> None:
    from tumaini.core import demo as core_demo

    hospital = Organisation.objects.filter(name=core_demo.HOSPITAL).first()
    adults = [c for c in cases if not c.person.is_child]
    children = [c for c in cases if c.person.is_child]
    for case in adults[:1] + children[:1]:
        if MedicalVisit.objects.filter(case=case).exists():
            continue
        common = {"case": case, "organisation_id": case.organisation_id, "recorded_by": nurse}
        child = case.person.is_child
        consent = TreatmentConsent.objects.create(
            given_by=ConsentGiver.GUARDIAN if child else ConsentGiver.SELF,
            guardian_name="Rose Atieno (demo)" if child else "",
            guardian_relationship="aunt" if child else "",
            given_on=today - timedelta(days=20),
            scope="Examination, tests and treatment at the centre's clinic",
            **common,
        )
        MedicalVisit.objects.create(
            seen_on=today - timedelta(days=20),
            reason="Health check on arrival",
            findings="Underweight; old bruises on the arms; no acute injury.",
            treatment="Deworming; multivitamins for a month.",
            consent=consent,
            **common,
        )
        MedicalVisit.objects.create(
            seen_on=today - timedelta(days=6),
            reason="Cough for two weeks",
            findings="Productive cough, no fever. Sputum test requested.",
            **common,
        )
        if child:
            continue
        MedicalCondition.objects.create(
            name="Iron-deficiency anaemia", since=today - timedelta(days=20), **common
        )
        HospitalReferral.objects.create(
            hospital=hospital,
            hospital_other="" if hospital else "Mji Mwema Hospital (demo)",
            referred_on=today - timedelta(days=6),
            reason="Chest X-ray and sputum test for tuberculosis.",
            urgency=ReferralUrgency.URGENT,
            **common,
        )
