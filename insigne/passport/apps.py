from django.apps import AppConfig


class PassportConfig(AppConfig):
    name = "insigne.passport"
    label = "passport"

    def ready(self) -> None:
        from insigne.passport import receivers  # noqa: F401  (connects the account signals)
