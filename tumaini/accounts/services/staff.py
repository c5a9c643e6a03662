"""Writes of staff accounts: creation, details, teams, roles, deactivation, second factors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation, RoleAssignment, Team, User
from tumaini.accounts.services.common import apply_values, check_fresh, copy_saved, locked
from tumaini.accounts.services.passwords import generate_initial_password
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

USER_FIELDS = ("username", "first_name", "last_name", "email", "organisation", "phone")


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

    At first sign-in the person must choose their own password, then set up two-factor sign-in
    (RequireMFAMiddleware).
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
    # The administrator knows this password: the person replaces it at first sign-in.
    user.must_change_password = True
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
    record = locked(User, user.pk)
    check_fresh(record, expected_state)
    changed = apply_values(record, USER_FIELDS, values)
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
    copy_saved(user, record)
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
    record = locked(User, user.pk)
    detail = _write_roles(actor=actor, request=request, user=record, roles=_check_roles(roles))
    user.__dict__.pop("_role_codes", None)
    return detail if (detail["added"] or detail["removed"]) else None


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, request: Any = None) -> bool:
    """Deactivate (the person can no longer sign in) or reactivate a staff account."""
    record = locked(User, user.pk)
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
    copy_saved(user, record)
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
    record = locked(User, user.pk)
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
