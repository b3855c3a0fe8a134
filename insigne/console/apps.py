from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "insigne.console"
    label = "console"
