"""The Open Referral HSDS 3.0 API at /api/hsds/: schemas, pages, filters, access, confidentiality."""

import json
import uuid
from datetime import timedelta

import jsonschema
import pytest
from django.utils import timezone

from tests.directory.builders import (
    SHELTER_ADDRESS,
    SHELTER_LATITUDE,
    partner,
    shelter_partner,
    validate,
    validate_page,
)
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.api.services import api_token_issue
from tumaini.care.enums import ServiceType
from tumaini.directory import hsds
from tumaini.directory.models import PartnerService

pytestmark = pytest.mark.django_db

API = "/api/hsds"


@pytest.fixture
def reader(client, personas):
    return sign_in(client, personas.owner)


@pytest.fixture
def hospital(personas):
    return partner()


def _is_uuid(value) -> bool:
    return str(uuid.UUID(value)) == value


def _all_ids(data):
    """Every `id` and `*_id` value anywhere in an HSDS document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if (key == "id" or key.endswith("_id")) and isinstance(value, str):
                yield value
            else:
                yield from _all_ids(value)
    elif isinstance(data, list):
        for item in data:
            yield from _all_ids(item)


def test_root_gives_version_profile_and_openapi_url(reader):
    body = reader.get(f"{API}/").json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("openapi.json")


def test_services_page_validates_against_the_hsds_schemas(reader, hospital):
    page = reader.get(f"{API}/services").json()
    validate_page(page, "compiled/service_list.json")
    assert page["total_items"] == 1
    assert page["contents"][0]["name"] == "Post-rape care"
    assert page["contents"][0]["organization"]["name"] == "Mji Mwema Test Hospital"


def test_service_detail_is_fully_nested_and_validates(reader, hospital):
    body = reader.get(f"{API}/services/{hospital.public_id}").json()
    validate(body, "service.json")
    assert body["id"] == str(hospital.public_id)
    assert body["organization"]["id"] == str(hospital.organisation.public_id)
    assert [a["taxonomy_term"]["code"] for a in body["attributes"]] == ["medical"]
    assert {lang["code"] for lang in body["languages"]} == {"sw", "en"}
    assert body["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"
    assert body["schedules"][0]["opens_at"] == "08:00"
    assert body["phones"][0]["number"] == "+254 700 000 001"
    assert body["service_areas"][0]["name"] == "Starehe sub-county"
    location = body["service_at_locations"][0]["location"]
    assert location["latitude"] == pytest.approx(-1.2841)
    assert location["addresses"][0]["address_1"] == "Moi Avenue 1"
    assert location["addresses"][0]["state_province"] == "Nairobi City"
    assert location["phones"][0]["number"] == "+254 700 000 002"
    assert all(_is_uuid(value) for value in _all_ids(body))


def test_organizations_list_and_detail_validate(reader, hospital):
    page = reader.get(f"{API}/organizations").json()
    validate_page(page, "compiled/organization_list.json")
    assert page["contents"][0]["name"] == "Mji Mwema Test Hospital"
    body = reader.get(f"{API}/organizations/{hospital.organisation.public_id}").json()
    validate(body, "organization.json")
    assert [s["name"] for s in body["services"]] == ["Post-rape care"]
    for service in body["services"]:
        validate(service, "service.json")
    assert body["phones"][0]["number"] == "+254 700 000 003"
    assert body["phones"][0]["extension"] == 12
    assert body["locations"][0]["name"] == "Mji Mwema Test Hospital office"
    assert all(_is_uuid(value) for value in _all_ids(body))


def test_taxonomies_and_terms_validate_and_are_the_service_types(reader):
    taxonomies = reader.get(f"{API}/taxonomies").json()
    validate_page(taxonomies, "taxonomy.json")
    terms = reader.get(f"{API}/taxonomy_terms?per_page=100").json()
    validate_page(terms, "taxonomy_term.json")
    assert [t["code"] for t in terms["contents"]] == list(ServiceType.values)
    assert {t["taxonomy_id"] for t in terms["contents"]} == {taxonomies["contents"][0]["id"]}


def test_ids_are_stable_between_reads(reader, hospital):
    first = reader.get(f"{API}/services/{hospital.public_id}").json()
    second = reader.get(f"{API}/services/{hospital.public_id}").json()
    assert first == second


def test_services_pages_through_results(reader, personas):
    for number in range(5):
        partner(f"Partner {number}")
    first = reader.get(f"{API}/services?per_page=2").json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (5, 3, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = reader.get(f"{API}/services?per_page=2&page=3").json()
    assert (last["page_number"], last["size"], last["last_page"]) == (3, 1, True)
    beyond = reader.get(f"{API}/services?per_page=2&page=9").json()
    assert beyond["empty"] and beyond["contents"] == []
    names = [
        s["organization"]["name"]
        for page in (1, 2, 3)
        for s in reader.get(f"{API}/services?per_page=2&page={page}").json()["contents"]
    ]
    assert names == [f"Partner {n}" for n in range(5)]


def test_per_page_is_capped(reader, hospital):
    assert reader.get(f"{API}/services?per_page=100000").json()["total_pages"] == 1


def test_services_filter_by_search_term_organisation_and_date(reader, personas):
    medical = partner("Hospital A")
    legal = partner("Legal Clinic B", service_name="Court help", types=(ServiceType.LEGAL_AID,))

    def names(query):
        page = reader.get(f"{API}/services?{query}").json()
        validate_page(page, "compiled/service_list.json")
        return [s["name"] for s in page["contents"]]

    assert names("search=court") == ["Court help"]
    assert names("search=clinic") == ["Court help"]
    assert names(f"taxonomy_term_id={hsds.term_id('legal_aid')}") == ["Court help"]
    assert names(f"taxonomy_term_id={hsds.term_id('medical')}") == ["Post-rape care"]
    assert names(f"taxonomy_term_id={uuid.uuid4()}") == []
    assert names(f"organization_id={medical.organisation.public_id}") == ["Post-rape care"]
    past = timezone.now() - timedelta(days=3)
    PartnerService.objects.filter(pk=medical.pk).update(updated_at=past)
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert names(f"modified_after={since}") == [legal.name]


def test_malformed_filters_and_ids_are_refused_without_a_500(reader, hospital):
    assert reader.get(f"{API}/services?taxonomy_term_id=not-a-uuid").status_code == 422
    assert reader.get(f"{API}/services?modified_after=yesterday").status_code == 422
    assert reader.get(f"{API}/services/not-a-uuid").status_code == 422
    assert reader.get(f"{API}/services/{uuid.uuid4()}").status_code == 404
    assert reader.get(f"{API}/organizations/{uuid.uuid4()}").status_code == 404


def test_unlisted_entries_are_not_published(reader, personas):
    hidden = partner("Draft Partner", listed=False)
    assert reader.get(f"{API}/services").json()["total_items"] == 0
    assert reader.get(f"{API}/services/{hidden.public_id}").status_code == 404
    assert reader.get(f"{API}/organizations/{hidden.organisation.public_id}").status_code == 404


def test_contacts_and_mou_are_never_published(reader, hospital):
    texts = [
        reader.get(f"{API}/services/{hospital.public_id}").content.decode(),
        reader.get(f"{API}/organizations/{hospital.organisation.public_id}").content.decode(),
        reader.get(f"{API}/services").content.decode(),
    ]
    for text in texts:
        assert "Secretname" not in text
        assert "MOU-SECRET-NOTE" not in text
        assert "mou" not in text.lower()


@pytest.mark.parametrize("via_site", [True, False])
def test_shelter_service_has_no_physical_location(reader, personas, via_site):
    shelter = shelter_partner(via_site=via_site)
    body = reader.get(f"{API}/services/{shelter.public_id}").json()
    validate(body, "service.json")
    assert body["name"] == "Safe shelter"
    assert body["service_at_locations"] == []
    organisation = reader.get(f"{API}/organizations/{shelter.organisation.public_id}").json()
    validate(organisation, "organization.json")
    assert organisation["locations"] == []
    everything = json.dumps([body, organisation, reader.get(f"{API}/services").json()])
    assert SHELTER_ADDRESS not in everything
    assert "Residence" not in everything
    assert "Kibra" not in everything
    assert SHELTER_LATITUDE not in everything and "36.7" not in everything
    assert "+254 700 000 999" not in everything


def test_public_setting_off_refuses_anonymous_readers(client, settings, hospital):
    settings.TUMAINI_DIRECTORY_PUBLIC = False
    for path in (
        "/",
        "/services",
        f"/services/{hospital.public_id}",
        "/organizations",
        "/taxonomy_terms",
        "/datapackage.zip",
    ):
        response = client.get(f"{API}{path}")
        assert response.status_code == 401, path
        assert b"Post-rape care" not in response.content


def test_public_setting_on_lets_anonymous_readers_in(client, settings, hospital):
    settings.TUMAINI_DIRECTORY_PUBLIC = True
    page = client.get(f"{API}/services").json()
    validate_page(page, "compiled/service_list.json")
    assert page["contents"][0]["name"] == "Post-rape care"
    body = client.get(f"{API}/services/{hospital.public_id}").json()
    assert body["name"] == "Post-rape care"
    assert "Secretname" not in json.dumps(body)


def test_api_token_reads_the_directory(client, personas, hospital):
    _, plain = api_token_issue(user=personas.director, name="county BI")
    response = client.get(f"{API}/services", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.json()["contents"][0]["name"] == "Post-rape care"


def test_every_staff_role_reads_the_directory(client, personas, hospital):
    for role in Role:
        user = UserFactory(username=f"r-{role}", organisation=personas.org_a, roles=[role])
        response = sign_in(client, user).get(f"{API}/services")
        assert response.json()["total_items"] == 1, role


def test_a_user_without_roles_gets_404(client, personas, hospital):
    nobody = UserFactory(username="nobody", organisation=personas.org_a, roles=[])
    response = sign_in(client, nobody).get(f"{API}/services")
    assert response.status_code == 404
    assert b"Post-rape care" not in response.content


def test_openapi_document_lists_the_hsds_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/hsds/services", "/api/hsds/services/{id}", "/api/hsds/organizations"} <= set(
        paths
    )


@pytest.mark.parametrize(
    ("path", "many"),
    [("/services", 3), ("/organizations", 3)],
)
def test_api_lists_query_count_does_not_grow(
    reader, personas, django_assert_num_queries, path, many
):
    partner("Partner 0")
    reader.get(f"{API}{path}")  # session, user and roles cached as for any request
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        reader.get(f"{API}{path}")
    for number in range(1, many):
        partner(f"Partner {number}")
    with django_assert_num_queries(len(one.captured_queries)):
        body = reader.get(f"{API}{path}").json()
    assert body["total_items"] == many


def test_organisation_detail_query_count_does_not_grow(reader, personas, django_assert_num_queries):
    first = partner("Partner 0")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        reader.get(f"{API}/organizations/{first.organisation.public_id}")
    for number in range(2):
        partner(organisation=first.organisation, service_name=f"Service {number}")
    with django_assert_num_queries(len(one.captured_queries)):
        body = reader.get(f"{API}/organizations/{first.organisation.public_id}").json()
    assert len(body["services"]) == 3


def test_the_schema_check_itself_rejects_broken_hsds(reader, hospital):
    # Guards the guard: a nested location with a text latitude must fail validation.
    body = reader.get(f"{API}/services/{hospital.public_id}").json()
    body["service_at_locations"][0]["location"]["latitude"] = "north"
    with pytest.raises(jsonschema.ValidationError):
        validate(body, "service.json")
    body = reader.get(f"{API}/services/{hospital.public_id}").json()
    body["id"] = "42"
    with pytest.raises(jsonschema.ValidationError):
        validate(body, "service.json")
