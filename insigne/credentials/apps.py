from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "insigne.credentials"
    label = "credentials"
