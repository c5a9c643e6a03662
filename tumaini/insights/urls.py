from django.urls import path

from tumaini.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ctdc/", views.ctdc_page, name="ctdc"),
    path("reports/", views.situation_reports, name="situation_reports"),
    path(
        "reports/<uuid:public_id>/<slug:kind>/",
        views.situation_report_download,
        name="situation_report_download",
    ),
]
