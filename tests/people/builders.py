"""Small builders for people and cases, through the services of the people/intake area."""

from datetime import date

from django.utils import timezone

# Registers the person and intake case parts at collection time, before any test swaps the
# parts registry (a part registered while it is swapped would be lost afterwards).
import tumaini.cases.urls  # noqa: F401
from tests.factories import UserFactory
from tumaini.accounts.enums import Role
from tumaini.cases.enums import IntakeSource
from tumaini.cases.services.intake import case_open_from_intake
from tumaini.people.services import person_create


def make_person(*, user, team=None, given_name="Amina", family_name="Wanjiru", **kwargs):
    return person_create(
        actor=user,
        organisation=user.organisation,
        team=team,
        assigned_to=user,
        given_name=given_name,
        family_name=family_name,
        **kwargs,
    )


def make_case(*, user, person=None, team=None, cpo=None, **identity):
    """A case opened at intake by `user` (for a new person unless `person` is given)."""
    if person is None:
        identity.setdefault("given_name", "Amina")
        identity.setdefault("family_name", "Wanjiru")
    return case_open_from_intake(
        actor=user,
        person=person,
        identity=identity if person is None else None,
        intake={"source": IntakeSource.POLICE, "intake_date": timezone.localdate()},
        team=team,
        case_manager=user,
        child_protection_officer=cpo,
    )


def staff(personas, role, **kwargs):
    """A user of organisation A with one role (counsellor, shelter manager, analyst...)."""
    return UserFactory(organisation=personas.org_a, roles=[role], **kwargs)


OTHER_ROLES = [Role.COUNSELLOR, Role.SHELTER_MANAGER, Role.COUNTY_ANALYST]


def years_ago(years: int) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
