"""Writes of the accounts app: organisations, sites, teams, staff accounts and their roles.

Every service runs in one transaction and writes its audit event in it. Audit rows carry the
NAMES of changed fields, never values: the work phone is encrypted and passwords never leave
Django's hasher.

Concurrent edits: an edit form carries a `state` token, a keyed hash of the record's editable
values when the form was shown (`state_token`). The service recomputes it under a row lock and
refuses the edit when it differs, so a stale form never silently overwrites someone else's edit.
We chose this over a version column because a user's roles and teams live in other tables: the
token covers them without a migration or any bookkeeping elsewhere.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation, RoleAssignment, Site, Team, User
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

ORGANISATION_FIELDS = ("name", "short_name", "type", "county")
SITE_FIELDS = ("name", "type", "sub_county", "is_confidential")
USER_FIELDS = ("username", "first_name", "last_name", "email", "organisation", "phone")

# Unambiguous characters only: the administrator may read the password out over the phone.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class StaleEditError(ValidationError):
    """The record changed after the form was shown."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened the form. Nothing was "
                "saved: reload the page to see the current values, then make your change again."
            ),
            code="stale",
        )


# --- Concurrency tokens -------------------------------------------------------------------------


def _fingerprint(kind: str, values: Iterable[Any]) -> str:
    return salted_hmac(f"tumaini.accounts.state.{kind}", repr(tuple(values))).hexdigest()


def state_token(record: Organisation | Site | Team | User) -> str:
    """A keyed hash of what an edit form can change (keyed: it hides the encrypted phone)."""
    if isinstance(record, Organisation):
        return _fingerprint(
            "organisation",
            (record.name, record.short_name, record.type, record.county_id, record.is_active),
        )
    if isinstance(record, Site):
        return _fingerprint(
            "site", (record.name, record.type, record.sub_county_id, record.is_confidential)
        )
    if isinstance(record, Team):
        members = sorted(record.members.values_list("pk", flat=True))
        return _fingerprint("team", (record.name, record.site_id, members))
    if isinstance(record, User):
        teams = sorted(record.teams.values_list("pk", flat=True))
        roles = sorted(record.role_assignments.values_list("role", flat=True))
        return _fingerprint(
            "user",
            (
                record.username,
                record.first_name,
                record.last_name,
                record.email,
                record.organisation_id,
                record.phone,
                record.is_active,
                teams,
                roles,
            ),
        )
    raise TypeError(f"no state token for {type(record).__name__}")


def _check_fresh(record: Any, expected_state: str | None) -> None:
    if expected_state is not None and expected_state != state_token(record):
        raise StaleEditError()


def _locked(model: type, pk: int) -> Any:
    # The lock serialises two edits of the same record (SQLite serialises every write anyway).
    return model.objects.select_for_update().get(pk=pk)


def _apply(record: Any, names: Iterable[str], values: dict[str, Any]) -> list[str]:
    """Set the given fields; return the names of those whose value changed."""
    changed = []
    for name in names:
        if name not in values:
            continue
        if getattr(record, name) != values[name]:
            setattr(record, name, values[name])
            changed.append(name)
    return changed


# --- Organisations ------------------------------------------------------------------------------


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
    record = _locked(Organisation, organisation.pk)
    _check_fresh(record, expected_state)
    changed = _apply(record, ORGANISATION_FIELDS, values)
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
    _refresh(organisation, record)
    return changed


@transaction.atomic
def organisation_set_active(
    *, actor: User, organisation: Organisation, active: bool, request: Any = None
) -> bool:
    """Deactivate (or reactivate) an organisation; returns whether anything changed.

    Its staff keep their accounts: deactivate them one by one, each with its own audit event.
    """
    record = _locked(Organisation, organisation.pk)
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
    _refresh(organisation, record)
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
    record = _locked(Site, site.pk)
    _check_fresh(record, expected_state)
    changed = _apply(record, SITE_FIELDS, values)
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
    _refresh(site, record)
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
    record = _locked(Team, team.pk)
    _check_fresh(record, expected_state)
    members = list(members)
    _check_team_parts(record.organisation, site, members)
    changed = _apply(record, ("name", "site"), {"name": name, "site": site})
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
    _refresh(team, record)
    return changed


# --- Staff accounts -----------------------------------------------------------------------------


def generate_initial_password() -> str:
    """Four groups of five random characters: about 115 bits, easy to read out."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


def _check_teams(organisation: Organisation | None, teams: Iterable[Team]) -> None:
    outside = sorted(
        t.name for t in teams if organisation is None or t.organisation_id != organisation.pk
    )
    if outside:
        raise ValidationError(
            {
                "teams": [
                    _("Teams must belong to the person's organisation: %(names)s")
                    % {"names": ", ".join(outside)}
                ]
            }
        )


def _check_roles(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": [_("Unknown role.")]})
    return roles


def _require_admin_for(actor: User, touched: set[str]) -> None:
    if Role.SYSTEM_ADMIN in touched and Role.SYSTEM_ADMIN not in actor.role_codes:
        raise ValidationError(
            {"roles": [_("Only a system administrator can grant or remove that role.")]},
            code="forbidden_role",
        )


@transaction.atomic
def user_create(
    *,
    actor: User,
    request: Any = None,
    username: str,
    organisation: Organisation,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    teams: Iterable[Team] = (),
    roles: Iterable[str] = (),
    password: str | None = None,
) -> tuple[User, str]:
    """Create a staff account; returns it and its initial password (to show once, never stored).

    The new person must set up two-factor sign-in at first sign-in (RequireMFAMiddleware).
    """
    teams = list(teams)
    roles = _check_roles(roles)
    if not organisation.is_active:
        raise ValidationError(
            {"organisation": [_("This organisation is deactivated.")]}, code="inactive"
        )
    _check_teams(organisation, teams)
    _require_admin_for(actor, roles)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        phone=phone,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
    else:
        password = generate_initial_password()
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.teams.set(teams)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=user,
        fields_changed=[f for f in USER_FIELDS if getattr(user, f)] + (["teams"] if teams else []),
    )
    if roles:
        _write_roles(actor=actor, request=request, user=user, roles=roles)
    return user, password


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    request: Any = None,
    expected_state: str | None = None,
    teams: Iterable[Team] | None = None,
    roles: Iterable[str] | None = None,
    **values: Any,
) -> list[str]:
    """Change a staff account's details, and its teams and roles when given.

    Returns the names of the fields changed ("roles" included when roles changed).
    """
    unknown = set(values) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"user_update cannot change {sorted(unknown)}")
    record = _locked(User, user.pk)
    _check_fresh(record, expected_state)
    changed = _apply(record, USER_FIELDS, values)
    if "organisation" in changed and not record.organisation.is_active:
        raise ValidationError({"organisation": [_("This organisation is deactivated.")]})
    current_teams = list(record.teams.all())
    if teams is not None:
        teams = list(teams)
        if {t.pk for t in teams} != {t.pk for t in current_teams}:
            changed.append("teams")
    else:
        teams = current_teams
    # Checked whenever the organisation or the teams change: teams never cross organisations.
    if "teams" in changed or "organisation" in changed:
        _check_teams(record.organisation, teams)
    if changed:
        record.full_clean(exclude=["password"])
        # (BlindIndexField brings phone_index along when "phone" is in update_fields.)
        columns = [f for f in changed if f != "teams"]
        if columns:
            record.save(update_fields=columns)
        if "teams" in changed:
            record.teams.set(teams)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=record,
            fields_changed=changed,
        )
    if roles is not None and user_set_roles(actor=actor, user=record, roles=roles, request=request):
        changed.append("roles")
    _refresh(user, record)
    return changed


def _write_roles(*, actor: User, request: Any, user: User, roles: set[str]) -> dict[str, list]:
    current = set(user.role_assignments.values_list("role", flat=True))
    added = sorted(roles - current)
    removed = sorted(current - roles)
    if not added and not removed:
        return {"added": [], "removed": []}
    _require_admin_for(actor, set(added) | set(removed))
    if actor.pk == user.pk and Role.SYSTEM_ADMIN in removed:
        raise ValidationError(
            {"roles": [_("You cannot remove your own system administrator role.")]},
            code="self",
        )
    user.role_assignments.filter(role__in=removed).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role, granted_by=actor) for role in added]
    )
    user.__dict__.pop("_role_codes", None)
    detail = {"added": added, "removed": removed}
    audit_record(
        action=AuditAction.PERMISSION,
        actor=actor,
        request=request,
        obj=user,
        fields_changed=["roles"],
        detail=detail,
    )
    return detail


@transaction.atomic
def user_set_roles(
    *, actor: User, user: User, roles: Iterable[str], request: Any = None
) -> dict[str, list] | None:
    """Give the user exactly these roles; returns {"added", "removed"} or None if unchanged."""
    record = _locked(User, user.pk)
    detail = _write_roles(actor=actor, request=request, user=record, roles=_check_roles(roles))
    user.__dict__.pop("_role_codes", None)
    return detail if (detail["added"] or detail["removed"]) else None


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, request: Any = None) -> bool:
    """Deactivate (the person can no longer sign in) or reactivate a staff account."""
    record = _locked(User, user.pk)
    if record.is_active == active:
        return False
    if not active and record.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    record.is_active = active
    record.save(update_fields=["is_active"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=record,
        fields_changed=["is_active"],
    )
    _refresh(user, record)
    return True


def user_deactivate(*, actor: User, user: User, request: Any = None) -> bool:
    return user_set_active(actor=actor, user=user, active=False, request=request)


def user_reactivate(*, actor: User, user: User, request: Any = None) -> bool:
    return user_set_active(actor=actor, user=user, active=True, request=request)


@transaction.atomic
def user_reset_mfa(*, actor: User, user: User, reason: str, request: Any = None) -> int:
    """Remove every second factor of the user (lost phone); they must enrol again at sign-in.

    Returns how many authenticators were removed.
    """
    from allauth.mfa.models import Authenticator

    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("State why the two-factor sign-in is reset.")]})
    if user.pk == actor.pk:
        # Your own factors are managed on your own security page, after proving it is you.
        raise ValidationError(_("You cannot reset your own two-factor sign-in here."), code="self")
    record = _locked(User, user.pk)
    authenticators = Authenticator.objects.filter(user=record)
    types = sorted(set(authenticators.values_list("type", flat=True)))
    removed, _by_model = authenticators.delete()
    audit_record(
        action=AuditAction.MFA,
        actor=actor,
        request=request,
        obj=record,
        reason=reason,
        detail={"removed": types},
    )
    return removed


def _refresh(target: Any, source: Any) -> None:
    """Copy the saved values back onto the caller's instance (it may be rendered next)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for cache in ("_role_codes", "_team_ids", "_prefetched_objects_cache"):
        target.__dict__.pop(cache, None)
    target._state.fields_cache.clear()
