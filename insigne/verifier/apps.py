from django.apps import AppConfig


class VerifierConfig(AppConfig):
    name = "insigne.verifier"
    label = "verifier"
