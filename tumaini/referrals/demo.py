"""Demo referrals: one referral in each status for demo cases of the centre's team 1, and incoming
referrals from the demo police unit and hospital. Invented, written through the services (so the
snapshot, deadlines, history, audit events and notifications are what real use makes).

Idempotent: each demo referral has a fixed public id; one that exists is left alone.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import Organisation, Team, User
from tumaini.cases.enums import CaseStage, ConsentGiver, ConsentPurpose
from tumaini.cases.models import Case, Consent
from tumaini.cases.selectors.consent import consent_active
from tumaini.directory.models import PartnerService
from tumaini.referrals import services
from tumaini.referrals.enums import ReferralStatus, ReferralUrgency, SharedField
from tumaini.referrals.models import IncomingReferral, Referral

NAMESPACE = uuid.UUID("5a4c2f7e-8d3b-4f0e-9a61-2b7d9c1e0f34")

S = SharedField
# (status, partner organisation, service name, urgency, fields shared, reason, answer)
DEMO_REFERRALS = (
    (
        ReferralStatus.DRAFT,
        "HOSPITAL",
        "Outpatient and mental health clinic",
        ReferralUrgency.ROUTINE,
        (S.FIRST_NAME, S.AGE, S.LANGUAGES),
        "Review of sleep problems and headaches since the rescue.",
        "",
    ),
    (
        ReferralStatus.SENT,
        "HOSPITAL",
        "Post-rape care and medical examination",
        ReferralUrgency.URGENT,
        (S.FIRST_NAME, S.AGE, S.SEX),
        "Medical examination and PEP; assaulted two days ago.",
        "",
    ),
    (
        ReferralStatus.ACKNOWLEDGED,
        "PARTNER_NGO",
        "Psychosocial counselling",
        ReferralUrgency.ROUTINE,
        (S.FIRST_NAME, S.LANGUAGES, S.NEEDS),
        "Weekly counselling after return from the Gulf.",
        "",
    ),
    (
        ReferralStatus.ACCEPTED,
        "LEGAL_CLINIC",
        "Legal aid and court accompaniment",
        ReferralUrgency.URGENT,
        (S.FULL_NAME, S.AGE, S.NATIONALITY),
        "Statement to the police and preparation as a witness.",
        "",
    ),
    (
        ReferralStatus.DECLINED,
        "PARTNER_NGO",
        "Economic empowerment programme",
        ReferralUrgency.ROUTINE,
        (S.FIRST_NAME, S.AGE),
        "Small business training after reintegration.",
        "The next intake opens in March; please refer again then.",
    ),
    (
        ReferralStatus.COMPLETED,
        "HOSPITAL",
        "Post-rape care and medical examination",
        ReferralUrgency.EMERGENCY,
        (S.FIRST_NAME, S.AGE, S.SEX, S.RISK_LEVEL),
        "Injuries to the arm; seen on arrival.",
        "Examined, X-ray normal, arm dressed; PEP started. Review at the clinic in 7 days.",
    ),
    (
        ReferralStatus.CANCELLED,
        "POLICE_UNIT",
        "Trafficking investigation and rescue",
        ReferralUrgency.URGENT,
        (S.FIRST_NAME,),
        "Report on the agency that recruited her.",
        "The survivor chose not to report now.",
    ),
    # Sent as an emergency and past its deadline: the overdue alert and home panel show it.
    (
        "overdue",
        "HOSPITAL",
        "Outpatient and mental health clinic",
        ReferralUrgency.EMERGENCY,
        (S.FIRST_NAME, S.PHONE),
        "Severe abdominal pain this morning.",
        "",
    ),
)


def _demo_cases(team: Team) -> list[Case]:
    from tumaini.cases.demo import demo_case_numbers

    return list(
        Case.objects.filter(case_number__in=demo_case_numbers(), team=team)
        .exclude(stage__in=[CaseStage.SCREENING, CaseStage.CLOSED])
        .select_related("person", "assigned_to")
        .order_by("case_number")
    )


def _consent(case: Case, recipient: Organisation, recorder: User) -> None:
    if consent_active(person=case.person, purpose=ConsentPurpose.REFERRAL, recipient=recipient):
        return
    Consent.objects.create(
        person=case.person,
        case=case,
        purpose=ConsentPurpose.REFERRAL,
        recipient=recipient,
        given_by=ConsentGiver.GUARDIAN if case.person.is_child else ConsentGiver.SELF,
        guardian_name="Guardian (demo)" if case.person.is_child else "",
        given_at=timezone.now() - timedelta(days=2),
        recorded_by=recorder,
    )


def seed_demo_referrals() -> int:
    """Create the demo referrals that do not exist yet; returns how many were created."""
    from tumaini.core import demo as core_demo

    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    centre = Organisation.objects.filter(name=core_demo.CENTRE).first()
    team = Team.objects.filter(organisation=centre, name=core_demo.TEAM_1).first()
    if centre is None or team is None or not {"caseworker", "partner", "police"} <= set(users):
        return 0
    cases = _demo_cases(team)
    created = 0
    for index, spec in enumerate(DEMO_REFERRALS):
        public_id = uuid.uuid5(NAMESPACE, f"referral-{index}")
        if index >= len(cases) or Referral.objects.filter(public_id=public_id).exists():
            continue
        service = PartnerService.objects.filter(
            organisation__name=getattr(core_demo, spec[1]), name=spec[2]
        ).first()
        if service is None:
            continue
        with transaction.atomic():
            _write_referral(spec, public_id, cases[index], service, users)
        created += 1
    created += _seed_incoming(centre, users)
    return created


def _write_referral(spec, public_id, case: Case, service, users) -> None:
    status, _partner, _service, urgency, fields, reason, answer = spec
    caseworker = case.assigned_to or users["caseworker"]
    referral = services.referral_create(
        actor=caseworker,
        case=case,
        service=service,
        reason=reason,
        urgency=urgency,
        shared_fields=list(fields),
    )
    Referral.objects.filter(pk=referral.pk).update(public_id=public_id)
    referral.public_id = public_id
    if status == ReferralStatus.DRAFT:
        return
    _consent(case, service.organisation, caseworker)
    referral = services.referral_send(actor=caseworker, referral=referral)
    partner = (
        users["partner"] if service.organisation_id == users["partner"].organisation_id else None
    )
    if status == "overdue":
        past = timezone.now() - timedelta(hours=3)
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=past, acknowledge_due_at=past + timedelta(hours=2)
        )
        return
    steps = {
        ReferralStatus.ACKNOWLEDGED: [services.ACKNOWLEDGE],
        ReferralStatus.ACCEPTED: [services.ACKNOWLEDGE, services.ACCEPT],
        ReferralStatus.DECLINED: [services.DECLINE],
        ReferralStatus.COMPLETED: [services.ACCEPT, services.COMPLETE],
    }.get(status, [])
    for step in steps:
        note = answer if step in (services.DECLINE, services.COMPLETE) else ""
        referral = services.referral_respond(referral=referral, step=step, actor=partner, note=note)
    if status == ReferralStatus.CANCELLED:
        services.referral_cancel(actor=caseworker, referral=referral, reason=answer)


# (sender username, given name, family name, gender, age, urgency, reason, call back)
DEMO_INCOMING = (
    (
        "police",
        "Halima",
        "Abdi (demo)",
        "Feminine",
        19,
        ReferralUrgency.URGENT,
        "Found at a roadblock in a lorry with five others, no documents, says she was promised work "
        "in a hotel.",
        "Cpl. Mwangi, AHTCPU desk (demo)",
    ),
    (
        "partner",
        "Brian",
        "Otieno (demo)",
        "Masculine",
        16,
        ReferralUrgency.EMERGENCY,
        "Brought to casualty after escaping a quarry; says others are still held there.",
        "Casualty desk, Mji Mwema (demo)",
    ),
)


def _seed_incoming(centre: Organisation, users) -> int:
    created = 0
    for index, (sender, given, family, gender, age, urgency, reason, contact) in enumerate(
        DEMO_INCOMING
    ):
        public_id = uuid.uuid5(NAMESPACE, f"incoming-{index}")
        if IncomingReferral.objects.filter(public_id=public_id).exists():
            continue
        with transaction.atomic():
            incoming = services.incoming_referral_send(
                actor=users[sender],
                to_organisation=centre,
                details={
                    "given_name": given,
                    "family_name": family,
                    "gender": gender,
                    "estimated_age": age,
                    "urgency": urgency,
                    "reason": reason,
                    "referrer_contact": contact,
                },
            )
            IncomingReferral.objects.filter(pk=incoming.pk).update(public_id=public_id)
        created += 1
    return created
