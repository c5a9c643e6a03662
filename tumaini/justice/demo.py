"""Demo justice files: two prosecutions of the demo caseload, with the demo `legal` officer.

One trial is under way with a hearing next week; the other ended in a conviction with restitution
ordered and partly paid. All invented. Idempotent: cases that already have a matter are left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import User
from tumaini.cases.enums import CaseStage, ConsentGiver, ConsentPurpose
from tumaini.cases.models import Case, Consent
from tumaini.cases.selectors.consent import consent_active
from tumaini.justice.enums import (
    Charge,
    HearingKind,
    HearingStatus,
    Outcome,
    PoliceReportStatus,
    ProsecutionStatus,
    ProtectiveMeasure,
)
from tumaini.justice.models import (
    Hearing,
    JusticeMatter,
    PoliceReport,
    Prosecution,
    RestitutionPayment,
)

DEMO_MATTERS = 2


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_demo_justice(*, today: date | None = None) -> int:
    legal = User.objects.filter(username="legal").first()
    if legal is None:
        return 0
    today = today or timezone.localdate()
    candidates = list(
        Case.objects.filter(
            case_number__startswith="TUM-26-DEMX-",
            organisation_id=legal.organisation_id,
            stage__in=[CaseStage.ASSISTANCE, CaseStage.REINTEGRATION, CaseStage.FOLLOW_UP],
            person__is_child=False,
        )
        .select_related("person", "assigned_to")
        .order_by("case_number")[: DEMO_MATTERS * 2]
    )
    with_matter = JusticeMatter.objects.filter(case__in=candidates).count()
    created = 0
    for index, case in enumerate(candidates):
        if with_matter + created >= DEMO_MATTERS:
            break
        if hasattr(case, "justice"):
            continue
        with transaction.atomic():
            _write(case=case, legal=legal, concluded=index % 2 == 1, today=today)
        created += 1
    return created


def _write(*, case: Case, legal: User, concluded: bool, today: date) -> None:
    author = case.assigned_to or legal
    if consent_active(person=case.person, purpose=ConsentPurpose.LAW_ENFORCEMENT) is None:
        Consent.objects.create(
            person=case.person,
            case=case,
            purpose=ConsentPurpose.LAW_ENFORCEMENT,
            given_by=ConsentGiver.SELF,
            given_at=_at(today - timedelta(days=200), 10),
            recorded_by=author,
        )
    matter = JusticeMatter.objects.create(case=case, legal_officer=legal, opened_by=author)
    reported = today - timedelta(days=190 if concluded else 60)
    report = PoliceReport.objects.create(
        matter=matter,
        station="Kilimani" if concluded else "Industrial Area",
        ob_number=f"OB {reported:%d}/{reported:%m}/{reported:%Y}/{14 if concluded else 27}",
        reported_on=reported,
        investigating_officer="Inspector Wairimu (AHTCPU)" if concluded else "Sgt Odhiambo",
        status=PoliceReportStatus.FORWARDED,
        notes="Statement recorded with an interpreter present.",
        recorded_by=legal,
    )
    charged = reported + timedelta(days=21)
    prosecution = Prosecution.objects.create(
        matter=matter,
        police_report=report,
        court="Milimani Law Courts" if concluded else "Kibera Law Courts",
        court_case_number=f"MCCR/E{310 if concluded else 587}/{charged:%Y}",
        prosecutor="ODPP — State Counsel Njeri" if concluded else "ODPP — State Counsel Barasa",
        charges=[Charge.S3, Charge.S8] if concluded else [Charge.S3, Charge.S5],
        charged_on=charged,
        status=ProsecutionStatus.CONCLUDED if concluded else ProsecutionStatus.TRIAL,
        outcome=Outcome.CONVICTED if concluded else Outcome.PENDING,
        outcome_on=today - timedelta(days=20) if concluded else None,
        sentence="Fifteen years' imprisonment." if concluded else "",
        protective_measures=[ProtectiveMeasure.IN_CAMERA, ProtectiveMeasure.IDENTITY_WITHHELD]
        + ([] if concluded else [ProtectiveMeasure.SCREEN]),
        victim_impact_statement=(
            "I was promised work in a hotel and kept for a year without pay. I want to finish "
            "my training and support my child."
            if concluded
            else ""
        ),
        impact_statement_submitted_on=today - timedelta(days=35) if concluded else None,
        restitution_ordered=Decimal("180000.00") if concluded else None,
        restitution_ordered_on=today - timedelta(days=20) if concluded else None,
        recorded_by=legal,
    )
    Hearing.objects.create(
        prosecution=prosecution,
        starts_at=_at(charged + timedelta(days=14), 9),
        kind=HearingKind.PLEA,
        status=HearingStatus.HELD,
        notes="The accused pleaded not guilty.",
        officer_reminded_at=_at(charged + timedelta(days=12), 8),
    )
    if concluded:
        Hearing.objects.create(
            prosecution=prosecution,
            starts_at=_at(today - timedelta(days=20), 10),
            kind=HearingKind.JUDGMENT,
            status=HearingStatus.HELD,
            survivor_attends=True,
        )
        RestitutionPayment.objects.create(
            prosecution=prosecution,
            amount=Decimal("60000.00"),
            paid_on=today - timedelta(days=5),
            recorded_by=legal,
        )
    else:
        Hearing.objects.create(
            prosecution=prosecution,
            starts_at=_at(today + timedelta(days=6), 9),
            kind=HearingKind.TRIAL,
            survivor_attends=True,
            notes="The survivor testifies behind a screen.",
        )
