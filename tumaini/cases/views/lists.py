"""Case views: lists."""

urlpatterns: list = []
