"""Our directory as Open Referral HSDS 3.0 objects (the API's JSON and the data package's rows).

HSDS schemas allow no nulls: a value we do not have is left out. Objects we do not store as rows get
stable name-based UUIDs (taxonomy, taxonomy terms, service areas, languages, addresses), so an id
never changes between two reads. Internal facts (contact persons, MoU) are never produced here, and a
confidential location (a shelter) is never published: a service offered at one has no physical
location at all, only its virtual ones.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from tumaini.care.enums import ServiceType
from tumaini.directory.enums import LocationType
from tumaini.directory.models import (
    DirectoryProfile,
    Location,
    PartnerService,
    Phone,
    ServiceAtLocation,
)

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/v3.0/"
# Fixed namespace for the name-based ids; never change it (ids would change with it).
_NAMESPACE = uuid.UUID("6f3c7f4e-2b1d-4c55-9a57-1d2e8c0b7a11")
TAXONOMY_NAME = "Tumaini service types"
TAXONOMY_ID = uuid.uuid5(_NAMESPACE, "taxonomy:service-type")

_SERVICE_TYPE_DESCRIPTIONS = {
    ServiceType.MEDICAL: "Medical examination, treatment and post-rape care.",
    ServiceType.PSYCHOSOCIAL: "Counselling and psychosocial support.",
    ServiceType.LEGAL_AID: "Legal advice, representation and court accompaniment.",
    ServiceType.EDUCATION: "Schooling and catch-up education.",
    ServiceType.VOCATIONAL: "Vocational and skills training.",
    ServiceType.FAMILY_TRACING: "Tracing and reuniting families.",
    ServiceType.REPATRIATION: "Safe return to a home country or county.",
    ServiceType.ECONOMIC: "Livelihoods, savings and business support.",
    ServiceType.MATERIAL: "Food, clothing, transport and other material support.",
    ServiceType.INTERPRETATION: "Interpreters and translation.",
    ServiceType.SHELTER: "Safe, confidential accommodation.",
    ServiceType.LAW_ENFORCEMENT: "Reporting to the police and investigation.",
    ServiceType.CONSULAR: "Consular assistance and travel documents.",
}


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"taxonomy-term:{code}")


def term_code(term_uuid: str | uuid.UUID) -> str | None:
    """The service-type code behind a taxonomy term id, or None."""
    wanted = str(term_uuid)
    for code in ServiceType.values:
        if str(term_id(code)) == wanted:
            return code
    return None


def _derived_id(*parts: Any) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(part) for part in parts)))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop what we do not have (HSDS allows no nulls); keep empty arrays and zeros."""
    return {key: value for key, value in data.items() if value is not None and value != ""}


# --- Which rows are published --------------------------------------------------------------------


def confidential_location_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}is_confidential": True}) | Q(**{f"{prefix}site__is_confidential": True})


def published_profiles() -> QuerySet:
    return DirectoryProfile.objects.filter(is_listed=True, organisation__is_active=True)


def published_services() -> QuerySet:
    return PartnerService.objects.filter(
        organisation__directory_profile__is_listed=True, organisation__is_active=True
    )


def is_confidential(location: Location) -> bool:
    return location.is_confidential or bool(location.site_id and location.site.is_confidential)


def published_locations_of(service: PartnerService) -> list[ServiceAtLocation]:
    """The service's locations as published: none physical if any of them is confidential."""
    at_locations = list(service.at_locations.all())
    if any(is_confidential(item.location) for item in at_locations):
        return [
            item
            for item in at_locations
            if not is_confidential(item.location)
            and item.location.location_type == LocationType.VIRTUAL
        ]
    return at_locations


def _location_prefetch(prefix: str) -> list[Any]:
    return [
        f"{prefix}phones",
        f"{prefix}schedules",
    ]


def service_queryset() -> QuerySet:
    """Published services with everything the fully nested form reads (a fixed number of queries)."""
    return (
        published_services()
        .select_related("organisation__directory_profile")
        .prefetch_related(
            "service_types",
            "languages",
            "catchment_counties",
            "catchment_sub_counties",
            Prefetch("phones", queryset=Phone.objects.filter(location__isnull=True)),
            "schedules",
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related(
                    "location__site", "location__county", "location__sub_county", "location__ward"
                ).prefetch_related(*_location_prefetch("location__")),
            ),
        )
    )


def organisation_queryset(*, with_services: bool) -> QuerySet:
    profiles = published_profiles().select_related("organisation")
    lookups: list[Any] = [
        Prefetch(
            "organisation__directory_phones",
            queryset=Phone.objects.filter(service__isnull=True, location__isnull=True),
            to_attr="hsds_phones",
        ),
        Prefetch(
            "organisation__directory_locations",
            queryset=Location.objects.exclude(confidential_location_q())
            .select_related("county", "sub_county", "ward")
            .prefetch_related(*_location_prefetch("")),
            to_attr="hsds_locations",
        ),
    ]
    if with_services:
        lookups.append(
            Prefetch(
                "organisation__partner_services",
                queryset=service_queryset(),
                to_attr="hsds_services",
            )
        )
    return profiles.prefetch_related(*lookups)


# --- Objects -------------------------------------------------------------------------------------


def taxonomy() -> dict[str, Any]:
    return {
        "id": str(TAXONOMY_ID),
        "name": TAXONOMY_NAME,
        "description": (
            "The service types of Tumaini's care catalogue and partner referrals "
            "(care.ServiceType)."
        ),
        "version": "1",
    }


def taxonomy_term(code: str) -> dict[str, Any]:
    return {
        "id": str(term_id(code)),
        "code": code,
        "name": str(ServiceType(code).label),
        "description": _SERVICE_TYPE_DESCRIPTIONS.get(code, str(ServiceType(code).label)),
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": str(TAXONOMY_ID),
        "language": "en",
    }


def taxonomy_terms() -> list[dict[str, Any]]:
    return [taxonomy_term(code) for code in ServiceType.values]


def attribute(tag, *, service: PartnerService) -> dict[str, Any]:
    return {
        "id": str(tag.public_id),
        "link_id": str(service.public_id),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(term_id(tag.service_type)),
        "value": tag.service_type,
        "taxonomy_term": taxonomy_term(tag.service_type),
    }


def phone(item: Phone, *, organization_id: str | None = None) -> dict[str, Any]:
    return _clean(
        {
            "id": str(item.public_id),
            "organization_id": organization_id,
            "number": item.number,
            "extension": int(item.extension) if item.extension.isdigit() else None,
            "type": item.type,
            "description": item.description,
        }
    )


def schedule(item, *, service_id: str | None = None, location_id: str | None = None) -> dict:
    return _clean(
        {
            "id": str(item.public_id),
            "service_id": service_id,
            "location_id": location_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": item.byday,
            "opens_at": item.opens_at.strftime("%H:%M") if item.opens_at else None,
            "closes_at": item.closes_at.strftime("%H:%M") if item.closes_at else None,
            "description": item.description,
        }
    )


def has_publishable_address(location: Location) -> bool:
    """HSDS requires street, town, county and postal code: an address missing one is left out."""
    return bool(
        location.location_type != LocationType.VIRTUAL
        and location.address_1
        and location.city
        and location.county_id
        and location.postal_code
    )


def address(location: Location) -> dict[str, Any]:
    return _clean(
        {
            "id": _derived_id("address", location.public_id),
            "location_id": str(location.public_id),
            "address_1": location.address_1,
            "city": location.city,
            "region": location.sub_county.name if location.sub_county_id else "",
            "state_province": location.county.name,
            "postal_code": location.postal_code,
            "country": "KE",
            "address_type": location.location_type,
        }
    )


def location(item: Location, *, organization_id: str) -> dict[str, Any]:
    if is_confidential(item):
        # Callers filter these out already; this is the last line of defence.
        raise ValueError("a confidential location is never published")
    location_id = str(item.public_id)
    data = _clean(
        {
            "id": location_id,
            "location_type": item.location_type,
            "organization_id": organization_id,
            "name": item.name,
            "description": item.description,
            "latitude": float(item.latitude) if item.latitude is not None else None,
            "longitude": float(item.longitude) if item.longitude is not None else None,
        }
    )
    data["addresses"] = [address(item)] if has_publishable_address(item) else []
    data["phones"] = [phone(p) for p in item.phones.all()]
    data["schedules"] = [schedule(s, location_id=location_id) for s in item.schedules.all()]
    return data


def service_areas(service: PartnerService) -> list[dict[str, Any]]:
    areas = [
        {
            "id": _derived_id("service-area", service.public_id, "county", county.code),
            "service_id": str(service.public_id),
            "name": f"{county.name} County",
            "extent_type": "county",
        }
        for county in service.catchment_counties.all()
    ]
    areas += [
        {
            "id": _derived_id("service-area", service.public_id, "sub-county", sub.code),
            "service_id": str(service.public_id),
            "name": f"{sub.name} sub-county",
            "extent_type": "sub_county",
        }
        for sub in service.catchment_sub_counties.all()
    ]
    return areas


def languages(service: PartnerService) -> list[dict[str, Any]]:
    return [
        {
            "id": _derived_id("language", service.public_id, language.code),
            "service_id": str(service.public_id),
            "name": language.name,
            "code": language.code,
        }
        for language in service.languages.all()
    ]


def organisation_flat(profile: DirectoryProfile) -> dict[str, Any]:
    organisation = profile.organisation
    return _clean(
        {
            "id": str(organisation.public_id),
            "name": organisation.name,
            "alternate_name": profile.alternate_name or organisation.short_name,
            "description": profile.description,
            "email": profile.email,
            "website": profile.website,
            "legal_status": profile.legal_status,
        }
    )


def service_flat(service: PartnerService) -> dict[str, Any]:
    return _clean(
        {
            "id": str(service.public_id),
            "organization_id": str(service.organisation.public_id),
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "wait_time": service.wait_time,
            "eligibility_description": eligibility_text(service),
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "last_modified": service.updated_at.isoformat(),
        }
    )


def eligibility_text(service: PartnerService) -> str:
    parts = []
    if service.eligible_sex != "any":
        parts.append(str(service.get_eligible_sex_display()))
    if service.eligible_nationality != "any":
        parts.append(str(service.get_eligible_nationality_display()))
    if service.eligibility_description:
        parts.append(service.eligibility_description)
    return ". ".join(parts)


def service_list_item(service: PartnerService) -> dict[str, Any]:
    data = service_flat(service)
    data["organization"] = organisation_flat(service.organisation.directory_profile)
    return data


def service_full(service: PartnerService) -> dict[str, Any]:
    service_id = str(service.public_id)
    data = service_list_item(service)
    data["phones"] = [phone(p) for p in service.phones.all()]
    data["schedules"] = [schedule(s, service_id=service_id) for s in service.schedules.all()]
    data["service_areas"] = service_areas(service)
    data["languages"] = languages(service)
    data["service_at_locations"] = [
        _clean(
            {
                "id": str(item.public_id),
                "service_id": service_id,
                "location_id": str(item.location.public_id),
                "description": item.description,
                "location": location(
                    item.location, organization_id=str(service.organisation.public_id)
                ),
            }
        )
        for item in published_locations_of(service)
    ]
    data["attributes"] = [attribute(tag, service=service) for tag in service.service_types.all()]
    # Contact persons are internal: the published directory lists none.
    data["contacts"] = []
    return data


def organisation_full(profile: DirectoryProfile) -> dict[str, Any]:
    organisation = profile.organisation
    data = organisation_flat(profile)
    organization_id = str(organisation.public_id)
    data["phones"] = [phone(p, organization_id=organization_id) for p in organisation.hsds_phones]
    data["locations"] = [
        location(item, organization_id=organization_id) for item in organisation.hsds_locations
    ]
    data["services"] = [service_full(s) for s in getattr(organisation, "hsds_services", [])]
    data["contacts"] = []
    return data
