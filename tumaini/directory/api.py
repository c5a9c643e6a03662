"""The Open Referral HSDS 3.0 API, at /api/hsds/ on the project's API.

Staff sign in as for every route (session or API token) and read under the `directory` policy. With
TUMAINI_DIRECTORY_PUBLIC on, anyone may read without signing in: only published facts come out (no
contact persons, no MoU, never a shelter's whereabouts).
"""

from datetime import datetime
from uuid import UUID

from django.http import HttpResponse
from ninja import Router

from tumaini.directory import hsds, selectors
from tumaini.directory.export import data_package_filename, data_package_zip

HSDS_OPENAPI_URL = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
)


class _Public:
    """What `request.auth` holds for an anonymous reader of a public directory."""

    is_authenticated = False

    def __bool__(self) -> bool:
        return True


def public_directory_auth(request):
    """Lets anonymous readers in only when the directory is public (checked on every request)."""
    return _Public() if selectors.public_directory() else None


router = Router(tags=["HSDS 3.0 directory"])


def _reader(request):
    auth = request.auth
    return auth if getattr(auth, "is_authenticated", False) else None


@router.get("/", summary="HSDS version and profile of this API")
def hsds_root(request):
    selectors.require_reader(_reader(request))
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.HSDS_PROFILE,
        "openapi_url": HSDS_OPENAPI_URL,
    }


@router.get("/services", summary="A page of services (one-to-one fields and their organisation)")
def hsds_services(
    request,
    search: str = "",
    page: int = 1,
    per_page: int = selectors.API_PAGE_SIZE,
    taxonomy_term_id: UUID | None = None,
    organization_id: UUID | None = None,
    modified_after: datetime | None = None,
):
    return selectors.hsds_services(
        user=_reader(request),
        search=search,
        page=page,
        per_page=per_page,
        taxonomy_term_id=taxonomy_term_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )


@router.get("/services/{id}", summary="One service, fully nested")
def hsds_service(request, id: UUID):  # noqa: A002  (HSDS names the parameter `id`)
    return selectors.hsds_service(user=_reader(request), public_id=id)


@router.get("/organizations", summary="A page of organisations")
def hsds_organizations(
    request, search: str = "", page: int = 1, per_page: int = selectors.API_PAGE_SIZE
):
    return selectors.hsds_organisations(
        user=_reader(request), search=search, page=page, per_page=per_page
    )


@router.get("/organizations/{id}", summary="One organisation with its services, fully nested")
def hsds_organization(request, id: UUID):  # noqa: A002
    return selectors.hsds_organisation(user=_reader(request), public_id=id)


@router.get("/taxonomies", summary="The taxonomies of service types")
def hsds_taxonomies(request, page: int = 1, per_page: int = selectors.API_PAGE_SIZE):
    return selectors.hsds_taxonomies(user=_reader(request), page=page, per_page=per_page)


@router.get("/taxonomy_terms", summary="The service types, as taxonomy terms")
def hsds_taxonomy_terms(request, page: int = 1, per_page: int = selectors.API_PAGE_SIZE):
    return selectors.hsds_taxonomy_terms(user=_reader(request), page=page, per_page=per_page)


@router.get("/datapackage.zip", summary="The whole directory as an HSDS tabular data package")
def hsds_data_package(request):
    selectors.require_reader(_reader(request))
    response = HttpResponse(data_package_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{data_package_filename()}"'
    return response
