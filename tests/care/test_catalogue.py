"""The service catalogue: directors keep it (in-house and partner services), care staff read it."""

import pytest

from tests.care.builders import care_staff, offering
from tests.testapp.helpers import sign_in
from tumaini.care.enums import ServiceType
from tumaini.care.models import ServiceOffering

pytestmark = pytest.mark.django_db

LIST, NEW = "/staff/care/catalogue/", "/staff/care/catalogue/new/"


@pytest.fixture
def staff(personas):
    return care_staff(personas)


def _user(personas, staff, persona):
    return getattr(personas, persona, None) or getattr(staff, persona)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("owner", 200),
        ("counsellor", 200),
        ("nurse", 200),
        ("legal", 200),
        ("shelter", 404),
        ("analyst", 404),
        ("partner", 404),
        ("admin_user", 404),
    ],
)
def test_catalogue_access_matrix(client, personas, staff, persona, status):
    offering(personas, name="Trauma counselling", service_type=ServiceType.PSYCHOSOCIAL)
    response = sign_in(client, _user(personas, staff, persona)).get(LIST)
    assert response.status_code == status
    if status == 200:
        assert "Trauma counselling" in response.content.decode()


def test_catalogue_of_another_organisation_is_not_shown(client, personas):
    offering(personas, name="Trauma counselling")
    page = sign_in(client, personas.outsider).get(LIST).content.decode()
    assert "Trauma counselling" not in page
    assert "The catalogue is empty." in page


def test_catalogue_director_adds_a_partner_service(client, personas, staff):
    sign_in(client, personas.director)
    response = client.post(
        NEW,
        {
            "service_type": ServiceType.MEDICAL,
            "name": "Medical examination",
            "provider": str(staff.hospital.public_id),
            "is_active": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Catalogue saved." in page
    assert "Medical examination" in page and "Partner Hospital" in page
    added = ServiceOffering.objects.get(name="Medical examination")
    assert added.organisation == personas.org_a and not added.in_house


@pytest.mark.parametrize("persona", ["owner", "counsellor", "admin_user"])
def test_catalogue_only_directors_add(client, personas, staff, persona):
    sign_in(client, _user(personas, staff, persona))
    assert client.get(NEW).status_code == 404
    response = client.post(
        NEW, {"service_type": "medical", "name": "X", "provider": str(personas.org_a.public_id)}
    )
    assert response.status_code == 404
    assert not ServiceOffering.objects.exists()


def test_catalogue_duplicate_name_is_refused_next_to_the_field(client, personas):
    offering(personas, name="Safe house")
    sign_in(client, personas.director)
    response = client.post(
        NEW,
        {
            "service_type": "shelter",
            "name": "Safe house",
            "provider": str(personas.org_a.public_id),
        },
    )
    assert response.status_code == 400
    assert "already has a service of that name" in response.content.decode()


def test_catalogue_edit_stale_version_is_refused(client, personas):
    entry = offering(personas, name="Safe house")
    ServiceOffering.objects.filter(pk=entry.pk).update(version=4)
    sign_in(client, personas.director)
    response = client.post(
        f"/staff/care/catalogue/{entry.public_id}/edit/",
        {
            "service_type": "shelter",
            "name": "Safe house B",
            "provider": str(personas.org_a.public_id),
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    assert ServiceOffering.objects.get(pk=entry.pk).name == "Safe house"


def test_catalogue_edit_retires_a_service(client, personas):
    entry = offering(personas, name="Safe house")
    sign_in(client, personas.director)
    client.post(
        f"/staff/care/catalogue/{entry.public_id}/edit/",
        {
            "service_type": "shelter",
            "name": "Safe house",
            "provider": str(personas.org_a.public_id),
            "version": str(entry.version),
        },
    )
    entry.refresh_from_db()
    assert entry.is_active is False and entry.version == 2
