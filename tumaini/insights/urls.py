from django.urls import path

from tumaini.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ctdc/", views.ctdc_page, name="ctdc"),
]
