"""The JSON API (django-ninja): one NinjaAPI, routers added by each app.

Every route accepts a signed-in staff session or an API token (Authorization: Bearer tum_...), and
answers under the same access policy as the pages. No interactive docs page: it would load assets from a
CDN; the OpenAPI document is at /api/openapi.json.
"""

from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, django_auth

from tumaini.api.services import api_token_user
from tumaini.core.access import REGISTRY, scope_for
from tumaini.directory.api import public_directory_auth
from tumaini.directory.api import router as hsds_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            # Selectors and the audit trail read request.user, whichever way the caller signed in.
            request.user = user
        return user


api = NinjaAPI(
    title="Tumaini API",
    version="1",
    auth=[TokenAuth(), django_auth],
    docs_url=None,
    urls_namespace="api",
)


class MeOut(Schema):
    username: str
    full_name: str
    organisation: str | None
    roles: list[str]
    permissions: dict[str, dict[str, str]]


@api.get("/me", response=MeOut, summary="The signed-in user, their roles and what they may do")
def me(request):
    user = request.auth
    permissions: dict[str, dict[str, str]] = {}
    for name, resource in REGISTRY.items():
        granted = {
            action: str(scope_for(user, resource, action))
            for action in resource.actions()
            if scope_for(user, resource, action) != "none"
        }
        if granted:
            permissions[name] = granted
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "organisation": user.organisation.name if user.organisation_id else None,
        "roles": sorted(user.role_codes),
        "permissions": permissions,
    }


# The partner directory's Open Referral HSDS 3.0 routes; readable without signing in only when
# TUMAINI_DIRECTORY_PUBLIC is on.
api.add_router("/hsds/", hsds_router, auth=[TokenAuth(), django_auth, public_directory_auth])


@api.exception_handler(PermissionError)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
