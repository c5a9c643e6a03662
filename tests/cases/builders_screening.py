"""Builders for the screening and exploitation-profile tests: cases made with the models (intake is
another area), reference data and the default screening set loaded the way `make run` loads them."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.models import Case, new_case_number
from tumaini.core.reference import load_reference_data
from tumaini.people.models import Person


def make_case(*, personas, child=False, assigned_to=None) -> Case:
    organisation = personas.org_a
    owner = assigned_to or personas.owner
    person = Person.objects.create(
        organisation=organisation,
        team=personas.team_a,
        assigned_to=owner,
        given_name="Halima",
        family_name="Achieng",
        is_child=child,
        date_of_birth=date(2011, 5, 1) if child else date(1994, 5, 1),
    )
    return Case.objects.create(
        person=person,
        organisation=organisation,
        team=personas.team_a,
        assigned_to=owner,
        case_number=new_case_number(timezone.now().year),
        opened_at=timezone.now() - timedelta(days=3),
    )


@pytest.fixture
def reference(db):
    load_reference_data()
    call_command("load_screening_sets", verbosity=0)


@pytest.fixture
def org_a_others(personas):
    """Staff of organisation A whose roles give no access to case files."""
    return [
        UserFactory(username=f"{role}_a", organisation=personas.org_a, roles=[role])
        for role in (Role.COUNSELLOR, Role.SHELTER_MANAGER, Role.COUNTY_ANALYST)
    ]


def matrix(personas, org_a_others):
    """(user, expected status) for every persona of the access matrix."""
    return [
        (personas.owner, 200),
        (personas.teammate, 200),
        (personas.director, 200),
        (personas.outsider, 404),
        (personas.admin_user, 404),
        *[(user, 404) for user in org_a_others],
    ]


def signed_in(client, user):
    client.logout()
    return sign_in(client, user)
