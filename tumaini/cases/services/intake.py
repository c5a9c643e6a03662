"""Intake: a survivor arrives, a case opens. One service, one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.cases.enums import CaseFlag, CaseStage
from tumaini.cases.models import Case, Intake, new_case_number
from tumaini.cases.policies import CASE
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.people.models import Person
from tumaini.people.services import person_create

CASE_NUMBER_ATTEMPTS = 8

INTAKE_FIELDS = (
    "source",
    "referring_organisation",
    "referrer_details",
    "intake_date",
    "where_identified",
    "sub_county",
    "narrative",
    "immediate_needs",
)


class CaseNumberExhausted(Exception):
    """No free case number after several tries (practically impossible: 25^6 numbers a year)."""


def _new_case(*, fields: dict, year: int) -> Case:
    for _attempt in range(CASE_NUMBER_ATTEMPTS):
        number = new_case_number(year)
        try:
            # A savepoint: a clash rolls back only this insert, and we draw again.
            with transaction.atomic():
                return Case.objects.create(case_number=number, **fields)
        except IntegrityError:
            if not Case.objects.filter(case_number=number).exists():
                raise
    raise CaseNumberExhausted("no free case number")


def case_open_from_intake(
    *,
    actor: Any,
    intake: Mapping[str, Any],
    team: Any,
    case_manager: Any,
    person: Person | None = None,
    identity: Mapping[str, Any] | None = None,
    child_protection_officer: Any = None,
    source_report: Any = None,
    request: Any = None,
) -> Case:
    """Open a case at screening for an existing `person` (linked after a duplicate warning) or a
    new one described by `identity` (people.services.person_create arguments).

    `source_report`: the public report this intake started from; it is linked to the new case in
    the same transaction (its status becomes "linked to a case").

    Raises ValidationError naming the field at fault (the child protection officer of a child, an
    impossible age or intake date).
    """
    access.require(actor, CASE, access.CREATE)
    organisation = actor.organisation
    if organisation is None:
        raise ValidationError(_("Your account belongs to no organisation."))
    for user, name in ((case_manager, "case_manager"), (child_protection_officer, "cpo")):
        if user is not None and (user.organisation_id != organisation.pk or not user.is_active):
            field = "child_protection_officer" if name == "cpo" else name
            raise ValidationError({field: [_("Choose an active member of your organisation.")]})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": [_("Choose a team of your organisation.")]})
    intake_date: date = intake["intake_date"]
    if intake_date > timezone.localdate():
        raise ValidationError({"intake_date": [_("The intake date cannot be in the future.")]})
    now = timezone.now()
    with transaction.atomic():
        if person is None:
            if identity is None:
                raise ValueError("give a person or an identity")
            person = person_create(
                actor=actor,
                organisation=organisation,
                team=team,
                assigned_to=case_manager,
                request=request,
                **identity,
            )
        elif person.organisation_id != organisation.pk or person.merged_into_id:
            raise ValidationError(_("This person cannot receive a new case here."))
        if person.is_child and child_protection_officer is None:
            raise ValidationError(
                {
                    "child_protection_officer": [
                        _("The survivor is a child: choose a child protection officer.")
                    ]
                }
            )
        case = _new_case(
            fields={
                "person": person,
                "organisation": organisation,
                "team": team,
                "assigned_to": case_manager,
                "stage": CaseStage.SCREENING,
                "opened_at": now,
                "flags": [CaseFlag.CHILD.value] if person.is_child else [],
                "child_protection_officer": child_protection_officer,
            },
            year=timezone.localdate().year,
        )
        record = Intake.objects.create(
            case=case,
            recorded_by=actor,
            **{name: intake.get(name) or _blank(name) for name in INTAKE_FIELDS},
        )
        case_fields = ["case_number", "stage", "opened_at", "person", "organisation", "team"]
        case_fields += [
            name
            for name, value in (
                ("assigned_to", case_manager),
                ("flags", case.flags),
                ("child_protection_officer", child_protection_officer),
            )
            if value
        ]
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=case,
            fields_changed=case_fields,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            object_type=Intake._meta.label_lower,
            object_id=str(case.public_id),
            object_organisation_id=organisation.pk,
            fields_changed=[name for name in INTAKE_FIELDS if getattr(record, name)],
        )
        if source_report is not None:
            # Imported here: the tips app builds on cases, not the other way round.
            from tumaini.core.services import VersionConflict
            from tumaini.tips.services import ReportRefused
            from tumaini.tips.services.links import report_link_case

            try:
                report_link_case(
                    actor=actor,
                    report=source_report,
                    case=case,
                    expected_version=source_report.version,
                    request=request,
                )
            except (ReportRefused, VersionConflict) as refused:
                raise ValidationError(str(refused)) from refused
    return case


def _blank(name: str) -> Any:
    # Foreign keys and dates are None when not given; text is "".
    return None if name in ("referring_organisation", "sub_county", "intake_date") else ""
