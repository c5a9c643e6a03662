from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.shelter.builders import make_facility, shelter_manager
from tumaini.people.enums import Gender
from tumaini.people.models import Person


@pytest.fixture
def manager(personas):
    return shelter_manager(personas)


@pytest.fixture
def facility(personas):
    return make_facility(personas.org_a, actor=personas.director)


def survivor_case(personas, *, gender=Gender.FEMININE, disability=None, **kwargs):
    """A case carried by `owner` in team A, its survivor of the given sex."""
    kwargs.setdefault("opened_days_ago", 30)
    case = owned_case(personas, **kwargs)
    changes = {"gender": gender} | ({"disability": disability} if disability else {})
    Person.objects.filter(pk=case.person_id).update(**changes)
    case.person.refresh_from_db()
    return case


@pytest.fixture
def adult_case(personas):
    """A woman's case carried by `owner`, opened 30 days ago."""
    return survivor_case(
        personas, given_name="Wanjiru", family_name="Kamau", case_number="TUM-26-AAAA-AA"
    )


@pytest.fixture
def child_case(personas):
    return survivor_case(
        personas,
        given_name="Zawadi",
        family_name="Otieno",
        child=True,
        case_number="TUM-26-CCCC-CC",
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def days_ago(today):
    return lambda n: today - timedelta(days=n)
