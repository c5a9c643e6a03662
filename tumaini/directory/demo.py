"""Demo partner directory (tumaini/directory/demo_data.py): idempotent, an entry that exists is left
alone (an editor may have changed it while trying the demo)."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from tumaini.accounts.models import Organisation, Site
from tumaini.core.models import County, Language, SubCounty, Ward
from tumaini.directory.demo_data import PARTNERS, DemoPartner
from tumaini.directory.enums import LocationType, PhoneType
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

NAIROBI_COUNTY = 47


def _time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _write_partner(partner: DemoPartner) -> None:
    organisation, _ = Organisation.objects.get_or_create(
        name=partner.name,
        defaults={
            "short_name": partner.short_name,
            "type": partner.type,
            "county_id": NAIROBI_COUNTY,
        },
    )
    if DirectoryProfile.objects.filter(organisation=organisation).exists():
        return
    status, signed, expires = partner.mou
    DirectoryProfile.objects.create(
        organisation=organisation,
        description=partner.description,
        legal_status=partner.legal_status,
        website=f"https://{partner.slug}.example.org/" if partner.website else "",
        email=f"info@{partner.slug}.example.org",
        mou_status=status,
        mou_signed_on=signed,
        mou_expires_on=expires,
        mou_notes="Renewal to be discussed at the quarterly referral network meeting."
        if status in ("signed", "expired")
        else "",
    )
    if partner.phone:
        Phone.objects.create(
            organisation=organisation, number=partner.phone, description="Main line"
        )
    name, title = partner.contact
    if name:
        Contact.objects.create(
            organisation=organisation,
            name=name,
            title=title,
            email=f"referrals@{partner.slug}.example.org",
            # Invented too: the main line's number plus 500.
            phone=f"{partner.phone[:-3]}{int(partner.phone[-3:]) + 500:03d}"
            if partner.phone
            else "",
        )

    locations = []
    for spec in partner.locations:
        site = Site.objects.filter(organisation=organisation, name=spec.site).first()
        confidential = spec.confidential or bool(site and site.is_confidential)
        locations.append(
            Location.objects.create(
                organisation=organisation,
                site=site,
                name=spec.name,
                location_type=LocationType.VIRTUAL if spec.virtual else LocationType.PHYSICAL,
                is_confidential=confidential,
                address_1="" if confidential else spec.address,
                city="" if spec.virtual else "Nairobi",
                postal_code="" if confidential or spec.virtual else spec.postal_code,
                county_id=None if confidential or spec.virtual else NAIROBI_COUNTY,
                sub_county=SubCounty.objects.filter(code=spec.sub_county).first()
                if spec.sub_county and not confidential
                else None,
                ward=Ward.objects.filter(code=spec.ward).first()
                if spec.ward and not confidential
                else None,
                latitude=None if confidential else spec.lat,
                longitude=None if confidential else spec.lon,
            )
        )

    for spec in partner.services:
        service = PartnerService.objects.create(
            organisation=organisation,
            name=spec.name,
            description=spec.description,
            status=spec.status,
            eligible_sex=spec.sex,
            eligible_nationality=spec.nationality,
            minimum_age=spec.min_age,
            maximum_age=spec.max_age,
            eligibility_description=spec.eligibility,
            fees_description=spec.fees,
            application_process=spec.how_to_refer,
            wait_time=spec.wait_time,
        )
        ServiceTypeTag.objects.bulk_create(
            [ServiceTypeTag(service=service, service_type=code) for code in spec.types]
        )
        service.languages.set(Language.objects.filter(code__in=spec.languages))
        service.catchment_counties.set(County.objects.filter(code__in=spec.counties))
        service.catchment_sub_counties.set(SubCounty.objects.filter(code__in=spec.sub_counties))
        for byday, opens, closes in spec.hours:
            Schedule.objects.create(
                service=service, byday=byday, opens_at=_time(opens), closes_at=_time(closes)
            )
        for index in spec.at:
            if index < len(locations):
                ServiceAtLocation.objects.create(service=service, location=locations[index])
        if spec.phone:
            Phone.objects.create(
                organisation=organisation,
                service=service,
                number=spec.phone,
                type=PhoneType.HOTLINE
                if spec.hours and spec.hours[0][2] == "23:59"
                else PhoneType.VOICE,
                description=spec.name,
            )


@transaction.atomic
def seed_demo_directory() -> int:
    """Write the demo directory entries still missing; returns how many partners it holds."""
    for partner in PARTNERS:
        _write_partner(partner)
    return len(PARTNERS)
