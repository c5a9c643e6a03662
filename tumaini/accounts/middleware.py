from django.conf import settings
from django.shortcuts import redirect

# Pages a signed-in user without a second factor may still reach: setting one up, and leaving.
_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/healthz",
    "/i18n/",
)


class RequireMFAMiddleware:
    """Every staff account must have TOTP before it can use the system.

    Only the published demo accounts are spared, and only in demo mode.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not (settings.DEMO_MODE and user.is_demo)
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not _has_totp(user)
        ):
            return redirect("/accounts/2fa/totp/activate/")
        return self.get_response(request)


def _has_totp(user) -> bool:
    cached = getattr(user, "_has_totp", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._has_totp = cached
    return cached
