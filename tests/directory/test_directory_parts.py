"""Parts of a directory entry from the staff pages: locations, hours, phones, contact persons."""

import pytest

from tests.directory.builders import partner, places
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role, SiteType
from tumaini.accounts.models import Site
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.directory.models import Contact, Location, Phone, Schedule

pytestmark = pytest.mark.django_db

BASE = "/staff/directory"


@pytest.fixture
def hospital(personas):
    return partner()


def _location_post(**changes):
    geo = places()
    data = {
        "name": "Branch clinic",
        "location_type": "physical",
        "address_1": "Ngara Road 5",
        "city": "Nairobi",
        "postal_code": "00100",
        "county": geo["nairobi"].pk,
        "sub_county": geo["starehe"].pk,
        "ward": geo["ward"].pk,
        "latitude": "-1.275000",
        "longitude": "36.830000",
    }
    data.update(changes)
    return data


def test_director_adds_a_location_offering_a_service(client, personas, hospital):
    organisation = hospital.organisation
    response = sign_in(client, personas.director).post(
        f"{BASE}/organisations/{organisation.public_id}/locations/new/",
        _location_post(services=[hospital.pk]),
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Branch clinic")
    assert location.address_1 == "Ngara Road 5"
    assert hospital.at_locations.filter(location=location).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="directory.location"
    ).exists()
    body = client.get(f"/api/hsds/services/{hospital.public_id}").json()
    assert "Branch clinic" in {link["location"]["name"] for link in body["service_at_locations"]}


def test_confidential_location_refuses_coordinates(client, personas, hospital):
    organisation = hospital.organisation
    response = sign_in(client, personas.director).post(
        f"{BASE}/organisations/{organisation.public_id}/locations/new/",
        _location_post(name="Safe room", is_confidential="on"),
    )
    assert response.status_code == 400
    assert "A confidential location keeps no coordinates" in response.content.decode()
    assert "Ngara Road 5" in response.content.decode()
    assert not Location.objects.filter(name="Safe room").exists()


def test_a_location_on_a_confidential_site_is_confidential(client, personas, hospital):
    organisation = hospital.organisation
    site = Site.objects.create(
        organisation=organisation, name="Ward 9", type=SiteType.SHELTER, is_confidential=True
    )
    response = sign_in(client, personas.director).post(
        f"{BASE}/organisations/{organisation.public_id}/locations/new/",
        _location_post(
            name="Recovery ward", site=site.pk, latitude="", longitude="", services=[hospital.pk]
        ),
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Recovery ward")
    assert location.is_confidential is True
    assert location.latitude is None
    body = client.get(f"/api/hsds/services/{hospital.public_id}").json()
    # The service is now offered at a confidential place: no physical location at all.
    assert body["service_at_locations"] == []


def test_location_form_checks_places_and_coordinates(client, personas, hospital):
    geo = places()
    organisation = hospital.organisation
    response = sign_in(client, personas.director).post(
        f"{BASE}/organisations/{organisation.public_id}/locations/new/",
        _location_post(sub_county=geo["kibra"].pk, longitude=""),
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "This ward is not in the sub-county chosen." in text
    assert "Give both coordinates, or neither." in text


def test_stale_location_edit_is_refused(client, personas, hospital):
    location = hospital.at_locations.get().location
    url = f"{BASE}/locations/{location.public_id}/edit/"
    sign_in(client, personas.director)
    assert "Moi Avenue 1" in client.get(url).content.decode()
    client.post(url, _location_post(name="Renamed", version=1))
    response = client.post(url, _location_post(name="Stale name", version=1))
    assert response.status_code == 409
    assert "Stale name" in response.content.decode()
    location.refresh_from_db()
    assert location.name == "Renamed"


def test_location_delete_needs_post_and_rights(client, personas, hospital):
    location = hospital.at_locations.get().location
    url = f"{BASE}/locations/{location.public_id}/delete/"
    assert sign_in(client, personas.owner).post(url).status_code == 404
    assert sign_in(client, personas.director).get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()


def test_hours_are_added_in_weekday_order_and_bump_the_service(client, personas, hospital):
    before = hospital.updated_at
    url = f"{BASE}/services/{hospital.public_id}/hours/new/"
    response = sign_in(client, personas.director).post(
        url, {"days": ["SA", "MO"], "opens_at": "09:00", "closes_at": "13:00"}
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(byday="MO,SA")
    assert schedule.service == hospital
    hospital.refresh_from_db()
    assert hospital.updated_at > before
    text = client.get(f"{BASE}/organisations/{hospital.organisation.public_id}/").content.decode()
    assert "MO,SA 09:00–13:00" in text


def test_hours_form_refuses_closing_before_opening(client, personas, hospital):
    url = f"{BASE}/services/{hospital.public_id}/hours/new/"
    response = sign_in(client, personas.director).post(
        url, {"days": ["MO"], "opens_at": "17:00", "closes_at": "08:00"}
    )
    assert response.status_code == 400
    assert "Closing time must be after opening time." in response.content.decode()


def test_hours_and_phones_are_removed(client, personas, hospital):
    schedule = hospital.schedules.get()
    phone = hospital.phones.get()
    sign_in(client, personas.director)
    assert client.post(f"{BASE}/hours/{schedule.public_id}/delete/").status_code == 302
    assert client.post(f"{BASE}/phones/{phone.public_id}/delete/").status_code == 302
    assert not Schedule.objects.filter(pk=schedule.pk).exists()
    assert not Phone.objects.filter(pk=phone.pk).exists()


def test_phone_of_a_service_is_added(client, personas, hospital):
    url = f"{BASE}/organisations/{hospital.organisation.public_id}/phones/new/?service={hospital.public_id}"
    sign_in(client, personas.director)
    response = client.post(url, {"number": "+254 700 000 555", "type": "voice", "extension": "x1"})
    assert response.status_code == 400
    assert "An extension is digits only." in response.content.decode()
    response = client.post(url, {"number": "+254 700 000 555", "type": "voice"})
    assert response.status_code == 302
    assert hospital.phones.filter(number="+254 700 000 555").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("director", 200), (Role.DIRECTORY_EDITOR, 200), ("owner", 404), ("admin_user", 404)],
)
def test_part_pages_access_matrix(client, personas, hospital, persona, status):
    user = getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )
    organisation = hospital.organisation
    location = hospital.at_locations.get().location
    contact = Contact.objects.get(organisation=organisation)
    sign_in(client, user)
    for url in (
        f"{BASE}/organisations/{organisation.public_id}/locations/new/",
        f"{BASE}/locations/{location.public_id}/edit/",
        f"{BASE}/services/{hospital.public_id}/hours/new/",
        f"{BASE}/organisations/{organisation.public_id}/phones/new/",
        f"{BASE}/organisations/{organisation.public_id}/contacts/new/",
        f"{BASE}/contacts/{contact.public_id}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert ("Mji Mwema Test Hospital" in response.content.decode()) is (status == 200)


def test_contact_persons_are_added_edited_and_removed(client, personas, hospital):
    organisation = hospital.organisation
    sign_in(client, personas.director)
    response = client.post(
        f"{BASE}/organisations/{organisation.public_id}/contacts/new/",
        {
            "name": "Wanjiru Test",
            "title": "Nurse",
            "phone": "+254 700 000 777",
            "service": hospital.pk,
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(title="Nurse")
    assert contact.name == "Wanjiru Test"
    url = f"{BASE}/contacts/{contact.public_id}/edit/"
    kept = {"name": "Wanjiru Test", "phone": "+254 700 000 777", "service": hospital.pk}
    client.post(url, {**kept, "title": "Head nurse", "version": 1})
    response = client.post(url, {**kept, "title": "Stale title", "version": 1})
    assert response.status_code == 409
    contact.refresh_from_db()
    assert contact.title == "Head nurse"
    event = AuditEvent.objects.filter(
        object_type="directory.contact", action=AuditAction.UPDATE
    ).get()
    assert event.fields_changed == ["title"]
    assert "Wanjiru" not in str(event.detail) + event.reason
    assert client.post(f"{BASE}/contacts/{contact.public_id}/delete/").status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_partner_user_keeps_own_contacts_only(client, personas, hospital):
    own = UserFactory(
        username="own-partner", organisation=hospital.organisation, roles=[Role.PARTNER_USER]
    )
    other = partner("Other Clinic", service_name="Other care")
    sign_in(client, own)
    assert (
        client.get(
            f"{BASE}/organisations/{hospital.organisation.public_id}/contacts/new/"
        ).status_code
        == 200
    )
    assert (
        client.get(f"{BASE}/organisations/{other.organisation.public_id}/contacts/new/").status_code
        == 404
    )
    theirs = Contact.objects.get(organisation=other.organisation)
    assert client.get(f"{BASE}/contacts/{theirs.public_id}/edit/").status_code == 404
