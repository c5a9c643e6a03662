"""Who may see and handle public reports. A report can identify a victim or the reporter, so it is
survivor data: the system administrator never reads it. The reporter's contact is a resource of its
own, so that only hotline supervisors see it."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import CREATE, UPDATE, VIEW, Scope, declare

ESCALATE = "escalate"
CLOSE = "close"
# Start an intake from a report, or link it to an existing case: whoever may open cases.
LINK_CASE = "link_case"

PUBLIC_REPORT = declare(
    "public_report",
    label=_("Public reports"),
    survivor_data=True,
    description=_(
        "Reports from the public (web, SMS, USSD, voice, hotline): triage, assignment, escalation "
        "and closure. A law-enforcement liaison's 'own' reports are those escalated to "
        "their unit."
    ),
    grants={
        Role.HOTLINE_AGENT: {
            VIEW: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            ESCALATE: Scope.ORGANISATION,
            CLOSE: Scope.ORGANISATION,
        },
        Role.HOTLINE_SUPERVISOR: {
            VIEW: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            ESCALATE: Scope.ORGANISATION,
            CLOSE: Scope.ORGANISATION,
        },
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, LINK_CASE: Scope.ORGANISATION},
        # Case managers read reports to open an intake from one or to link one to their case.
        Role.CASE_MANAGER: {VIEW: Scope.ORGANISATION, LINK_CASE: Scope.ORGANISATION},
        Role.LAW_ENFORCEMENT_LIAISON: {VIEW: Scope.OWN},
    },
)

REPORT_FIGURES = declare(
    "public_report_figures",
    label=_("Public report figures"),
    survivor_data=False,
    description=_(
        "Counts of reports by channel, place and week, and times to triage and escalation: "
        "numbers only, no report"
    ),
    grants={
        Role.HOTLINE_SUPERVISOR: {VIEW: Scope.ORGANISATION},
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION},
    },
)

REPORTER_CONTACT = declare(
    "public_report_contact",
    label=_("Reporters' contacts"),
    survivor_data=True,
    description=_("The name, phone number or other contact a reporter chose to leave"),
    grants={Role.HOTLINE_SUPERVISOR: {VIEW: Scope.ORGANISATION}},
)

# Awareness campaigns: staff-entered dates and channels, read by the dashboard's "during vs before"
# comparison. Not survivor data.
CAMPAIGN = declare(
    "public_report_campaign",
    label=_("Awareness campaigns"),
    survivor_data=False,
    description=_(
        "Campaign periods (name, dates, channels promoted) that the figures compare public "
        "reports against"
    ),
    grants={
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
        Role.HOTLINE_SUPERVISOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
    },
)
