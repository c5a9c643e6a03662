"""The demo partner directory: about thirty Nairobi partners, idempotent, nothing real in it."""

import re

import pytest

from tumaini.care.enums import ServiceType
from tumaini.core import demo as core_demo
from tumaini.core.reference import load_reference_data
from tumaini.directory import hsds
from tumaini.directory.demo import seed_demo_directory
from tumaini.directory.models import (
    Contact,
    DirectoryProfile,
    Location,
    PartnerService,
    Phone,
    Schedule,
    ServiceAtLocation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    load_reference_data()
    core_demo.demo_seed(password="a-demo-password-for-tests")
    return DirectoryProfile.objects.select_related("organisation")


def _snapshot():
    return {
        "profiles": sorted(DirectoryProfile.objects.values_list("id", "version", "updated_at")),
        "services": sorted(PartnerService.objects.values_list("id", "public_id", "updated_at")),
        "locations": sorted(Location.objects.values_list("id", "public_id")),
        "links": sorted(ServiceAtLocation.objects.values_list("id", "public_id")),
        "phones": sorted(Phone.objects.values_list("id", "number")),
        "schedules": sorted(Schedule.objects.values_list("id", "public_id")),
        "contacts": sorted(Contact.objects.values_list("id", "public_id")),
    }


def test_demo_directory_has_about_thirty_partners_with_services(seeded):
    assert 28 <= seeded.count() <= 35
    services = PartnerService.objects.prefetch_related("service_types")
    assert all(service.service_types.all() for service in services)
    kinds = set(seeded.values_list("organisation__type", flat=True))
    assert {
        "HealthServiceOrganisation",
        "LegalService",
        "LawEnforcement",
        "Embassy",
        "InternationalOrganisation",
        "FaithBasedOrganisation",
        "NGO",
    } <= kinds
    statuses = set(seeded.values_list("mou_status", flat=True))
    assert statuses == {"none", "in_negotiation", "signed", "expired"}
    names = " ".join(seeded.values_list("organisation__name", flat=True))
    for needle in (
        "Referral Hospital",
        "GBV Recovery",
        "116",
        "Migration",
        "UNHCR",
        "Criminal Investigations",
        "Embassy",
    ):
        assert needle in names


def test_demo_organisations_are_in_the_directory_with_services(seeded):
    for name in core_demo.ORGANISATIONS:
        profile = seeded.get(organisation__name=name)
        assert PartnerService.objects.filter(organisation=profile.organisation).exists(), name
    hospital_services = PartnerService.objects.filter(organisation__name=core_demo.HOSPITAL)
    assert hospital_services.filter(service_types__service_type=ServiceType.MEDICAL).exists()


def test_demo_contact_details_are_invented(seeded):
    numbers = list(Phone.objects.values_list("number", flat=True))
    numbers += [c.phone for c in Contact.objects.all() if c.phone]
    assert numbers
    assert all(re.fullmatch(r"\+254 700 000 \d{3}", number) for number in numbers), numbers
    emails = [p.email for p in DirectoryProfile.objects.all()] + [
        c.email for c in Contact.objects.all()
    ]
    assert all(email.endswith(".example.org") for email in emails if email)
    assert all("(demo)" in p.organisation.name for p in seeded)


def test_demo_shelters_keep_no_whereabouts(seeded):
    confidential = Location.objects.filter(hsds.confidential_location_q())
    assert confidential.count() >= 3
    for location in confidential:
        assert location.latitude is None and location.longitude is None
        assert location.address_1 == ""
    shelter = PartnerService.objects.get(
        organisation__name=core_demo.CENTRE, name="Safe shelter for survivors"
    )
    assert (
        hsds.service_full(hsds.service_queryset().get(pk=shelter.pk))["service_at_locations"] == []
    )


def test_seeding_the_directory_twice_changes_nothing(seeded):
    before = _snapshot()
    seed_demo_directory()
    core_demo.demo_seed(password="a-demo-password-for-tests")
    assert _snapshot() == before
