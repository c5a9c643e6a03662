"""People views: identity, duplicates, merges."""

urlpatterns: list = []
