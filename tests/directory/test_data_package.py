"""The HSDS tabular data package: frictionless accepts it; it publishes nothing internal."""

import csv
import io
import zipfile

import pytest
from frictionless import Package, validate

from tests.directory.builders import SHELTER_ADDRESS, partner, shelter_partner
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role

pytestmark = pytest.mark.django_db

EXPECTED_FILES = {
    "datapackage.json",
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "service_at_location.csv",
    "phones.csv",
    "contacts.csv",
    "addresses.csv",
    "schedules.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
    "service_areas.csv",
    "languages.csv",
}


@pytest.fixture
def directory(personas):
    return {"hospital": partner(), "clinic": partner("Legal Clinic"), "shelter": shelter_partner()}


def _download(client, user, url="/staff/directory/datapackage.zip"):
    response = sign_in(client, user).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def _rows(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_data_package_passes_frictionless(client, personas, directory, tmp_path):
    archive = _download(client, personas.owner)
    assert set(archive.namelist()) == EXPECTED_FILES
    archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    rows = {resource.name: resource.read_rows() for resource in package.resources}
    assert {row["name"] for row in rows["organization"]} == {
        "Mji Mwema Test Hospital",
        "Legal Clinic",
        "Safe Home Test Shelter",
    }
    assert len(rows["service"]) == 3
    assert len(rows["taxonomy_term"]) == 13


def test_data_package_validation_fails_on_a_broken_package(client, personas, directory, tmp_path):
    # Guards the guard: the same package with a service id that is not a UUID is refused.
    archive = _download(client, personas.owner)
    archive.extractall(tmp_path)
    services = tmp_path / "services.csv"
    lines = services.read_text(encoding="utf-8").splitlines()
    lines[1] = "not-a-uuid" + lines[1][36:]
    services.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_data_package_rows_match_the_api(client, personas, directory):
    archive = _download(client, personas.owner)
    services = {row["name"]: row for row in _rows(archive, "services.csv")}
    hospital = directory["hospital"]
    row = [r for r in _rows(archive, "services.csv") if r["id"] == str(hospital.public_id)][0]
    assert row["organization_id"] == str(hospital.organisation.public_id)
    assert row["status"] == "active"
    assert "Safe shelter" in services
    attributes = _rows(archive, "attributes.csv")
    assert {a["value"] for a in attributes} == {"medical", "shelter"}
    schedules = _rows(archive, "schedules.csv")
    assert {s["opens_at"] for s in schedules} == {"08:00:00"}


def test_data_package_never_holds_a_shelters_whereabouts_contacts_or_mou(
    client, personas, directory
):
    archive = _download(client, personas.owner)
    everything = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert SHELTER_ADDRESS not in everything
    assert "Residence" not in everything
    assert "+254 700 000 999" not in everything
    assert "Secretname" not in everything
    assert "MOU-SECRET-NOTE" not in everything
    assert _rows(archive, "contacts.csv") == []
    shelter = directory["shelter"]
    links = _rows(archive, "service_at_location.csv")
    assert str(shelter.public_id) not in {row["service_id"] for row in links}


def test_data_package_from_the_api_route(client, personas, directory):
    archive = _download(client, personas.director, url="/api/hsds/datapackage.zip")
    assert set(archive.namelist()) == EXPECTED_FILES


def test_data_package_page_refuses_users_without_a_role(client, personas, directory):
    nobody = UserFactory(username="nobody", organisation=personas.org_a, roles=[])
    response = sign_in(client, nobody).get("/staff/directory/datapackage.zip")
    assert response.status_code == 404
    assert response["Content-Type"] != "application/zip"


def test_data_package_page_asks_anonymous_users_to_sign_in(client, directory):
    response = client.get("/staff/directory/datapackage.zip")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_every_role_may_download_the_package(client, personas, directory):
    user = UserFactory(username="comms", organisation=personas.org_a, roles=[Role.COMMUNICATIONS])
    assert "services.csv" in _download(client, user).namelist()
