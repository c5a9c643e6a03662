"""Writes of organisations, their sites and their teams."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tumaini.accounts.models import Organisation, Site, Team, User
from tumaini.accounts.services.common import apply_values, check_fresh, copy_saved, locked
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

ORGANISATION_FIELDS = ("name", "short_name", "type", "county")
SITE_FIELDS = ("name", "type", "sub_county", "is_confidential")


@transaction.atomic
def organisation_create(
    *, actor: User, request: Any = None, name: str, type: str, short_name: str = "", county=None
) -> Organisation:
    organisation = Organisation(name=name, short_name=short_name, type=type, county=county)
    organisation.full_clean()
    organisation.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=organisation,
        fields_changed=[f for f in ORGANISATION_FIELDS if getattr(organisation, f)],
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    request: Any = None,
    expected_state: str | None = None,
    **values: Any,
) -> list[str]:
    """Change name, short name, type or county; returns the names of the fields changed."""
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update cannot change {sorted(unknown)}")
    record = locked(Organisation, organisation.pk)
    check_fresh(record, expected_state)
    changed = apply_values(record, ORGANISATION_FIELDS, values)
    if changed:
        record.full_clean()
        record.save(update_fields=changed)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=record,
            fields_changed=changed,
        )
    copy_saved(organisation, record)
    return changed


@transaction.atomic
def organisation_set_active(
    *, actor: User, organisation: Organisation, active: bool, request: Any = None
) -> bool:
    """Deactivate (or reactivate) an organisation; returns whether anything changed.

    Its staff keep their accounts: deactivate them one by one, each with its own audit event.
    """
    record = locked(Organisation, organisation.pk)
    if record.is_active == active:
        return False
    if not active and actor.organisation_id == record.pk:
        raise ValidationError(_("You cannot deactivate your own organisation."), code="self")
    record.is_active = active
    record.save(update_fields=["is_active"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=record,
        fields_changed=["is_active"],
    )
    copy_saved(organisation, record)
    return True


# --- Sites and teams ----------------------------------------------------------------------------


@transaction.atomic
def site_create(
    *,
    actor: User,
    organisation: Organisation,
    request: Any = None,
    name: str,
    type: str,
    sub_county=None,
    is_confidential: bool = False,
) -> Site:
    site = Site(
        organisation=organisation,
        name=name,
        type=type,
        sub_county=sub_county,
        is_confidential=is_confidential,
    )
    site.full_clean()
    site.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=site,
        fields_changed=[f for f in SITE_FIELDS if getattr(site, f)],
    )
    return site


@transaction.atomic
def site_update(
    *, actor: User, site: Site, request: Any = None, expected_state: str | None = None, **values
) -> list[str]:
    unknown = set(values) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"site_update cannot change {sorted(unknown)}")
    record = locked(Site, site.pk)
    check_fresh(record, expected_state)
    changed = apply_values(record, SITE_FIELDS, values)
    if changed:
        record.full_clean()
        record.save(update_fields=changed)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=record,
            fields_changed=changed,
        )
    copy_saved(site, record)
    return changed


def _check_team_parts(organisation: Organisation, site: Site | None, members: Iterable[User]):
    errors: dict[str, list[str]] = {}
    if site is not None and site.organisation_id != organisation.pk:
        errors["site"] = [_("The site must belong to the team's organisation.")]
    outside = sorted(m.username for m in members if m.organisation_id != organisation.pk)
    if outside:
        errors["members"] = [
            _("Members must work for the team's organisation: %(names)s")
            % {"names": ", ".join(outside)}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_create(
    *,
    actor: User,
    organisation: Organisation,
    request: Any = None,
    name: str,
    site: Site | None = None,
    members: Iterable[User] = (),
) -> Team:
    members = list(members)
    _check_team_parts(organisation, site, members)
    team = Team(organisation=organisation, name=name, site=site)
    team.full_clean()
    team.save()
    team.members.set(members)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=team,
        fields_changed=["name", *(["site"] if site else []), *(["members"] if members else [])],
        detail={"added": sorted(m.username for m in members), "removed": []},
    )
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    request: Any = None,
    expected_state: str | None = None,
    name: str,
    site: Site | None,
    members: Iterable[User],
) -> list[str]:
    record = locked(Team, team.pk)
    check_fresh(record, expected_state)
    members = list(members)
    _check_team_parts(record.organisation, site, members)
    changed = apply_values(record, ("name", "site"), {"name": name, "site": site})
    if changed:
        record.full_clean()
        record.save(update_fields=changed)
    before = {u.pk: u.username for u in record.members.all()}
    after = {u.pk: u.username for u in members}
    added = sorted(after[pk] for pk in after.keys() - before.keys())
    removed = sorted(before[pk] for pk in before.keys() - after.keys())
    if added or removed:
        record.members.set(members)
        changed.append("members")
    if changed:
        # Membership decides who sees a team's caseload: the names of who came and went are kept.
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=record,
            fields_changed=changed,
            detail={"added": added, "removed": removed} if (added or removed) else None,
        )
    copy_saved(team, record)
    return changed
