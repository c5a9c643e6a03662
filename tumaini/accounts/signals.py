"""Sign-ins, sign-outs, failed sign-ins and two-factor changes go to the audit trail.

allauth authenticates through django.contrib.auth.authenticate(), so a wrong password sends Django's
`user_login_failed` (with the password already masked). A refusal by the lockout never reaches
authenticate(); it is audited by the account adapter (`pre_authenticate`) as `locked_out`.
`user_logged_in` is sent only once every sign-in stage, the second factor included, is passed.
"""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the name typed is kept, never the password.
    typed = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_record(action=AuditAction.LOGIN_FAILED, request=request, username=typed)


def _mfa_event(request, user, authenticator, change: str) -> None:
    # The account is the object: "who changed the second factor of which account".
    audit_record(
        action=AuditAction.MFA,
        actor=user,
        request=request,
        obj=user,
        detail={"change": change, "type": str(authenticator.type)},
    )


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    _mfa_event(request, user, authenticator, "added")


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    _mfa_event(request, user, authenticator, "removed")


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    _mfa_event(request, user, authenticator, "reset")


@receiver(mfa_signals.authenticator_used)
def _mfa_used(sender, request, user, authenticator, **kwargs):
    # A recovery code in use may mean a lost phone: worth a trace. TOTP use is the normal sign-in.
    if authenticator.type == authenticator.Type.RECOVERY_CODES:
        _mfa_event(request, user, authenticator, "recovery_code_used")


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    # The password was right but the second factor was not: a warning sign for this account.
    # The person is not signed in yet, so the event names the account, not an actor.
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        username=user.get_username(),
        obj=user,
        detail={
            "stage": "second_factor",
            "type": str(authenticator.type),
            "reauthentication": bool(reauthentication),
        },
    )
