"""Case views: assessments."""

urlpatterns: list = []
