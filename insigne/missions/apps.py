from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "insigne.missions"
    label = "missions"
