"""Counselling and medical records; each area keeps its routes beside its views."""

from tumaini.clinical.views import counselling, medical

app_name = "clinical"

urlpatterns = [*counselling.urlpatterns, *medical.urlpatterns]
