"""Case views: profile."""

urlpatterns: list = []
