"""Survivor identities: services, the case page's person part, the identity edit page."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.people.builders import OTHER_ROLES, make_case, make_person, staff, years_ago
from tests.testapp.helpers import case_section, sign_in
from tumaini import startup
from tumaini.accounts.enums import Role
from tumaini.core import crypto
from tumaini.core.models import AuditEvent, Country, Language
from tumaini.people import selectors, services
from tumaini.people.models import Person, PersonNameToken

# --- Services ------------------------------------------------------------------------------------


def test_person_create_keeps_indexes_tokens_and_phone_in_e164(personas):
    person = make_person(
        user=personas.owner,
        given_name="Amina",
        other_names="Njeri",
        family_name="Wanjiru",
        phone="0722 000111",
        aliases=["Mama Njeri"],
    )
    assert person.full_name_index == crypto.blind_index(
        "Amina Njeri Wanjiru", purpose="person-full-name"
    )
    assert person.family_name_index == crypto.blind_index("wanjiru", purpose="person-family-name")
    assert person.contacts.get().value == "+254722000111"
    expected = services.name_tokens(["Amina", "Njeri", "Wanjiru", "Mama Njeri"])
    assert set(person.name_tokens.values_list("token", flat=True)) == expected
    # The alias shares its blind index with full names, so an alias finds a full name and back.
    assert person.aliases.get().name_index == crypto.blind_index(
        "mama njeri", purpose="person-full-name"
    )


def test_person_create_invalid_phone_is_refused_clearly(personas):
    with pytest.raises(ValidationError) as error:
        make_person(user=personas.owner, phone="not a phone")
    assert "valid phone number" in str(error.value)
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"date_of_birth": timezone.localdate() + timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": years_ago(121)}, "date_of_birth"),
        ({"estimated_age": 121}, "estimated_age"),
        ({"date_of_birth": years_ago(20), "estimated_age": 20}, "estimated_age"),
    ],
)
def test_person_create_impossible_age_names_the_field(personas, kwargs, field):
    with pytest.raises(ValidationError) as error:
        make_person(user=personas.owner, **kwargs)
    assert field in error.value.error_dict


def test_person_is_child_by_estimated_age_carried_forward(personas):
    person = make_person(user=personas.owner, estimated_age=17)
    assert person.is_child
    # Two years later the same estimate makes them 19: an update recomputes it.
    Person.objects.filter(pk=person.pk).update(
        age_estimated_on=timezone.localdate() - timedelta(days=2 * 366)
    )
    person.refresh_from_db()
    updated = services.person_update(
        actor=personas.owner,
        person=person,
        expected_version=person.version,
        changes={"gender": "Feminine"},
    )
    assert not updated.is_child
    assert services.person_update(
        actor=personas.owner,
        person=updated,
        expected_version=updated.version,
        changes={"assessed_as_child": True},
    ).is_child


def test_person_update_renames_index_and_tokens(personas):
    person = make_person(user=personas.owner)
    updated = services.person_update(
        actor=personas.owner,
        person=person,
        expected_version=person.version,
        changes={"given_name": "Zawadi"},
    )
    assert updated.full_name_index == crypto.blind_index(
        "Zawadi Wanjiru", purpose="person-full-name"
    )
    assert set(updated.name_tokens.values_list("token", flat=True)) == services.name_tokens(
        ["Zawadi", "Wanjiru"]
    )
    event = AuditEvent.objects.filter(action="update", object_id=str(person.public_id)).get()
    assert "given_name" in event.fields_changed and "full_name_index" in event.fields_changed


@pytest.fixture
def key_dir(tmp_path, settings, monkeypatch):
    """A data folder of our own holding the key files of this test (never the real one)."""
    for variable in ("TUMAINI_ENCRYPTION_KEYS", "TUMAINI_BLIND_INDEX_KEY"):
        monkeypatch.delenv(variable, raising=False)
    settings.DATA_DIR = tmp_path
    (tmp_path / "encryption_keys").write_text("\n".join(settings.TUMAINI_ENCRYPTION_KEYS) + "\n")
    settings.TUMAINI_BLIND_INDEX_KEY = startup.new_blind_index_key()
    (tmp_path / "blind_index_key").write_text(settings.TUMAINI_BLIND_INDEX_KEY + "\n")
    for name in ("encryption_keys", "blind_index_key"):
        (tmp_path / name).chmod(0o600)
    return tmp_path


def test_blind_index_key_rotation_recomputes_names_and_tokens(personas, key_dir):
    person = make_person(user=personas.owner, team=personas.team_a, aliases=["Mama Njeri"])
    old_index = person.full_name_index
    old_tokens = set(person.name_tokens.values_list("token", flat=True))
    call_command("rotate_keys", "--rotate-blind-index", stdout=StringIO())
    person.refresh_from_db()
    assert person.full_name_index != old_index
    assert person.full_name_index == crypto.blind_index("Amina Wanjiru", purpose="person-full-name")
    new_tokens = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
    assert new_tokens == services.name_tokens(["Amina", "Wanjiru", "Mama Njeri"])
    assert new_tokens.isdisjoint(old_tokens)
    # Duplicate detection still finds them, by spelling and by alias.
    for given, family in (("Aminah", "Wanjiru"), ("Mama", "Njeri")):
        check = selectors.person_duplicate_candidates(
            user=personas.owner, given_name=given, family_name=family
        )
        assert [m.person for m in check.matches] == [person]


def test_duplicate_candidates_score_and_reasons(personas):
    person = make_person(
        user=personas.owner,
        team=personas.team_a,
        given_name="Aminah",
        family_name="Wanjiru",
        date_of_birth=years_ago(20),
        phone="0712345678",
    )
    make_person(user=personas.owner, team=personas.team_a, given_name="Peter", family_name="Kamau")
    check = selectors.person_duplicate_candidates(
        user=personas.owner,
        given_name="Amina",
        family_name="Wanjiru",
        birth_year=years_ago(20).year,
        phone="+254712345678",
    )
    assert [m.person for m in check.matches] == [person]
    match = check.matches[0]
    assert set(match.reasons) == {"name", "phone", "birth_year"}
    assert match.score == 100
    assert check.hidden_count == 0


def test_duplicate_candidates_ignore_merged_people(personas):
    kept = make_person(user=personas.owner, team=personas.team_a)
    duplicate = make_person(user=personas.owner, team=personas.team_a)
    Person.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    check = selectors.person_duplicate_candidates(
        user=personas.owner, given_name="Amina", family_name="Wanjiru"
    )
    assert [m.person for m in check.matches] == [kept]


# --- The case page's person part -----------------------------------------------------------------


@pytest.fixture
def kenya():
    return Country.objects.get_or_create(code="KE", defaults={"name": "Kenya"})[0]


@pytest.fixture
def case(personas, kenya):
    swahili = Language.objects.get_or_create(code="sw", defaults={"name": "Swahili"})[0]
    case = make_case(
        user=personas.owner,
        team=personas.team_a,
        given_name="Amina",
        family_name="Wanjiru",
        estimated_age=22,
        citizenship=kenya,
        languages=[swahili],
        phone="0712345678",
        phone_is_safe=False,
    )
    services.person_add_identity_document(
        actor=personas.owner,
        person=case.person,
        kind="passport",
        number="AK123456",
        held_by_survivor=False,
    )
    return case


@pytest.mark.parametrize("persona", ["owner", "teammate", "director"])
def test_case_page_person_part_shows_identity_and_audits_it(client, personas, case, persona):
    response = sign_in(client, getattr(personas, persona)).get(case_section(case, "person"))
    assert response.status_code == 200
    page = response.content.decode()
    section = page.split('id="part-person"')[1].split("</section>")[0]
    assert "Amina Wanjiru" in section
    assert "Kenya" in section and "Swahili" in section
    assert "+254712345678" in section and "not safe: do not use" in section
    assert "AK123456" in section and "held by someone else" in section
    assert "Edit identity" in section
    assert AuditEvent.objects.filter(
        action="view", object_id=str(case.person.public_id), actor=getattr(personas, persona)
    ).exists()
    intake = page.split('id="part-intake"')[1].split("</section>")[0]
    assert "Police" in intake


def test_case_page_person_part_child_badge(client, personas):
    officer = staff(personas, Role.COUNSELLOR)
    case = make_case(user=personas.owner, team=personas.team_a, estimated_age=14, cpo=officer)
    page = sign_in(client, personas.owner).get(case_section(case, "person")).content.decode()
    section = page.split('id="part-person"')[1].split("</section>")[0]
    assert 'class="badge badge-warning">Child' in section


# --- The identity edit page ----------------------------------------------------------------------


def _edit(person):
    return f"/staff/people/{person.public_id}/edit/"


def _edit_data(person, **overrides):
    data = {
        "given_name": person.given_name,
        "other_names": person.other_names,
        "family_name": person.family_name,
        "gender": person.gender,
        "date_of_birth": "",
        "estimated_age": person.estimated_age if person.estimated_age is not None else "",
        "disability": person.disability,
        "disability_notes": "",
        "languages": list(person.languages.values_list("code", flat=True)),
        "version": person.version,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["owner", "teammate", "director"])
def test_person_edit_page_in_scope_shows_identity_and_audits(client, personas, case, persona):
    user = getattr(personas, persona)
    response = sign_in(client, user).get(_edit(case.person))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Amina"' in page and "AK123456" in page
    assert AuditEvent.objects.filter(
        action="view", object_id=str(case.person.public_id), actor=user
    ).exists()


@pytest.mark.parametrize("persona", ["outsider", "admin_user", *OTHER_ROLES])
def test_person_edit_page_out_of_scope_is_404(client, personas, case, persona):
    user = getattr(personas, persona) if hasattr(personas, persona) else staff(personas, persona)
    assert sign_in(client, user).get(_edit(case.person)).status_code == 404
    response = client.post(_edit(case.person), _edit_data(case.person, given_name="X"))
    assert response.status_code == 404
    case.person.refresh_from_db()
    assert case.person.given_name == "Amina"


def test_person_edit_page_anonymous_redirects_to_login(client, case):
    response = client.get(_edit(case.person))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_person_edit_saves_and_audits_field_names(client, personas, case):
    person = case.person
    response = sign_in(client, personas.owner).post(
        _edit(person), _edit_data(person, given_name="Aminah", estimated_age="23")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Aminah" and person.estimated_age == 23
    assert person.version == 2
    events = AuditEvent.objects.filter(
        action="update", object_id=str(person.public_id), actor=personas.owner
    ).exclude(fields_changed=["identity_documents"])
    # One event for the edit (the languages did not change, so no second one).
    event = events.get()
    assert {"given_name", "estimated_age"} <= set(event.fields_changed)
    assert "Aminah" not in str(event.detail)


def test_person_edit_stale_version_is_refused_keeping_both(client, personas, case):
    person = case.person
    services.person_update(
        actor=personas.teammate,
        person=person,
        expected_version=1,
        changes={"given_name": "Amira"},
    )
    response = sign_in(client, personas.owner).post(
        _edit(person), _edit_data(person, given_name="Aminah", version=1)
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this record" in page
    assert "Amira" in page and 'value="Aminah"' in page
    person.refresh_from_db()
    assert person.given_name == "Amira"


def test_person_edit_impossible_birth_date_keeps_what_was_typed(client, personas, case):
    person = case.person
    response = sign_in(client, personas.owner).post(
        _edit(person),
        _edit_data(person, given_name="Aminah", date_of_birth="2999-02-02", estimated_age=""),
    )
    assert response.status_code == 400
    assert "future" in str(response.context["form"].errors["date_of_birth"])
    page = response.content.decode()
    assert 'value="Aminah"' in page and 'value="2999-02-02"' in page
    person.refresh_from_db()
    assert person.given_name == "Amina"


def test_person_contact_add_normalises_phone_and_refuses_invalid(client, personas, case):
    person = case.person
    sign_in(client, personas.owner)
    url = f"/staff/people/{person.public_id}/contacts/add/"
    bad = client.post(url, {"kind": "phone", "value": "123"})
    assert bad.status_code == 400
    assert "valid phone number" in bad.content.decode()
    good = client.post(url, {"kind": "phone", "value": "0733 111222", "is_safe_to_use": "on"})
    assert good.status_code == 302
    assert person.contacts.filter(is_safe_to_use=True).get().value == "+254733111222"


def test_person_alias_add_and_remove_keeps_tokens(client, personas, case):
    person = case.person
    sign_in(client, personas.owner)
    client.post(f"/staff/people/{person.public_id}/aliases/add/", {"name": "Mama Baraka"})
    alias = person.aliases.get()
    assert services.name_tokens(["Baraka"]) <= set(
        person.name_tokens.values_list("token", flat=True)
    )
    client.post(f"/staff/people/{person.public_id}/aliases/{alias.pk}/remove/")
    assert not person.aliases.exists()
    assert not services.name_tokens(["Baraka"]) & set(
        person.name_tokens.values_list("token", flat=True)
    )


def test_person_part_add_out_of_scope_is_404(client, personas, case):
    response = sign_in(client, personas.outsider).post(
        f"/staff/people/{case.person.public_id}/aliases/add/", {"name": "X"}
    )
    assert response.status_code == 404
    assert not case.person.aliases.exists()


def test_no_plaintext_name_in_the_database(personas):
    make_person(user=personas.owner, given_name="Wairimu", family_name="Odhiambo")
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name FROM people_person")
        raw = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert "Wairimu" not in raw and "Odhiambo" not in raw
