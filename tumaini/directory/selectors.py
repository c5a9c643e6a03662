"""Reads of the partner directory: the staff pages and the HSDS API both come through here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tumaini.accounts.models import Organisation
from tumaini.core.access import UPDATE, VIEW, can, get_scoped_or_404, scope_for, scoped
from tumaini.directory import hsds
from tumaini.directory.models import (
    Contact,
    DirectoryProfile,
    Location,
    PartnerService,
    Phone,
    ServiceAtLocation,
)
from tumaini.directory.policies import DIRECTORY, DIRECTORY_CONTACT, DIRECTORY_MOU

STAFF_PAGE_SIZE = 20
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100


def public_directory() -> bool:
    return bool(getattr(settings, "TUMAINI_DIRECTORY_PUBLIC", False))


def may_read_published(user: Any) -> bool:
    """Who reads what the directory publishes: staff under the policy, anyone when it is public."""
    if getattr(user, "is_authenticated", False):
        return can(user, DIRECTORY, VIEW)
    return public_directory()


# --- Staff pages ---------------------------------------------------------------------------------


def _search(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(name__icontains=text)
        | Q(alternate_name__icontains=text)
        | Q(description__icontains=text)
        | Q(organisation__name__icontains=text)
        | Q(organisation__short_name__icontains=text)
    )


def _in_place(queryset: QuerySet, *, county=None, sub_county=None) -> QuerySet:
    """Services a place can use: offered there, or taking people from there."""
    if sub_county is not None:
        queryset = queryset.filter(
            Q(catchment_sub_counties=sub_county)
            | Q(catchment_counties=sub_county.county_id)
            | Q(at_locations__location__sub_county=sub_county)
        )
    elif county is not None:
        queryset = queryset.filter(
            Q(catchment_counties=county)
            | Q(catchment_sub_counties__county=county)
            | Q(at_locations__location__county=county)
        )
    return queryset


def service_search(*, user: Any, filters: dict[str, Any], page_number: Any = 1) -> dict[str, Any]:
    """The staff directory: services by need (service type) and place, one page of them."""
    queryset = scoped(user, DIRECTORY, VIEW, PartnerService.objects.all())
    queryset = _search(queryset, filters.get("q") or "")
    if filters.get("service_type"):
        queryset = queryset.filter(service_types__service_type=filters["service_type"])
    queryset = _in_place(
        queryset, county=filters.get("county"), sub_county=filters.get("sub_county")
    )
    if filters.get("active_only"):
        queryset = queryset.filter(status="active")
    # The place filters join many-valued relations: one row per service again.
    ids = queryset.values("pk").distinct()
    rows = (
        PartnerService.objects.filter(pk__in=ids)
        .select_related("organisation__directory_profile")
        .prefetch_related(
            "service_types",
            "catchment_counties",
            "catchment_sub_counties",
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related(
                    "location__site", "location__sub_county"
                ),
            ),
        )
        .order_by("organisation__name", "name")
    )
    page = Paginator(rows, STAFF_PAGE_SIZE).get_page(page_number)
    return {
        "page": page,
        "services": list(page.object_list),
        "may_see_mou": can(user, DIRECTORY_MOU, VIEW),
        "may_create": can(user, DIRECTORY, "create"),
    }


def organisation_entry(*, user: Any, public_id: Any) -> dict[str, Any]:
    """One organisation's directory page: what every reader sees, plus what this user may see."""
    organisation = get_scoped_or_404(
        user,
        DIRECTORY,
        VIEW,
        Organisation.objects.select_related("directory_profile", "county"),
        public_id=public_id,
    )
    profile = getattr(organisation, "directory_profile", None)
    services = list(
        PartnerService.objects.filter(organisation=organisation)
        .prefetch_related(
            "service_types",
            "languages",
            "catchment_counties",
            "catchment_sub_counties",
            "schedules",
            Prefetch("phones", queryset=Phone.objects.filter(location__isnull=True)),
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__site"),
            ),
        )
        .order_by("name")
    )
    may_edit = may_edit_entry(user=user, organisation=organisation)
    locations = list(
        Location.objects.filter(organisation=organisation)
        .select_related("site", "county", "sub_county", "ward")
        .prefetch_related("phones", "schedules")
    )
    contacts: list[Contact] = []
    if scoped(user, DIRECTORY_CONTACT, VIEW, Organisation.objects.filter(pk=organisation.pk)):
        contacts = list(Contact.objects.filter(organisation=organisation).select_related("service"))
    may_see_mou = bool(
        scoped(user, DIRECTORY_MOU, VIEW, Organisation.objects.filter(pk=organisation.pk))
    )
    return {
        "organisation": organisation,
        "profile": profile,
        "services": services,
        "locations": [
            {
                "location": item,
                "confidential": hsds.is_confidential(item),
                # A shelter's whereabouts go only to those who keep the entry.
                "show_address": may_edit or not hsds.is_confidential(item),
            }
            for item in locations
        ],
        "organisation_phones": list(
            Phone.objects.filter(
                organisation=organisation, service__isnull=True, location__isnull=True
            )
        ),
        "contacts": contacts,
        "may_see_contacts": can(user, DIRECTORY_CONTACT, VIEW),
        "may_see_mou": may_see_mou,
        "may_edit": may_edit,
        "may_edit_contacts": may_edit_contacts(user=user, organisation=organisation),
    }


def may_edit_entry(*, user: Any, organisation: Organisation) -> bool:
    return scoped(user, DIRECTORY, UPDATE, Organisation.objects.filter(pk=organisation.pk)).exists()


def organisation_for_edit(*, user: Any, public_id: Any) -> Organisation:
    return get_scoped_or_404(
        user,
        DIRECTORY,
        UPDATE,
        Organisation.objects.select_related("directory_profile"),
        public_id=public_id,
    )


def may_edit_mou(*, user: Any, organisation: Organisation) -> bool:
    return scoped(
        user, DIRECTORY_MOU, UPDATE, Organisation.objects.filter(pk=organisation.pk)
    ).exists()


def service_for_edit(*, user: Any, public_id: Any) -> PartnerService:
    return get_scoped_or_404(
        user,
        DIRECTORY,
        UPDATE,
        PartnerService.objects.select_related("organisation").prefetch_related(
            "service_types", "languages", "catchment_counties", "catchment_sub_counties"
        ),
        public_id=public_id,
    )


def organisations_without_profile(*, user: Any) -> QuerySet:
    if scope_for(user, DIRECTORY, "create") == "none":
        return Organisation.objects.none()
    return Organisation.objects.filter(directory_profile__isnull=True, is_active=True)


# --- HSDS API ------------------------------------------------------------------------------------


def _page(queryset_or_list: Any, *, page: int, per_page: int, item) -> dict[str, Any]:
    per_page = max(1, min(per_page or API_PAGE_SIZE, API_MAX_PAGE_SIZE))
    page = max(1, page or 1)
    paginator = Paginator(queryset_or_list, per_page)
    total_items = paginator.count
    total_pages = max(1, paginator.num_pages)
    if page <= paginator.num_pages:
        contents = [item(row) for row in paginator.page(page).object_list]
    else:
        contents = []
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def require_reader(user: Any) -> None:
    if not may_read_published(user):
        raise Http404


def hsds_services(
    *,
    user: Any,
    search: str = "",
    page: int = 1,
    per_page: int = API_PAGE_SIZE,
    taxonomy_term_id: str | None = None,
    organization_id: str | None = None,
    modified_after: datetime | None = None,
) -> dict[str, Any]:
    require_reader(user)
    queryset = _search(hsds.published_services(), search or "")
    if taxonomy_term_id:
        code = hsds.term_code(taxonomy_term_id)
        queryset = queryset.filter(service_types__service_type=code) if code else queryset.none()
    if organization_id:
        queryset = queryset.filter(organisation__public_id=organization_id)
    if modified_after is not None:
        queryset = queryset.filter(updated_at__gte=modified_after)
    rows = (
        PartnerService.objects.filter(pk__in=queryset.values("pk"))
        .select_related("organisation__directory_profile")
        .order_by("organisation__name", "name", "pk")
    )
    return _page(rows, page=page, per_page=per_page, item=hsds.service_list_item)


def hsds_service(*, user: Any, public_id: Any) -> dict[str, Any]:
    require_reader(user)
    try:
        service = hsds.service_queryset().get(public_id=public_id)
    except (PartnerService.DoesNotExist, ValueError):
        raise Http404 from None
    return hsds.service_full(service)


def hsds_organisations(
    *, user: Any, search: str = "", page: int = 1, per_page: int = API_PAGE_SIZE
) -> dict[str, Any]:
    require_reader(user)
    queryset = hsds.published_profiles().select_related("organisation")
    if search and search.strip():
        text = search.strip()
        queryset = queryset.filter(
            Q(organisation__name__icontains=text)
            | Q(alternate_name__icontains=text)
            | Q(description__icontains=text)
        )
    queryset = queryset.order_by("organisation__name")
    return _page(queryset, page=page, per_page=per_page, item=hsds.organisation_flat)


def hsds_organisation(*, user: Any, public_id: Any) -> dict[str, Any]:
    require_reader(user)
    try:
        profile = hsds.organisation_queryset(with_services=True).get(
            organisation__public_id=public_id
        )
    except (DirectoryProfile.DoesNotExist, ValueError):
        raise Http404 from None
    return hsds.organisation_full(profile)


def hsds_taxonomies(*, user: Any, page: int = 1, per_page: int = API_PAGE_SIZE) -> dict:
    require_reader(user)
    return _page([hsds.taxonomy()], page=page, per_page=per_page, item=lambda row: row)


def hsds_taxonomy_terms(*, user: Any, page: int = 1, per_page: int = API_PAGE_SIZE) -> dict:
    require_reader(user)
    return _page(hsds.taxonomy_terms(), page=page, per_page=per_page, item=lambda row: row)


# --- Parts of an entry ---------------------------------------------------------------------------


def location_for_edit(*, user: Any, public_id: Any) -> Location:
    return get_scoped_or_404(
        user,
        DIRECTORY,
        UPDATE,
        Location.objects.select_related("organisation", "site"),
        public_id=public_id,
    )


def schedule_for_edit(*, user: Any, public_id: Any):
    from tumaini.directory.models import Schedule

    try:
        schedule = Schedule.objects.select_related(
            "service__organisation", "location__organisation"
        ).get(public_id=public_id)
    except (Schedule.DoesNotExist, ValueError):
        raise Http404 from None
    owner = schedule.service or schedule.location
    if not may_edit_entry(user=user, organisation=owner.organisation):
        raise Http404
    return schedule


def phone_for_edit(*, user: Any, public_id: Any) -> Phone:
    return get_scoped_or_404(
        user, DIRECTORY, UPDATE, Phone.objects.select_related("organisation"), public_id=public_id
    )


def organisation_for_new_contact(*, user: Any, public_id: Any) -> Organisation:
    return get_scoped_or_404(
        user, DIRECTORY_CONTACT, "create", Organisation.objects.all(), public_id=public_id
    )


def contact_for_edit(*, user: Any, public_id: Any) -> Contact:
    return get_scoped_or_404(
        user,
        DIRECTORY_CONTACT,
        UPDATE,
        Contact.objects.select_related("organisation", "service"),
        public_id=public_id,
    )


def may_edit_contacts(*, user: Any, organisation: Organisation) -> bool:
    return scoped(
        user, DIRECTORY_CONTACT, UPDATE, Organisation.objects.filter(pk=organisation.pk)
    ).exists()
