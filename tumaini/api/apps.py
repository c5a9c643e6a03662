from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tumaini.api"
    label = "api"
