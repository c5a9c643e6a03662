from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Staff accounts are created by a system administrator, never by self sign-up.
        return False

    def pre_login(self, request, user, **kwargs):
        if user.is_demo and not settings.DEMO_MODE:
            # Demo accounts have published passwords: useless and dangerous on a real deployment.
            from django.http import HttpResponseForbidden

            return HttpResponseForbidden("Demo accounts are disabled outside demo mode.")
        return super().pre_login(request, user, **kwargs)
