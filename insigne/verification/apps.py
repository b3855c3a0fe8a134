from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "insigne.verification"
    label = "verification"
