from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from insigne.platform import lookups  # noqa: F401 (registers ``__any_of`` at start-up)

# The admin's headings of apps that are not ours, in French (English through the
# catalogue). Model names of ``django_tasks_db`` are translated by
# ``locale/fr`` (they are marked for translation upstream).
APP_LABELS = {
    "django_tasks_database": _("Tâches en arrière-plan"),
    "otp_totp": _("Double authentification (TOTP)"),
    "axes": _("Connexions du personnel"),
    "dsfr": _("Système de design de l'État"),
}


class PlatformConfig(AppConfig):
    name = "insigne.platform"
    label = "platform"
    verbose_name = _("Plateforme")

    def ready(self) -> None:
        for label, verbose_name in APP_LABELS.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = verbose_name
