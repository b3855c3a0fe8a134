from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "insigne.claims"
    label = "claims"
