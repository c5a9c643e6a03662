app_name = "shelter"

urlpatterns: list = []
