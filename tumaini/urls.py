from django.urls import include, path

from tumaini.api.api import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tumaini.core.urls")),
]
