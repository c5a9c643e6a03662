"""The test urlconf: the project's URLs plus pages over the test Dossier.

Use with `@pytest.mark.urls("tests.testapp.urls")`; production URLs never include these.
"""

from django.urls import include, path

from tests.testapp import views
from tumaini.urls import urlpatterns as project_urlpatterns

testapp_patterns = (
    [
        path("dossiers/<uuid:public_id>/", views.dossier_detail, name="dossier_detail"),
        path("dossiers/<uuid:public_id>/update/", views.dossier_update_view, name="dossier_update"),
    ],
    "testapp",
)

urlpatterns = [path("test/", include(testapp_patterns)), *project_urlpatterns]
