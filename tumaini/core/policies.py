"""Resources of the core app: the audit trail, break-glass and background tasks."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import EXPORT, VIEW, Scope, declare

AUDIT_EVENT = declare(
    "audit_event",
    label=_("Audit trail"),
    survivor_data=False,
    description=_("Who did what, when; events of the user's organisation"),
    grants={
        Role.DIRECTOR: {VIEW: Scope.ORGANISATION, EXPORT: Scope.ORGANISATION},
        Role.HOTLINE_SUPERVISOR: {VIEW: Scope.ORGANISATION},
        # The administrator investigates logins and key changes across the system.
        Role.SYSTEM_ADMIN: {VIEW: Scope.ALL},
    },
)

BACKGROUND_TASK = declare(
    "background_task",
    label=_("Background tasks"),
    survivor_data=False,
    description=_("The task queue: failures and retries"),
    grants={Role.SYSTEM_ADMIN: {VIEW: Scope.ALL}},
)
