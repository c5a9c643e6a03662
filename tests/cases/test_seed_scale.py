"""manage.py seed_scale: N synthetic survivors, deterministic for a seed, searchable by blind index."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.testapp.helpers import sign_in
from tumaini.cases.enums import CaseStage
from tumaini.cases.models import Case, CaseNote, Intake, TraffickingEvent
from tumaini.core import crypto
from tumaini.people.models import Person, PersonNameToken

N = 200


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", stdout=StringIO())


def seed_scale(*args):
    out = StringIO()
    call_command("seed_scale", "--survivors", str(N), *args, stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(
        (
            case.case_number,
            str(case.public_id),
            case.stage,
            case.person.full_name,
            case.person.gender,
            str(case.person.date_of_birth),
            case.opened_at.isoformat(),
            case.assigned_to_id,
            case.notes.count(),
            case.events.count(),
        )
        for case in Case.objects.select_related("person")
    )


def test_seed_scale_creates_n_survivors_with_cases_notes_and_events(personas, reference_data):
    output = seed_scale("--organisation", personas.org_a.name)

    assert f"Created {N} survivors" in output
    assert Person.objects.count() == N
    assert Case.objects.count() == N
    assert Intake.objects.count() == N
    assert 2 * N <= CaseNote.objects.count() <= 4 * N
    assert N <= TraffickingEvent.objects.count() <= 3 * N
    cases = list(Case.objects.select_related("person"))
    assert {c.stage for c in cases} == set(CaseStage.values)
    assert {c.person.gender for c in cases} == {"Feminine", "Masculine"}
    assert {c.person.is_child for c in cases} == {True, False}
    exploitation = set(
        TraffickingEvent.objects.filter(type="Exploitation").values_list("country_id", flat=True)
    )
    assert "KE" in exploitation and len(exploitation) > 1
    years = {c.opened_at.year for c in cases}
    assert max(years) - min(years) >= 8
    # Every case is in the organisation, in team A, with one of its case managers.
    assert {c.organisation_id for c in cases} == {personas.org_a.pk}
    assert {c.assigned_to_id for c in cases} == {personas.owner.pk, personas.teammate.pk}
    assert all(c.person.assigned_to_id == c.assigned_to_id for c in cases)


def test_seed_scale_is_deterministic_for_a_seed(personas, reference_data):
    seed_scale("--seed", "7", "--organisation", personas.org_a.name)
    first = snapshot()
    Case.objects.all().delete()
    Person.objects.all().delete()

    seed_scale("--seed", "7", "--organisation", personas.org_a.name)

    assert snapshot() == first
    Case.objects.all().delete()
    Person.objects.all().delete()
    seed_scale("--seed", "8", "--organisation", personas.org_a.name)
    assert snapshot() != first


def test_seed_scale_same_seed_twice_is_refused(personas, reference_data):
    seed_scale("--organisation", personas.org_a.name)

    with pytest.raises(CommandError, match="already in this database"):
        seed_scale("--organisation", personas.org_a.name)
    assert Case.objects.count() == N


def test_seed_scale_names_are_found_through_the_blind_indexes(personas, reference_data):
    output = seed_scale("--organisation", personas.org_a.name)
    people = list(Person.objects.all())
    surnames = Counter(p.family_name for p in people)

    match = re.search(r"surname ~5%\s+'([^']+)': (\d+) survivors", output)
    commonest, held = match.group(1), int(match.group(2))
    assert (commonest, held) == surnames.most_common(1)[0]
    assert held >= N * 0.02  # a flattened Zipf curve: the commonest surname is common
    found = Person.objects.filter(
        family_name_index=crypto.blind_index(commonest, purpose="person-family-name")
    )
    assert found.count() == held
    for person in people[:20]:
        assert (
            Person.objects.filter(
                full_name_index=crypto.blind_index(person.full_name, purpose="person-full-name")
            )
            .filter(pk=person.pk)
            .exists()
        )
        tokens = set(crypto.phonetic_tokens(person.full_name, purpose="person-name"))
        assert tokens == set(
            PersonNameToken.objects.filter(person=person).values_list("token", flat=True)
        )


def test_seed_scale_name_search_on_the_case_list_finds_the_survivor(
    client, personas_with_mfa, reference_data
):
    seed_scale("--organisation", personas_with_mfa.org_a.name)
    adult = Case.objects.select_related("person").filter(person__is_child=False).first()
    sign_in(client, adult.assigned_to)

    response = client.get(reverse("cases:case_list"), {"tab": "mine", "q": adult.person.full_name})

    assert response.status_code == 200
    assert adult.case_number in response.content.decode()


def test_seed_scale_without_organisation_or_survivors_explains(db):
    with pytest.raises(CommandError, match="--organisation"):
        seed_scale()
    with pytest.raises(CommandError, match="No organisation named"):
        seed_scale("--organisation", "Nowhere")
