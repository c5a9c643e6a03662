from django.urls import path

from tumaini.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<uuid:public_id>/deactivate/",
        views.organisation_deactivate,
        name="organisation_deactivate",
    ),
    path(
        "organisations/<uuid:public_id>/reactivate/",
        views.organisation_reactivate,
        name="organisation_reactivate",
    ),
    path("organisations/<uuid:public_id>/sites/new/", views.site_create, name="site_create"),
    path("sites/<uuid:public_id>/edit/", views.site_edit, name="site_edit"),
    path("organisations/<uuid:public_id>/teams/new/", views.team_create, name="team_create"),
    path("teams/<uuid:public_id>/edit/", views.team_edit, name="team_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<uuid:public_id>/", views.staff_detail, name="staff_detail"),
    path("staff/<uuid:public_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<uuid:public_id>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<uuid:public_id>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<uuid:public_id>/reset-mfa/", views.staff_reset_mfa, name="staff_reset_mfa"),
    path(
        "staff/<uuid:public_id>/reset-password/",
        views.staff_reset_password,
        name="staff_reset_password",
    ),
]
