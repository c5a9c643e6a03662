from django.urls import path

from tumaini.core import audit_views, task_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/audit/", audit_views.audit_search, name="audit_search"),
    path("staff/tasks/", task_views.task_list, name="task_list"),
    path(
        "staff/break-glass/<slug:resource>/<uuid:public_id>/",
        audit_views.break_glass,
        name="break_glass",
    ),
]
