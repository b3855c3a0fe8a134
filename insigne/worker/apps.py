from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "insigne.worker"
    label = "worker"
