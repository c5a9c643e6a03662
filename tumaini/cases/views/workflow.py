"""Case views: workflow."""

urlpatterns: list = []
