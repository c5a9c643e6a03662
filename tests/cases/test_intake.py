"""Intake at /staff/cases/new/: a survivor's identity and how they came, with the duplicate check."""

import secrets

import pytest
from django.urls import reverse

from tests.factories import TeamFactory, UserFactory
from tests.people.builders import OTHER_ROLES, make_case, staff, years_ago
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import CaseFlag, CaseStage
from tumaini.cases.models import Case, Intake
from tumaini.core import crypto
from tumaini.core.models import AuditEvent
from tumaini.people.models import Person, PersonContact, PersonNameToken

URL = "/staff/cases/new/"


def _form(personas, **overrides):
    data = {
        "given_name": "Grace",
        "family_name": "Achieng",
        "other_names": "",
        "gender": "Feminine",
        "date_of_birth": "",
        "estimated_age": "24",
        "disability": "unknown",
        "phone": "0712 345678",
        "phone_is_safe": "on",
        "source": "police",
        "intake_date": "2025-01-15",
        "where_identified": "Eastleigh bus stage",
        "narrative": "Promised work in a hotel; passport taken.",
        "immediate_needs": "Shelter tonight",
        "team": str(personas.team_a.public_id),
        "case_manager": str(personas.owner.public_id),
        "child_protection_officer": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client, personas):
    return sign_in(client, personas.owner)


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "teammate", "director"])
def test_intake_page_for_case_creators_shows_the_form(client, personas, persona):
    response = sign_in(client, getattr(personas, persona)).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="given_name"' in page
    assert 'name="child_protection_officer"' in page
    # The user's first team and the user themselves are the defaults.
    if persona != "director":
        assert f'value="{personas.team_a.public_id}" selected' in page


def test_intake_page_for_outsider_offers_only_their_own_organisation(client, personas):
    # A director of another organisation may open cases, for their own organisation only.
    response = sign_in(client, personas.outsider).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert str(personas.team_a.public_id) not in page
    assert str(personas.owner.public_id) not in page


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, *OTHER_ROLES])
def test_intake_page_without_case_create_right_is_404(client, personas, role):
    user = personas.admin_user if role == Role.SYSTEM_ADMIN else staff(personas, role)
    assert sign_in(client, user).get(URL).status_code == 404
    assert sign_in(client, user).post(URL, _form(personas)).status_code == 404
    assert not Case.objects.exists()


def test_intake_page_anonymous_redirects_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_intake_menu_item_shows_to_case_managers_only(client, personas):
    assert "New intake" in sign_in(client, personas.owner).get("/staff/").content.decode()
    client.logout()
    assert "New intake" not in sign_in(client, personas.admin_user).get("/staff/").content.decode()


# --- Opening a case ----------------------------------------------------------------------------


def test_intake_new_survivor_opens_case_and_shows_it(owner_client, personas):
    response = owner_client.post(URL, _form(personas))
    assert response.status_code == 302
    case = Case.objects.get()
    # The person tab: whom the case is about, and consent, the next step.
    assert response["Location"] == (
        reverse("cases:case_detail", args=[case.public_id]) + "?section=person"
    )
    page = owner_client.get(response["Location"]).content.decode()
    assert "Grace" in page and "Achieng" in page
    person = case.person
    assert (person.given_name, person.family_name) == ("Grace", "Achieng")
    assert person.organisation == personas.org_a
    assert person.team == personas.team_a and person.assigned_to == personas.owner
    assert person.full_name_index == crypto.blind_index("grace achieng", purpose="person-full-name")
    assert PersonNameToken.objects.filter(person=person).count() == 2
    assert not person.is_child
    assert case.stage == CaseStage.SCREENING
    assert case.case_number.startswith("TUM-")
    assert case.opened_at is not None
    assert case.flags == []
    contact = PersonContact.objects.get(person=person)
    assert contact.value == "+254712345678" and contact.is_safe_to_use
    intake = Intake.objects.get(case=case)
    assert intake.narrative == "Promised work in a hotel; passport taken."
    assert intake.recorded_by == personas.owner

    page = owner_client.get(case_section(case, "person")).content.decode()
    assert "Grace Achieng" in page
    assert "+254712345678" in page
    assert "safe to use" in page
    assert "Eastleigh bus stage" in page
    assert "Police" in page


def test_intake_audits_creations_with_field_names_only(owner_client, personas):
    owner_client.post(URL, _form(personas))
    case = Case.objects.get()
    created = {e.object_type: e for e in AuditEvent.objects.filter(action="create")}
    assert set(created) == {"people.person", "cases.case", "cases.intake"}
    assert "given_name" in created["people.person"].fields_changed
    assert "contacts" in created["people.person"].fields_changed
    assert "narrative" in created["cases.intake"].fields_changed
    assert created["cases.case"].object_id == str(case.public_id)
    for event in created.values():
        text = f"{event.fields_changed} {event.detail} {event.reason}"
        assert "Grace" not in text and "Achieng" not in text and "passport" not in text


def test_intake_case_number_clash_draws_again(owner_client, personas, monkeypatch):
    first = make_case(user=personas.owner, team=personas.team_a, given_name="Zawadi")
    taken = first.case_number.split("-")
    taken_body = taken[2] + taken[3]
    free_body = "CCCCCC" if taken_body != "CCCCCC" else "DDDDDD"
    draws = iter(taken_body + free_body)
    # Only the randomness is replaced: the first draw repeats an existing number.
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    response = owner_client.post(URL, _form(personas))
    assert response.status_code == 302
    new_case = Case.objects.exclude(pk=first.pk).get()
    assert new_case.case_number.endswith(f"{free_body[:4]}-{free_body[4:]}")


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date_of_birth": "2999-01-01", "estimated_age": ""}, "date_of_birth", "future"),
        ({"date_of_birth": "1850-05-01", "estimated_age": ""}, "date_of_birth", "120 years"),
        ({"estimated_age": "150"}, "estimated_age", "between 0 and 120"),
        ({"estimated_age": "-2"}, "estimated_age", "between 0 and 120"),
        ({"date_of_birth": "2000-01-01", "estimated_age": "24"}, "estimated_age", "not both"),
        ({"phone": "12345"}, "phone", "valid phone number"),
        ({"intake_date": "2999-01-01"}, "intake_date", "future"),
    ],
)
def test_intake_bad_input_is_refused_next_to_the_field_keeping_what_was_typed(
    owner_client, personas, overrides, field, message
):
    response = owner_client.post(URL, _form(personas, **overrides))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    page = response.content.decode()
    # The error sits inside the field's own block, and what was typed is still there.
    block = page.split(f'id="id_{field}"')[0].rsplit('<div class="field', 1)[1]
    assert "field-error" in block
    assert 'value="Grace"' in page
    assert "Promised work in a hotel; passport taken." in page
    assert not Case.objects.exists() and not Person.objects.exists()


def test_intake_child_without_protection_officer_is_refused(owner_client, personas):
    response = owner_client.post(URL, _form(personas, estimated_age="15"))
    assert response.status_code == 400
    errors = response.context["form"].errors["child_protection_officer"]
    assert "child protection officer" in str(errors)
    page = response.content.decode()
    cpo_block = page.split('id="id_child_protection_officer"')[0].rsplit('<div class="field', 1)[1]
    assert "(required)" in cpo_block
    assert not Case.objects.exists()


def test_intake_child_by_date_of_birth_with_officer_is_flagged(owner_client, personas):
    officer = UserFactory(organisation=personas.org_a, roles=[Role.COUNSELLOR])
    data = _form(
        personas,
        estimated_age="",
        date_of_birth=years_ago(12).isoformat(),
        child_protection_officer=str(officer.public_id),
    )
    assert owner_client.post(URL, data).status_code == 302
    case = Case.objects.get()
    assert case.person.is_child
    assert case.flags == [CaseFlag.CHILD]
    assert case.child_protection_officer == officer


def test_intake_assessed_as_child_needs_officer_whatever_the_age(owner_client, personas):
    response = owner_client.post(URL, _form(personas, assessed_as_child="on"))
    assert response.status_code == 400
    assert "child_protection_officer" in response.context["form"].errors


def test_intake_officer_from_another_organisation_is_not_a_choice(owner_client, personas):
    data = _form(
        personas, estimated_age="15", child_protection_officer=str(personas.outsider.public_id)
    )
    response = owner_client.post(URL, data)
    assert response.status_code == 400
    assert "child_protection_officer" in response.context["form"].errors


# --- Duplicates ----------------------------------------------------------------------------------


@pytest.fixture
def amina(personas):
    return make_case(
        user=personas.owner,
        team=personas.team_a,
        given_name="Amina",
        family_name="Wanjiru",
        estimated_age=22,
    )


@pytest.mark.parametrize(
    ("given", "family"), [("AMINA", "WANJIRU"), ("Aminah", "Wanjiru"), ("amina", "wanjiru ")]
)
def test_intake_existing_survivor_spelled_differently_is_warned(
    owner_client, personas, amina, given, family
):
    response = owner_client.post(URL, _form(personas, given_name=given, family_name=family))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This survivor may already be registered" in page
    assert "Amina Wanjiru" in page
    assert amina.case_number in page
    assert f'value="link:{amina.person.public_id}"' in page
    assert 'value="new"' in page
    # Everything typed is still in the form.
    assert f'value="{given}"' in page
    assert "Promised work in a hotel; passport taken." in page
    assert Case.objects.count() == 1


def test_intake_same_phone_different_name_is_warned(owner_client, personas):
    make_case(user=personas.owner, team=personas.team_a, given_name="Mercy", phone="+254712345678")
    response = owner_client.post(URL, _form(personas))
    page = response.content.decode()
    assert "Mercy" in page and "same phone" in page


def test_intake_link_to_existing_person_adds_the_case_to_them(owner_client, personas, amina):
    data = _form(
        personas,
        given_name="Aminah",
        family_name="Wanjiru",
        decision=f"link:{amina.person.public_id}",
    )
    response = owner_client.post(URL, data)
    assert response.status_code == 302
    assert Person.objects.count() == 1
    new_case = Case.objects.exclude(pk=amina.pk).get()
    assert new_case.person == amina.person
    # The existing identity is kept as it was.
    amina.person.refresh_from_db()
    assert amina.person.given_name == "Amina"


def test_intake_this_is_a_new_person_registers_them(owner_client, personas, amina):
    data = _form(personas, given_name="Aminah", family_name="Wanjiru", decision="new")
    assert owner_client.post(URL, data).status_code == 302
    assert Person.objects.count() == 2
    assert Case.objects.exclude(pk=amina.pk).get().person.given_name == "Aminah"


def test_intake_link_to_person_out_of_scope_is_refused(owner_client, personas):
    other_team = TeamFactory(organisation=personas.org_a, name="Team C")
    colleague = UserFactory(
        organisation=personas.org_a, roles=[Role.CASE_MANAGER], teams=[other_team]
    )
    hidden = make_case(user=colleague, team=other_team)
    data = _form(
        personas,
        given_name="Amina",
        family_name="Wanjiru",
        decision=f"link:{hidden.person.public_id}",
    )
    response = owner_client.post(URL, data)
    assert response.status_code == 400
    assert Case.objects.count() == 1


def test_intake_matches_outside_scope_are_only_counted(owner_client, personas):
    other_team = TeamFactory(organisation=personas.org_a, name="Team C")
    colleague = UserFactory(
        organisation=personas.org_a, roles=[Role.CASE_MANAGER], teams=[other_team]
    )
    hidden = make_case(user=colleague, team=other_team, given_name="Amina", family_name="Wanjiru")
    response = owner_client.post(URL, _form(personas, given_name="Aminah", family_name="Wanjiru"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 possible match in records you cannot see" in page
    assert hidden.case_number not in page
    assert str(hidden.person.public_id) not in page
    # The name shown is only the one typed (in the form), never the stored spelling.
    assert 'value="Amina"' not in page and ">Amina Wanjiru<" not in page
    event = AuditEvent.objects.filter(action="view", object_type="people.person").last()
    assert event.detail == {"duplicate_check": [], "hidden_count": 1}


def test_intake_matches_in_other_organisations_are_not_mentioned(owner_client, personas):
    make_case(user=personas.outsider, given_name="Amina", family_name="Wanjiru")
    response = owner_client.post(URL, _form(personas, given_name="Amina", family_name="Wanjiru"))
    assert response.status_code == 302


def test_intake_director_sees_matches_of_every_team(client, personas):
    other_team = TeamFactory(organisation=personas.org_a, name="Team C")
    colleague = UserFactory(
        organisation=personas.org_a, roles=[Role.CASE_MANAGER], teams=[other_team]
    )
    hidden = make_case(user=colleague, team=other_team, given_name="Amina", family_name="Wanjiru")
    response = sign_in(client, personas.director).post(
        URL, _form(personas, given_name="Aminah", family_name="Wanjiru")
    )
    page = response.content.decode()
    assert hidden.case_number in page
    assert "records you cannot see" not in page


def test_intake_duplicate_candidates_render_in_constant_queries(
    owner_client, personas, django_assert_max_num_queries
):
    def count_for(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = owner_client.post(
                URL, _form(personas, given_name="Baraka", family_name="Otieno")
            )
        assert response.content.decode().count('class="duplicate-match"') == n
        return len(captured)

    make_case(user=personas.owner, team=personas.team_a, given_name="Baraka", family_name="Otieno")
    one = count_for(1)
    for i in range(9):
        make_case(
            user=personas.owner,
            team=personas.team_a,
            given_name="Baraka",
            family_name="Otieno",
            phone=f"+2547123400{i:02d}",
        )
    with django_assert_max_num_queries(one):
        ten = count_for(10)
    assert ten == one


# The intake POST that shows candidates: the duplicate check, the audit event and the form again.
# A bound that fails if a query creeps in per candidate or per choice list.
INTAKE_DUPLICATES_MAX_QUERIES = 34


def test_intake_duplicate_check_page_stays_within_its_query_budget(
    owner_client, personas, django_assert_max_num_queries
):
    for i in range(3):
        make_case(
            user=personas.owner,
            team=personas.team_a,
            given_name="Baraka",
            family_name="Otieno",
            phone=f"+2547123401{i:02d}",
        )
    with django_assert_max_num_queries(INTAKE_DUPLICATES_MAX_QUERIES):
        page = owner_client.post(
            URL, _form(personas, given_name="Baraka", family_name="Otieno")
        ).content.decode()
    assert page.count('class="duplicate-match"') == 3


def test_intake_name_shared_by_more_people_than_compared_finds_those_holding_every_name(
    owner_client, personas, monkeypatch
):
    from tumaini.people import selectors

    # Spelled differently (no exact full-name hit), so the candidates come from the phonetic tokens;
    # fewer people are compared than hold both names: those compared hold both.
    monkeypatch.setattr(selectors, "CANDIDATE_LIMIT", 2)
    for i in range(3):
        make_case(
            user=personas.owner, team=personas.team_a, given_name="Barakah", family_name="Otieno"
        )
    make_case(user=personas.owner, team=personas.team_a, given_name="Barakah", family_name="Kamau")
    page = owner_client.post(
        URL, _form(personas, given_name="Baraka", family_name="Otieno", phone="")
    ).content.decode()
    assert page.count('class="duplicate-match"') == 2
    assert "Kamau" not in page
