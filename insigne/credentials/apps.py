from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "insigne.credentials"
    label = "credentials"

    def ready(self) -> None:
        # Registers the system check that the programme's badge class exists.
        from insigne.credentials import programme  # noqa: F401
