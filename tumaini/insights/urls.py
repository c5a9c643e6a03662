from django.urls import path

from tumaini.insights import views

app_name = "insights"

urlpatterns = [path("ctdc/", views.ctdc_page, name="ctdc")]
