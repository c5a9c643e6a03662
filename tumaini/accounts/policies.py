"""Resources of the accounts app: organisations, sites, teams and staff accounts."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, UPDATE, VIEW, Scope, declare

ORGANISATION = declare(
    "organisation",
    label=_("Organisations and sites"),
    survivor_data=False,
    grants={
        Role.SYSTEM_ADMIN: {VIEW: Scope.ALL, CREATE: Scope.ALL, UPDATE: Scope.ALL},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION},
    },
)

STAFF_ACCOUNT = declare(
    "staff_account",
    label=_("Staff accounts and roles"),
    survivor_data=False,
    grants={
        Role.SYSTEM_ADMIN: {VIEW: Scope.ALL, CREATE: Scope.ALL, UPDATE: Scope.ALL},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION},
    },
)
