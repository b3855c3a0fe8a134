from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    """Badge classes and issued credentials.

    The app keeps the database label ``credentials`` it was first created with, so
    its tables (``credentials_credential``…) and migration history are unchanged:
    moving the code was not a schema change.
    """

    name = "insigne.badges"
    label = "credentials"
    verbose_name = _("Badges")

    def ready(self) -> None:
        # Django's way to register at start-up (models are loaded only now): the
        # system check that the programme's badge class exists.
        from insigne.badges import programme  # noqa: F401
