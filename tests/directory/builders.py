"""Partner directory rows for tests: a listed partner with a service at an office, and a shelter."""

from __future__ import annotations

import json
from datetime import time
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.factories import OrganisationFactory
from tumaini.accounts.enums import OrganisationType, SiteType
from tumaini.accounts.models import Site
from tumaini.care.enums import ServiceType
from tumaini.core.models import County, Language, SubCounty, Ward
from tumaini.directory.models import (
    Contact,
    DirectoryProfile,
    Location,
    PartnerService,
    Phone,
    Schedule,
    ServiceAtLocation,
    ServiceTypeTag,
)

SCHEMAS = Path(__file__).parent / "hsds_schemas"
SHELTER_ADDRESS = "Plot 17, Secret Lane (shelter)"
SHELTER_LATITUDE = "-1.234567"


def places():
    """The reference rows the tests need (the full set is loaded by load_reference_data)."""
    nairobi, _ = County.objects.get_or_create(code=47, defaults={"name": "Nairobi City"})
    kiambu, _ = County.objects.get_or_create(code=22, defaults={"name": "Kiambu"})
    starehe, _ = SubCounty.objects.get_or_create(
        code=289, defaults={"name": "Starehe", "county": nairobi}
    )
    kibra, _ = SubCounty.objects.get_or_create(
        code=278, defaults={"name": "Kibra", "county": nairobi}
    )
    ward, _ = Ward.objects.get_or_create(
        code=1439, defaults={"name": "Nairobi Central", "sub_county": starehe}
    )
    for code, name in (("sw", "Swahili"), ("en", "English"), ("so", "Somali")):
        Language.objects.get_or_create(code=code, defaults={"name": name})
    return {"nairobi": nairobi, "kiambu": kiambu, "starehe": starehe, "kibra": kibra, "ward": ward}


def partner(
    name="Mji Mwema Test Hospital",
    *,
    service_name="Post-rape care",
    types=(ServiceType.MEDICAL,),
    organisation=None,
    sub_county_code=289,
    mou_status="signed",
    listed=True,
):
    """A listed organisation with one service at a public office, a phone, hours and a contact."""
    geo = places()
    organisation = organisation or OrganisationFactory(
        name=name, type=OrganisationType.HEALTH_SERVICE
    )
    DirectoryProfile.objects.get_or_create(
        organisation=organisation,
        defaults={
            "description": f"{name} description",
            "website": "https://partner.example.org/",
            "email": "info@partner.example.org",
            "legal_status": "Public hospital",
            "mou_status": mou_status,
            "mou_signed_on": "2025-01-01" if mou_status in ("signed", "expired") else None,
            "mou_notes": "MOU-SECRET-NOTE",
            "is_listed": listed,
        },
    )
    sub_county = SubCounty.objects.get(code=sub_county_code)
    office = Location.objects.create(
        organisation=organisation,
        name=f"{name} office",
        address_1="Moi Avenue 1",
        postal_code="00100",
        county=geo["nairobi"],
        sub_county=sub_county,
        ward=geo["ward"] if sub_county_code == 289 else None,
        latitude="-1.284100",
        longitude="36.823300",
    )
    service = PartnerService.objects.create(
        organisation=organisation,
        name=service_name,
        description="Medical examination and care",
        minimum_age=0,
        maximum_age=120,
    )
    for code in types:
        ServiceTypeTag.objects.create(service=service, service_type=code)
    service.languages.set(Language.objects.filter(code__in=["sw", "en"]))
    service.catchment_sub_counties.set([sub_county])
    ServiceAtLocation.objects.create(service=service, location=office)
    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR", opens_at=time(8), closes_at=time(17)
    )
    Schedule.objects.create(
        location=office, byday="MO,TU,WE,TH,FR", opens_at=time(8), closes_at=time(17)
    )
    Phone.objects.create(organisation=organisation, service=service, number="+254 700 000 001")
    Phone.objects.create(organisation=organisation, location=office, number="+254 700 000 002")
    Phone.objects.create(organisation=organisation, number="+254 700 000 003", extension="12")
    Contact.objects.create(
        organisation=organisation,
        service=service,
        name="Contact Person Secretname",
        title="Social worker",
        email="contact@partner.example.org",
        phone="+254 700 000 004",
    )
    return service


def shelter_partner(*, via_site: bool = True):
    """A faith-based shelter: its location is confidential (through an accounts Site or by itself)."""
    geo = places()
    organisation = OrganisationFactory(
        name="Safe Home Test Shelter", type=OrganisationType.FAITH_BASED
    )
    DirectoryProfile.objects.create(organisation=organisation, description="A safe home")
    site = None
    if via_site:
        site = Site.objects.create(
            organisation=organisation,
            name="Safe house",
            type=SiteType.SHELTER,
            is_confidential=True,
        )
    residence = Location.objects.create(
        organisation=organisation,
        site=site,
        name="Residence",
        # The flag on the directory row is left off on purpose when the Site says it.
        is_confidential=not via_site,
        address_1=SHELTER_ADDRESS,
        postal_code="00100",
        county=geo["nairobi"],
        sub_county=geo["kibra"],
        latitude=SHELTER_LATITUDE if via_site else None,
        longitude="36.700000" if via_site else None,
    )
    service = PartnerService.objects.create(organisation=organisation, name="Safe shelter")
    ServiceTypeTag.objects.create(service=service, service_type=ServiceType.SHELTER)
    ServiceAtLocation.objects.create(service=service, location=residence)
    Phone.objects.create(organisation=organisation, location=residence, number="+254 700 000 999")
    return service


# --- HSDS schemas --------------------------------------------------------------------------------


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        relative = path.relative_to(SCHEMAS).as_posix()
        resources.append((relative, resource))
        # The compiled schemas' own $refs and the OpenAPI's name the published location.
        resources.append(
            (
                f"https://raw.githubusercontent.com/openreferral/specification/3.0/schema/{relative}",
                resource,
            )
        )
    return Registry().with_resources(resources)


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def validate(instance, schema_name: str) -> None:
    """Raise if `instance` breaks the named HSDS schema (its $refs resolved from the local copies)."""
    schema = {"$ref": schema_name}
    Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    ).validate(instance)


def validate_page(page, item_schema: str) -> None:
    """A page object: HSDS's Page fields, and each item against `item_schema`."""
    page_schema = _schema("openapi.json")["components"]["schemas"]["Page"]
    Draft202012Validator(page_schema).validate(page)
    assert set(page) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    for item in page["contents"]:
        validate(item, item_schema)
