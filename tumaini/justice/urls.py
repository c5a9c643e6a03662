from django.urls import path

from tumaini.justice import views

app_name = "justice"

urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("hearings/", views.hearing_calendar, name="hearings"),
    path("open/<uuid:case_id>/", views.matter_open, name="matter_open"),
    path("<uuid:public_id>/", views.matter_detail, name="matter_detail"),
    path("<uuid:public_id>/assign/", views.matter_assign, name="matter_assign"),
    path("<uuid:public_id>/police/add/", views.police_report_edit, name="police_report_add"),
    path(
        "<uuid:public_id>/police/<uuid:report_id>/",
        views.police_report_edit,
        name="police_report_edit",
    ),
    path("<uuid:public_id>/prosecution/add/", views.prosecution_edit, name="prosecution_add"),
    path(
        "<uuid:public_id>/prosecution/<uuid:prosecution_id>/",
        views.prosecution_edit,
        name="prosecution_edit",
    ),
    path(
        "<uuid:public_id>/prosecution/<uuid:prosecution_id>/hearing/",
        views.hearing_add,
        name="hearing_add",
    ),
    path(
        "<uuid:public_id>/prosecution/<uuid:prosecution_id>/payment/",
        views.payment_add,
        name="payment_add",
    ),
    path(
        "<uuid:public_id>/hearing/<uuid:hearing_id>/",
        views.hearing_outcome,
        name="hearing_outcome",
    ),
]
