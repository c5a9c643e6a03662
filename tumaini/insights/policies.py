"""Who may take anonymised statistics out of Tumaini."""

from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.core.access import EXPORT, Scope, declare

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
