"""Case views: consent."""

urlpatterns: list = []
