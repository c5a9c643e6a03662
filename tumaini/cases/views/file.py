"""Case views: file."""

urlpatterns: list = []
