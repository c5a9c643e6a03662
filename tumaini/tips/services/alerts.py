"""Service-level alerts: the periodic check that tells the hotline supervisors about reports past
their target (tips/sla.py), once per breach."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.cases.services.workflow import notify
from tumaini.tips import sla
from tumaini.tips.models import Report

# One run never works through more than this many breaches; the next run takes the rest.
ALERTS_PER_RUN = 500

ALERTED_FIELD = {sla.TRIAGE: "triage_alerted_at", sla.ESCALATION: "escalation_alerted_at"}


def hotline_supervisors(organisation_id: int):
    return User.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role_assignments__role=Role.HOTLINE_SUPERVISOR,
    ).distinct()


def _message(report: Report, kind: str, minutes: int) -> str:
    # Stored text: the reference code and urgency only, never what the report says.
    with translation.override(settings.LANGUAGE_CODE):
        if kind == sla.TRIAGE:
            return _(
                "Report %(reference)s (%(urgency)s) is %(minutes)d minutes past its triage target."
            ) % {
                "reference": report.display_reference,
                "urgency": report.get_urgency_display(),
                "minutes": minutes,
            }
        return _(
            "Report %(reference)s (%(urgency)s) is %(minutes)d minutes past its escalation target."
        ) % {
            "reference": report.display_reference,
            "urgency": report.get_urgency_display(),
            "minutes": minutes,
        }


def report_sla_alerts(*, now: datetime | None = None) -> int:
    """Notify the supervisors of each report that has newly breached a target; returns how many
    breaches were alerted. A breach is alerted once: the report records when."""
    now = now or timezone.now()
    alerted = 0
    for kind, condition in (
        (sla.TRIAGE, sla.triage_breached(now)),
        (sla.ESCALATION, sla.escalation_breached(now)),
    ):
        field = ALERTED_FIELD[kind]
        due = (
            Report.objects.filter(condition, **{f"{field}__isnull": True})
            .order_by("received_at")
            .values_list("pk", flat=True)[:ALERTS_PER_RUN]
        )
        for pk in list(due):
            with transaction.atomic():
                report = Report.objects.select_for_update().get(pk=pk)
                deadline = sla.deadline_for(report, now=now)
                if getattr(report, field) is not None or deadline is None or deadline.kind != kind:
                    continue  # handled meanwhile
                notify(
                    recipients=hotline_supervisors(report.organisation_id),
                    case=None,
                    message=_message(report, kind, deadline.minutes),
                )
                Report.objects.filter(pk=pk).update(**{field: now})
                alerted += 1
    return alerted
