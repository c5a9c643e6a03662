"""Staff administration: organisations, sites, teams, staff accounts and roles.

Thin views: the selector decides what the user may see (404 outside scope, including for a
director opening an edit page), the service does the write and its audit event.
"""

from tumaini.accounts.views.organisations import (
    organisation_create,
    organisation_deactivate,
    organisation_detail,
    organisation_edit,
    organisation_list,
    organisation_reactivate,
    site_create,
    site_edit,
    team_create,
    team_edit,
)
from tumaini.accounts.views.staff import (
    staff_create,
    staff_deactivate,
    staff_detail,
    staff_edit,
    staff_list,
    staff_reactivate,
    staff_reset_mfa,
    staff_reset_password,
)

__all__ = [
    "organisation_create",
    "organisation_deactivate",
    "organisation_detail",
    "organisation_edit",
    "organisation_list",
    "organisation_reactivate",
    "site_create",
    "site_edit",
    "staff_create",
    "staff_deactivate",
    "staff_detail",
    "staff_edit",
    "staff_list",
    "staff_reactivate",
    "staff_reset_mfa",
    "staff_reset_password",
    "team_create",
    "team_edit",
]
