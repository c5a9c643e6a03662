from tumaini.people import views

app_name = "people"

urlpatterns: list = [*views.urlpatterns]
