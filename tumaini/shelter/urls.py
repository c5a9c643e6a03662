from tumaini.shelter import views
from tumaini.shelter.views import setup

app_name = "shelter"

urlpatterns = views.urlpatterns + setup.urlpatterns
