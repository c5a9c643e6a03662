from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

TOTP_ACTIVATE_URL = "/accounts/2fa/totp/activate/"
PASSWORD_CHANGE_URL = "/accounts/password/change/"

# Pages a signed-in user without a second factor may still reach: setting one up (the 2FA pages,
# including the recovery codes shown right after activation, and re-entering the password that
# allauth may ask for first), leaving, and what needs no account at all.
_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/healthz",
    "/i18n/",
)

# Pages a user who must replace a password an administrator gave them may still reach. The password
# comes BEFORE the second factor: the administrator knows that password (and may have read it out
# over the phone), so it stops working as early as possible, even if the person gives up at the
# authenticator step; the second factor is then enrolled, and its reauthentication step confirmed,
# with a password only the person knows. (After a reset, a person who kept their authenticator
# has already used it to sign in.)
_PASSWORD_CHANGE_ALLOWED_PREFIXES = (
    PASSWORD_CHANGE_URL,
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/i18n/",
)

# Recovery codes: allauth creates them together with the TOTP authenticator and sends the user
# straight to them (ActivateTOTPView -> mfa_view_recovery_codes). We keep that on purpose: staff
# work in the field and lose phones, and an account with TOTP but no recovery code would need an
# administrator's reset. Codes are not forced again later (they stay viewable and can be
# regenerated from /accounts/2fa/), and the recovery-codes page leads on to /staff/.


class RequireMFAMiddleware:
    """Every staff account must have TOTP before it can use the system, and must first replace a
    password an administrator gave it (`User.must_change_password`).

    Only the published demo accounts are spared, and only in demo mode. A demo account still signed
    in from an earlier demo run is signed out once demo mode is off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if user.is_demo:
            if settings.DEMO_MODE:
                return self.get_response(request)
            logout(request)
            return _redirect(request, settings.LOGIN_URL)
        if user.must_change_password:
            if request.path.startswith(_PASSWORD_CHANGE_ALLOWED_PREFIXES):
                return self.get_response(request)
            return _redirect(request, _password_change_url(request))
        if not request.path.startswith(_ALLOWED_PREFIXES) and not _has_totp(user):
            return _redirect(request, TOTP_ACTIVATE_URL)
        return self.get_response(request)


def _redirect(request, url: str) -> HttpResponse:
    # An htmx request would swap the target page into a fragment: make the browser go there.
    # (HtmxMiddleware runs after us, so read the header itself.)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _password_change_url(request) -> str:
    # Back to the page asked for once the password is changed (allauth honours `next`); only for
    # plain page loads: a form post or an htmx fragment is no page to come back to.
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        return f"{PASSWORD_CHANGE_URL}?{urlencode({'next': request.get_full_path()})}"
    return PASSWORD_CHANGE_URL


def _has_totp(user) -> bool:
    cached = getattr(user, "_has_totp", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._has_totp = cached
    return cached
