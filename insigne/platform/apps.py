from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "insigne.platform"
    label = "platform"
