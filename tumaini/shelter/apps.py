from django.apps import AppConfig


class ShelterConfig(AppConfig):
    name = "tumaini.shelter"
    label = "shelter"
    verbose_name = "Shelter"
