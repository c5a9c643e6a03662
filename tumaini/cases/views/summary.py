"""Case views: summary."""

urlpatterns: list = []
