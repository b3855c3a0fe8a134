from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "insigne.claims"
    label = "claims"

    def ready(self) -> None:
        from insigne.claims import receivers  # noqa: F401  (connects the mail signals)
