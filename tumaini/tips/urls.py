from django.urls import path

from tumaini.tips import views

app_name = "tips"

urlpatterns = [
    path("report/", views.report_form, name="report"),
    path("report/status/", views.report_status, name="status"),
    path("staff/reports/", views.queue, name="queue"),
    path("staff/reports/<uuid:public_id>/", views.detail, name="detail"),
    path("staff/reports/<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
