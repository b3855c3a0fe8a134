from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "insigne.core"
    label = "core"
