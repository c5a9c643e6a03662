"""Who may do what with cases. Counsellors, nurses, legal officers and shelter managers get their own
parts of a case in later capabilities (session notes, medical, justice, beds); until then, none."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import BREAK_GLASS, CREATE, EXPORT, PRINT, UPDATE, VIEW, Scope, declare

APPROVE = "approve"
ASSIGN = "assign"

CASE = declare(
    "case",
    label=_("Survivor cases"),
    survivor_data=True,
    description=_(
        "The case file: intake, screening, exploitation profile, consent, assessments, care plan, "
        "notes and documents"
    ),
    grants={
        Role.CASE_MANAGER: {
            VIEW: Scope.TEAM,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.TEAM,
            PRINT: Scope.TEAM,
        },
        Role.DIRECTOR: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
            PRINT: Scope.ORGANISATION,
            APPROVE: Scope.ORGANISATION,
            ASSIGN: Scope.ORGANISATION,
            EXPORT: Scope.ORGANISATION,
            BREAK_GLASS: Scope.ALL,
        },
    },
)

SCREENING_TOOL = declare(
    "screening_tool",
    label=_("Screening question sets"),
    survivor_data=False,
    grants={
        Role.DIRECTOR: {VIEW: Scope.ALL, CREATE: Scope.ALL, UPDATE: Scope.ALL},
        Role.CASE_MANAGER: {VIEW: Scope.ALL},
    },
)
