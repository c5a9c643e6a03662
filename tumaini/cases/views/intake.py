"""Case views: intake."""

urlpatterns: list = []
