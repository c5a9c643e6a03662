"""Who may read and write counselling and medical records.

Session notes are the most private part of a survivor's file: only the counsellor who wrote a note
reads it (`own` = written by me, `SessionNote.scope_fields.owner = "author"`). A director may open
one note through break-glass, with a reason, audited and shown to the author. Nobody else has any
grant, so every other user gets the same 404 as for a note that does not exist.

Medical records are read and written by the medical officers of the case's organisation. Case
managers and directors see only "seen by the medical team on ..." on the case page (a summary the
case part computes, not a grant on the records).
"""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import BREAK_GLASS, CREATE, UPDATE, VIEW, Scope, declare

COUNSELLING_CLIENT = declare(
    "counselling_client",
    label=_("Counselling clients"),
    survivor_data=True,
    description=_(
        "A case given to a counsellor (the counsellor sees the client's list name and case "
        "number, nothing else of the case); the case manager or director assigns it on the case"
    ),
    grants={
        Role.COUNSELLOR: {VIEW: Scope.OWN},
        Role.CASE_MANAGER: {CREATE: Scope.TEAM, UPDATE: Scope.TEAM},
        Role.DIRECTOR: {CREATE: Scope.ORGANISATION, UPDATE: Scope.ORGANISATION},
    },
)

SESSION_NOTE = declare(
    "session_note",
    label=_("Counselling session notes"),
    survivor_data=True,
    description=_(
        "Read only by the counsellor who wrote them (own = written by me); a director only by "
        "break-glass. Never in summaries or exports"
    ),
    grants={
        Role.COUNSELLOR: {VIEW: Scope.OWN, CREATE: Scope.OWN, UPDATE: Scope.OWN},
        Role.DIRECTOR: {BREAK_GLASS: Scope.ORGANISATION},
    },
)

MEDICAL_RECORD = declare(
    "medical_record",
    label=_("Medical records"),
    survivor_data=True,
    description=_(
        "Visits, conditions, hospital referrals and consent to treatment; case managers and "
        "directors see only the dates of visits and whether a hospital referral is open"
    ),
    grants={
        Role.MEDICAL_OFFICER: {
            VIEW: Scope.ORGANISATION,
            CREATE: Scope.ORGANISATION,
            UPDATE: Scope.ORGANISATION,
        },
    },
)
