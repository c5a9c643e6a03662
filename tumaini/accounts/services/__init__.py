"""Writes of the accounts app: organisations, sites, teams, staff accounts, roles and passwords.

Every service runs in one transaction and writes its audit event in it. Audit rows carry the
NAMES of changed fields, never values: the work phone is encrypted and passwords never leave
Django's hasher. Callers import this package (`services.user_create(...)`); the modules are:
`common` (stale-edit tokens, locks), `organisations` (organisations, sites, teams), `staff`
(accounts, roles, second factors) and `passwords`.
"""

from tumaini.accounts.services.common import StaleEditError, state_token
from tumaini.accounts.services.organisations import (
    ORGANISATION_FIELDS,
    SITE_FIELDS,
    organisation_create,
    organisation_set_active,
    organisation_update,
    site_create,
    site_update,
    team_create,
    team_update,
)
from tumaini.accounts.services.passwords import (
    generate_initial_password,
    user_password_changed,
    user_reset_password,
)
from tumaini.accounts.services.staff import (
    USER_FIELDS,
    user_create,
    user_deactivate,
    user_reactivate,
    user_reset_mfa,
    user_set_active,
    user_set_roles,
    user_update,
)

__all__ = [
    "ORGANISATION_FIELDS",
    "SITE_FIELDS",
    "USER_FIELDS",
    "StaleEditError",
    "generate_initial_password",
    "organisation_create",
    "organisation_set_active",
    "organisation_update",
    "site_create",
    "site_update",
    "state_token",
    "team_create",
    "team_update",
    "user_create",
    "user_deactivate",
    "user_password_changed",
    "user_reactivate",
    "user_reset_mfa",
    "user_reset_password",
    "user_set_active",
    "user_set_roles",
    "user_update",
]
