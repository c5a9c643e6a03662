"""Who carries a case: the director reassigns its case manager and team; the case manager keeps its
flags. Both refuse an edit made on a stale page (optimistic locking on the case's version)."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.cases.enums import CaseFlag
from tumaini.cases.models import Case
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned
from tumaini.people.models import Person


class AssignmentRefused(Exception):
    """The new case manager or team cannot carry this case (the message says why)."""


def case_assign(
    *, actor, case: Case, assigned_to, team, expected_version: int, request=None
) -> Case:
    """Reassign the case; the survivor's person record follows (same scope as the case)."""
    if (
        assigned_to.organisation_id != case.organisation_id
        or not assigned_to.is_active
        or Role.CASE_MANAGER not in assigned_to.role_codes
    ):
        raise AssignmentRefused(_("Choose an active case manager of the case's organisation."))
    if team is not None and team.organisation_id != case.organisation_id:
        raise AssignmentRefused(_("Choose a team of the case's organisation."))
    with transaction.atomic():
        case = save_versioned(
            record=case,
            expected_version=expected_version,
            changes={"assigned_to": assigned_to, "team": team},
            actor=actor,
            request=request,
        )
        person_changed = [
            name
            for name, value in (
                ("assigned_to_id", assigned_to.pk),
                ("team_id", team.pk if team else None),
            )
            if getattr(case.person, name) != value
        ]
        if person_changed:
            Person.objects.filter(pk=case.person_id).update(
                assigned_to=assigned_to, team=team, version=F("version") + 1
            )
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=case.person,
                fields_changed=[name.removesuffix("_id") for name in person_changed],
                detail={"case": str(case.public_id)},
            )
    return case


def case_flags_set(*, actor, case: Case, flags, expected_version: int, request=None) -> Case:
    known = [code for code in CaseFlag.values if code in set(flags)]
    return save_versioned(
        record=case,
        expected_version=expected_version,
        changes={"flags": known},
        actor=actor,
        request=request,
    )
