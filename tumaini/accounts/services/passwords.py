"""Passwords an administrator gives out, and the person replacing them with their own.

An administrator never learns a password the person chose: they hand out a random one (a new
account, a reset) and the account is marked `must_change_password`, so the person replaces it at
the next sign-in before doing anything else (RequireMFAMiddleware). Audit rows name the field
"password", never a value.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tumaini.accounts.models import User
from tumaini.accounts.services.common import copy_saved, locked
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

# Unambiguous characters only: the administrator may read the password out over the phone.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_initial_password() -> str:
    """Four groups of five random characters: about 115 bits, easy to read out."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


@transaction.atomic
def user_reset_password(*, actor: User, user: User, reason: str, request: Any = None) -> str:
    """Give the user a new random password; returns it (to show once, never stored).

    Every session of the user ends: Django checks each session against a hash of the password,
    so the sessions opened with the old one are refused at their next request. Their second
    factor is kept: they still need it to sign in with the new password.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("State why the password is reset.")]})
    if user.pk == actor.pk:
        # Your own password is changed on your own page, after typing the current one.
        raise ValidationError(_("You cannot reset your own password here."), code="self")
    record = locked(User, user.pk)
    password = generate_initial_password()
    record.set_password(password)
    record.must_change_password = True
    record.save(update_fields=["password", "must_change_password"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=record,
        fields_changed=["password"],
        reason=reason,
    )
    copy_saved(user, record)
    return password


@transaction.atomic
def user_password_changed(*, user: User, request: Any = None) -> None:
    """The person changed their own password (allauth has saved it): nobody else knows it now."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        request=request,
        obj=user,
        fields_changed=["password"],
    )
