"""Case views: screening."""

urlpatterns: list = []
