from tumaini.directory.views import urlpatterns as urlpatterns

app_name = "directory"
