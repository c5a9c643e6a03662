from django.urls import include, path
from django.views.generic import TemplateView

from tumaini.api.api import api
from tumaini.insights import views as insights_views
from tumaini.referrals.views.link import referral_link

urlpatterns = [
    # No self-service reset by email: an administrator resets a staff password (and its MFA).
    path(
        "accounts/password/reset/",
        TemplateView.as_view(template_name="account/password_reset_by_admin.html"),
        name="account_reset_password",
    ),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/admin/", include("tumaini.accounts.urls")),
    path("staff/cases/", include("tumaini.cases.urls")),
    path("staff/people/", include("tumaini.people.urls")),
    path("staff/shelter/", include("tumaini.shelter.urls")),
    path("staff/care/", include("tumaini.care.urls")),
    path("staff/clinical/", include("tumaini.clinical.urls")),
    path("staff/hotline/", include("tumaini.hotline.urls")),
    path("staff/directory/", include("tumaini.directory.urls")),
    path("staff/referrals/", include("tumaini.referrals.urls")),
    path("staff/justice/", include("tumaini.justice.urls")),
    path("staff/insights/", include("tumaini.insights.urls")),
    # A partner without an account answers a referral here (a single-use, expiring link).
    path("r/<str:token>/", referral_link, name="referral_link"),
    path("hooks/africastalking/<str:secret>/", include("tumaini.messaging.urls")),
    path("statistics/", insights_views.public_statistics, name="public_statistics"),
    path("", include("tumaini.tips.urls")),
    path("", include("tumaini.core.urls")),
]
