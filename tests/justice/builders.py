"""Justice matters built for the tests: a case of organisation A with a legal officer."""

from datetime import date, timedelta

from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.factories import UserFactory
from tumaini.accounts.enums import Role
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.models import Consent
from tumaini.justice.enums import Charge
from tumaini.justice.models import Hearing, JusticeMatter, PoliceReport, Prosecution


def legal_officer(personas, username="legal_a"):
    return UserFactory(username=username, organisation=personas.org_a, roles=[Role.LEGAL_OFFICER])


def consent(case, purpose=ConsentPurpose.LAW_ENFORCEMENT, recorded_by=None):
    return Consent.objects.create(
        person=case.person,
        case=case,
        purpose=purpose,
        given_by=ConsentGiver.SELF,
        given_at=timezone.now() - timedelta(days=1),
        recorded_by=recorded_by or case.assigned_to,
    )


def matter_with_prosecution(personas, officer, *, case=None, ob_number="OB 14/02/03/2026"):
    case = case or owned_case(personas, case_number="TUM-26-JUST-C3")
    consent(case)
    matter = JusticeMatter.objects.create(
        case=case, legal_officer=officer, opened_by=personas.owner
    )
    report = PoliceReport.objects.create(
        matter=matter,
        station="Kilimani",
        ob_number=ob_number,
        reported_on=date(2026, 2, 3),
        recorded_by=officer,
    )
    prosecution = Prosecution.objects.create(
        matter=matter,
        police_report=report,
        court="Milimani Law Courts",
        court_case_number="CR 1234/2026",
        charges=[Charge.S3],
        recorded_by=officer,
    )
    return matter, report, prosecution


def hearing(prosecution, *, in_hours=24, survivor_attends=True, kind="mention"):
    return Hearing.objects.create(
        prosecution=prosecution,
        starts_at=timezone.now() + timedelta(hours=in_hours),
        kind=kind,
        survivor_attends=survivor_attends,
    )
