"""How allauth signs staff in: no self sign-up, no demo accounts outside demo mode, audited lockout."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

# Said the same way whether or not the username exists, so the lockout reveals no accounts.
LOCKED_OUT_MESSAGE = _(
    "Too many failed sign-in attempts. Sign-in for this account is locked for up to "
    "%(minutes)s minutes. Try again later, or ask your system administrator for help."
)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Staff accounts are created by a system administrator, never by self sign-up.
        return False

    def validation_error(self, code: str, *args):
        if code == "too_many_login_attempts":
            return ValidationError(
                LOCKED_OUT_MESSAGE % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}, code=code
            )
        return super().validation_error(code, *args)

    def pre_authenticate(self, request, **credentials) -> None:
        # allauth counts every attempt against the `login_failed` rate limit here (and gives the
        # attempt back when the password is right); when the limit is spent it refuses before the
        # password is even checked, so Django's user_login_failed is not sent: audit it ourselves.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            typed = str(credentials.get("username") or credentials.get("email") or "")[:150]
            audit_record(action=AuditAction.LOCKED_OUT, request=request, username=typed)
            raise

    def pre_login(self, request, user, **kwargs):
        if user.is_demo and not settings.DEMO_MODE:
            # Demo accounts have published passwords: useless and dangerous on a real deployment.
            # The password was right, so forget the half-finished login before refusing it.
            clear_login(request)
            audit_record(
                action=AuditAction.LOGIN_FAILED,
                request=request,
                username=user.get_username(),
                detail={"reason": "demo_account_outside_demo_mode"},
            )
            return render(request, "account/demo_disabled.html", status=403)
        return super().pre_login(request, user, **kwargs)
