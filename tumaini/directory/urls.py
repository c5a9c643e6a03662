from tumaini.directory import views, views_parts

app_name = "directory"

urlpatterns = [*views.urlpatterns, *views_parts.urlpatterns]
