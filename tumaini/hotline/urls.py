from django.urls import path

from tumaini.hotline import views

app_name = "hotline"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<uuid:public_id>/", views.call_detail, name="call_detail"),
    path("calls/<uuid:public_id>/edit/", views.call_edit, name="call_edit"),
    path(
        "calls/<uuid:public_id>/follow-up-done/",
        views.call_follow_up_done,
        name="call_follow_up_done",
    ),
    path("calls/<uuid:public_id>/report/", views.call_report, name="call_report"),
    path("roster/", views.roster, name="roster"),
    path("roster/<uuid:public_id>/remove/", views.shift_remove, name="shift_remove"),
]
