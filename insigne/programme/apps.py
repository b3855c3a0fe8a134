from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "insigne.programme"
    label = "programme"
    verbose_name = _("Pilotage du programme")
