from django.urls import path

from tumaini.tips import views
from tumaini.tips.views import campaigns, desk

app_name = "tips"

urlpatterns = [
    path("report/", views.report_form, name="report"),
    path("report/status/", views.report_status, name="status"),
    path("staff/reports/", views.queue, name="queue"),
    path("staff/reports/figures/", desk.figures, name="figures"),
    path("staff/reports/campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("staff/reports/campaigns/new/", campaigns.campaign_add, name="campaign_add"),
    path(
        "staff/reports/campaigns/<uuid:public_id>/edit/",
        campaigns.campaign_edit,
        name="campaign_edit",
    ),
    path("staff/reports/<uuid:public_id>/", views.detail, name="detail"),
    path("staff/reports/<uuid:public_id>/link-case/", desk.link_case, name="link_case"),
    path(
        "staff/reports/<uuid:public_id>/incident/leave/",
        desk.incident_leave,
        name="incident_leave",
    ),
    path(
        "staff/reports/<uuid:public_id>/incident/<slug:action>/",
        desk.incident,
        name="incident",
    ),
    path("staff/reports/<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
