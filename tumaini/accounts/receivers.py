"""Account state that follows what allauth does (signals.py only audits sign-in events).

allauth sends `password_changed` after the person changed their own password on
/accounts/password/change/ and it is saved: the flag forcing that change is cleared then.
"""

from allauth.account.signals import password_changed
from django.dispatch import receiver

from tumaini.accounts import services


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    services.user_password_changed(user=user, request=request)
