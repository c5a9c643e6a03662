from tumaini.shelter import views

app_name = "shelter"

urlpatterns = views.urlpatterns
