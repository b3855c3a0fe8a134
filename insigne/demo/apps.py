from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "insigne.demo"
    label = "demo"
