from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tumaini.messaging"
    label = "messaging"
