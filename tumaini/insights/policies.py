"""Who may take anonymised statistics out of Tumaini."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, EXPORT, VIEW, Scope, declare

# Anonymised, but computed from survivors' records: the administrator never runs it (survivor data).
CTDC_EXPORT = declare(
    "ctdc_export",
    label=_("CTDC statistics export"),
    survivor_data=True,
    description=_(
        "Anonymised case data in the CTDC global dataset layout, k-anonymised (k = 11), only "
        "survivors whose consent allows statistics"
    ),
    grants={Role.DIRECTOR: {EXPORT: Scope.ORGANISATION}},
)

# Aggregates only: counts, never rows. Viewers without "view_exact" see small cells suppressed.
VIEW_EXACT = "view_exact"

INSIGHTS_DASHBOARD = declare(
    "insights_dashboard",
    label=_("Needs-assessment dashboard"),
    survivor_data=True,
    description=_(
        "Counts of identified survivors, exploitation, places, public reports and justice; small "
        "cells suppressed for aggregate-only roles"
    ),
    grants={
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, VIEW_EXACT: Scope.ORGANISATION},
        Role.COUNTY_ANALYST: {VIEW: Scope.ALL},
    },
)

SITUATION_REPORT = declare(
    "situation_report",
    label=_("Situation reports for the county"),
    survivor_data=True,
    description=_("Monthly and quarterly reports (PDF and Excel) of the dashboard's figures"),
    grants={
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            EXPORT: Scope.ORGANISATION,
        },
    },
)
