"""Staff pages of the partner directory: search by need and place, entries, edits, who sees what."""

import pytest

from tests.core.test_csp import assert_no_inline_code
from tests.directory.builders import SHELTER_ADDRESS, partner, places, shelter_partner
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.care.enums import ServiceType
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.directory.models import DirectoryProfile, PartnerService

pytestmark = pytest.mark.django_db

LIST = "/staff/directory/"


def _user(personas, role, *, organisation=None):
    return UserFactory(
        username=f"u-{role}", organisation=organisation or personas.org_a, roles=[role]
    )


@pytest.fixture
def hospital(personas):
    return partner()


def _entry(service):
    return f"/staff/directory/organisations/{service.organisation.public_id}/"


def _profile_edit(service):
    return f"{_entry(service)}edit/"


def _service_edit(service):
    return f"/staff/directory/services/{service.public_id}/edit/"


# --- Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["owner", "director", "outsider", "admin_user", Role.TRAINER, Role.PARTNER_USER],
)
def test_directory_list_is_open_to_every_staff_role(client, personas, hospital, persona):
    user = getattr(personas, persona, None) or _user(personas, persona)
    response = sign_in(client, user).get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Post-rape care" in text
    assert "Mji Mwema Test Hospital" in text


def test_directory_list_without_a_role_is_404(client, personas, hospital):
    nobody = UserFactory(username="nobody", organisation=personas.org_a, roles=[])
    response = sign_in(client, nobody).get(LIST)
    assert response.status_code == 404
    assert "Post-rape care" not in response.content.decode()


def test_directory_list_anonymous_goes_to_login(client, hospital):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_directory_search_by_need(client, personas):
    partner("Hospital A")
    partner("Clinic B", service_name="Court help", types=(ServiceType.LEGAL_AID,))
    text = sign_in(client, personas.owner).get(f"{LIST}?service_type=legal_aid").content.decode()
    assert "Court help" in text
    assert "Post-rape care" not in text


def test_directory_search_by_place_includes_county_wide_services(client, personas):
    geo = places()
    partner("Starehe Clinic", service_name="Starehe care")
    partner("Kibra Clinic", service_name="Kibra care", sub_county_code=278)
    county_wide = partner("County Service", service_name="County-wide care", sub_county_code=278)
    county_wide.catchment_sub_counties.clear()
    county_wide.catchment_counties.set([geo["nairobi"]])
    county_wide.at_locations.all().delete()
    text = sign_in(client, personas.owner).get(f"{LIST}?sub_county=289").content.decode()
    assert "Starehe care" in text
    assert "County-wide care" in text
    assert "Kibra care" not in text
    text = client.get(f"{LIST}?county=22").content.decode()
    assert "No service matches" in text


def test_directory_search_by_text(client, personas):
    partner("Hospital A")
    partner("Clinic B", service_name="Court help", types=(ServiceType.LEGAL_AID,))
    text = sign_in(client, personas.owner).get(f"{LIST}?q=clinic").content.decode()
    assert "Court help" in text
    assert "Post-rape care" not in text


def test_directory_search_with_htmx_returns_only_the_results(client, personas, hospital):
    response = sign_in(client, personas.owner).get(LIST, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'id="directory-results"' in text
    assert "Post-rape care" in text
    assert "<form" not in text


def test_directory_list_paginates(client, personas):
    for number in range(22):
        partner(f"Partner {number:02d}")
    text = sign_in(client, personas.owner).get(LIST).content.decode()
    assert "22 services" in text
    assert "Page 1 of 2" in text
    assert "Partner 21" not in text
    assert "Partner 21" in client.get(f"{LIST}?page=2").content.decode()


def test_directory_list_query_count_does_not_grow(client, personas, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partner("Partner 0")
    sign_in(client, personas.owner).get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    partner("Partner 1")
    partner("Partner 2", service_name="Court help", types=(ServiceType.LEGAL_AID,))
    with django_assert_num_queries(len(one.captured_queries)):
        text = client.get(LIST).content.decode()
    assert "3 services" in text


def test_mou_column_only_for_those_who_manage_partnerships(client, personas, hospital):
    text = sign_in(client, personas.director).get(LIST).content.decode()
    assert "Signed" in text
    text = sign_in(client, personas.owner).get(LIST).content.decode()
    assert ">MoU<" not in text


@pytest.mark.parametrize(
    ("persona", "contacts", "mou"),
    [
        ("director", True, True),
        (Role.DIRECTORY_EDITOR, True, True),
        ("owner", True, False),
        (Role.HOTLINE_AGENT, True, False),
        (Role.TRAINER, False, False),
        (Role.FUNDRAISER, False, False),
        ("admin_user", False, False),
    ],
)
def test_entry_shows_contacts_and_mou_by_role(client, personas, hospital, persona, contacts, mou):
    user = getattr(personas, persona, None) or _user(personas, persona)
    response = sign_in(client, user).get(_entry(hospital))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Post-rape care" in text
    assert "Mji Mwema Test Hospital description" in text
    assert ("Contact Person Secretname" in text) is contacts
    assert ("MOU-SECRET-NOTE" in text) is mou


def test_partner_user_sees_own_mou_and_contacts_only(client, personas, hospital):
    own = UserFactory(
        username="own-partner", organisation=hospital.organisation, roles=[Role.PARTNER_USER]
    )
    other = _user(personas, Role.PARTNER_USER)
    text = sign_in(client, own).get(_entry(hospital)).content.decode()
    assert "MOU-SECRET-NOTE" in text and "Contact Person Secretname" in text
    text = sign_in(client, other).get(_entry(hospital)).content.decode()
    assert "MOU-SECRET-NOTE" not in text and "Contact Person Secretname" not in text
    assert "Post-rape care" in text


def test_entry_of_an_unknown_organisation_is_404(client, personas):
    response = sign_in(client, personas.owner).get(
        "/staff/directory/organisations/5b0c9d8e-0000-4000-8000-000000000000/"
    )
    assert response.status_code == 404


def test_shelter_address_only_for_those_who_keep_the_entry(client, personas):
    shelter = shelter_partner()
    text = sign_in(client, personas.owner).get(_entry(shelter)).content.decode()
    assert "Confidential location" in text
    assert SHELTER_ADDRESS not in text
    text = sign_in(client, personas.director).get(_entry(shelter)).content.decode()
    assert SHELTER_ADDRESS in text


# --- Editing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("outsider", 200),  # a director of another organisation keeps the shared directory too
        (Role.DIRECTORY_EDITOR, 200),
        ("owner", 404),
        ("admin_user", 404),
        (Role.PARTNER_USER, 404),
        (Role.COUNTY_ANALYST, 404),
    ],
)
def test_edit_pages_access_matrix(client, personas, hospital, persona, status):
    user = getattr(personas, persona, None) or _user(personas, persona)
    sign_in(client, user)
    for url in (_profile_edit(hospital), _service_edit(hospital)):
        response = client.get(url)
        assert response.status_code == status, url
        text = response.content.decode()
        if status == 200:
            assert "Mji Mwema Test Hospital" in text
        else:
            assert "Mji Mwema Test Hospital" not in text


def test_partner_user_edits_own_entry_but_not_its_mou(client, personas, hospital):
    own = UserFactory(
        username="own-partner", organisation=hospital.organisation, roles=[Role.PARTNER_USER]
    )
    response = sign_in(client, own).get(_profile_edit(hospital))
    assert response.status_code == 200
    assert 'name="description"' in response.content.decode()
    assert 'name="mou_status"' not in response.content.decode()
    profile = hospital.organisation.directory_profile
    response = client.post(
        _profile_edit(hospital),
        {
            "description": "New description",
            "is_listed": "on",
            "mou_status": "none",
            "version": profile.version,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.description == "New description"
    assert profile.mou_status == "signed"  # not theirs to change


def _profile_post(profile, **changes):
    data = {
        "description": profile.description,
        "website": profile.website,
        "email": profile.email,
        "legal_status": profile.legal_status,
        "is_listed": "on",
        "mou_status": profile.mou_status,
        "mou_signed_on": "2025-01-01",
        "mou_expires_on": "",
        "mou_notes": profile.mou_notes,
        "version": profile.version,
    }
    data.update(changes)
    return data


def test_director_edits_the_mou_and_it_is_audited(client, personas, hospital):
    profile = hospital.organisation.directory_profile
    response = sign_in(client, personas.director).post(
        _profile_edit(hospital),
        _profile_post(profile, mou_status="expired", mou_expires_on="2026-01-01"),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.mou_status == "expired"
    assert profile.version == 2
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="directory.directoryprofile"
    ).get()
    assert set(event.fields_changed) == {"mou_status", "mou_expires_on"}
    assert event.actor_username == "director_a"


def test_stale_profile_edit_is_refused_and_the_typing_kept(client, personas, hospital):
    profile = hospital.organisation.directory_profile
    sign_in(client, personas.director)
    client.post(_profile_edit(hospital), _profile_post(profile, legal_status="First edit"))
    response = client.post(
        _profile_edit(hospital), _profile_post(profile, legal_status="Second, stale edit")
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else changed this record" in text
    assert "Second, stale edit" in text
    profile.refresh_from_db()
    assert profile.legal_status == "First edit"


def test_profile_edit_shows_errors_next_to_the_fields(client, personas, hospital):
    profile = hospital.organisation.directory_profile
    response = sign_in(client, personas.director).post(
        _profile_edit(hospital),
        _profile_post(
            profile,
            description="",
            website="not a url at all",
            mou_signed_on="",
            mou_notes="Typed notes kept",
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required" in text
    assert "Enter a valid URL" in text
    assert "A signed or expired MoU needs the date it was signed." in text
    assert "Typed notes kept" in text


def test_director_writes_the_entry_of_an_organisation_without_one(client, personas):
    places()
    response = sign_in(client, personas.director).get(LIST)
    assert "Write the entry of Other NGO" in response.content.decode()
    url = f"/staff/directory/organisations/{personas.org_b.public_id}/edit/"
    response = client.post(
        url,
        {
            "description": "Shelter and counselling",
            "is_listed": "on",
            "mou_status": "none",
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert DirectoryProfile.objects.get(organisation=personas.org_b).description == (
        "Shelter and counselling"
    )


def _service_post(service, **changes):
    data = {
        "name": service.name,
        "service_types": ["medical"],
        "status": "active",
        "eligible_sex": "any",
        "eligible_nationality": "any",
        "minimum_age": "",
        "maximum_age": "",
        "version": service.version,
    }
    data.update(changes)
    return data


def test_service_edit_saves_types_and_bumps_modified(client, personas, hospital):
    before = hospital.updated_at
    response = sign_in(client, personas.director).post(
        _service_edit(hospital),
        _service_post(hospital, service_types=["medical", "psychosocial"], minimum_age="12"),
    )
    assert response.status_code == 302
    hospital.refresh_from_db()
    assert hospital.version == 2
    assert hospital.minimum_age == 12
    assert hospital.updated_at > before
    assert sorted(hospital.service_types.values_list("service_type", flat=True)) == [
        "medical",
        "psychosocial",
    ]


def test_stale_service_edit_is_refused(client, personas, hospital):
    sign_in(client, personas.director)
    client.post(_service_edit(hospital), _service_post(hospital, wait_time="One day"))
    response = client.post(_service_edit(hospital), _service_post(hospital, wait_time="Stale"))
    assert response.status_code == 409
    assert "Stale" in response.content.decode()
    hospital.refresh_from_db()
    assert hospital.wait_time == "One day"


def test_service_form_refuses_bad_ages_and_duplicate_names(client, personas, hospital):
    sign_in(client, personas.director)
    response = client.post(
        _service_edit(hospital), _service_post(hospital, minimum_age="18", maximum_age="5")
    )
    assert response.status_code == 400
    assert "The maximum age cannot be below the minimum age." in response.content.decode()
    url = f"{_entry(hospital)}services/new/"
    response = client.post(url, _service_post(hospital, name="post-rape CARE", version=""))
    assert response.status_code == 400
    assert "already has a service of that name" in response.content.decode()
    response = client.post(url, _service_post(hospital, name="Counselling", version=""))
    assert response.status_code == 302
    assert PartnerService.objects.filter(organisation=hospital.organisation).count() == 2


# --- Pages as delivered ---------------------------------------------------------------------------


def test_directory_pages_have_no_inline_code(client, personas, hospital):
    sign_in(client, personas.director)
    shelter = shelter_partner()
    for url in (
        LIST,
        _entry(hospital),
        _entry(shelter),
        _profile_edit(hospital),
        _service_edit(hospital),
        f"{_entry(hospital)}services/new/",
        f"{_entry(hospital)}locations/new/",
        f"{_entry(hospital)}contacts/new/",
        f"/staff/directory/services/{hospital.public_id}/hours/new/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode())


def test_directory_pages_speak_kiswahili(client, personas, hospital):
    sign_in(client, personas.director)
    client.cookies["django_language"] = "sw"
    text = client.get(LIST, HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Saraka ya washirika" in text
    assert "Pakua saraka" in text
    text = client.get(_entry(hospital), HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Mkataba wa makubaliano" in text
    assert "Watu wa kuwasiliana nao" in text


def test_staff_menu_leads_to_the_directory(client, personas):
    text = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert 'href="/staff/directory/"' in text
    assert "Partner directory" in text
