"""Cases built straight with the models, for the tests of the case page, lists, notes, documents
and consent (the intake services belong to another area)."""

from datetime import date, timedelta

from django.utils import timezone

from tumaini.cases.models import Case, ExploitationProfile, new_case_number
from tumaini.core import crypto
from tumaini.people.models import Person


def make_person(*, organisation, given_name="Amina", family_name="Wanjiru", child=False, **extra):
    person = Person(
        organisation=organisation,
        given_name=given_name,
        family_name=family_name,
        is_child=child,
        date_of_birth=date(2012, 1, 1) if child else date(1995, 1, 1),
        **extra,
    )
    # The people services keep this index; here it is set the same way.
    person.full_name_index = crypto.blind_index(person.full_name, purpose="person-full-name")
    person.save()
    return person


def make_case(
    *,
    organisation,
    assigned_to=None,
    team=None,
    given_name="Amina",
    family_name="Wanjiru",
    child=False,
    opened_days_ago=10,
    next_action_due=None,
    exploitation_types=None,
    case_number=None,
    **extra,
) -> Case:
    person = make_person(
        organisation=organisation,
        given_name=given_name,
        family_name=family_name,
        child=child,
        assigned_to=assigned_to,
        team=team,
    )
    case = Case.objects.create(
        person=person,
        organisation=organisation,
        team=team,
        assigned_to=assigned_to,
        case_number=case_number or new_case_number(timezone.now().year),
        opened_at=timezone.now() - timedelta(days=opened_days_ago),
        next_action_due=next_action_due,
        **extra,
    )
    if exploitation_types is not None:
        ExploitationProfile.objects.create(case=case, exploitation_types=exploitation_types)
    return case


def owned_case(personas, **kwargs) -> Case:
    """A case of organisation A, carried by `owner` in team A."""
    kwargs.setdefault("assigned_to", personas.owner)
    kwargs.setdefault("team", personas.team_a)
    return make_case(organisation=personas.org_a, **kwargs)
