"""The platform app, and the French names the admin shows for apps that are not ours.

Some components name their apps, models and fields in English without marking them
for translation (django-otp), or ship no French: their names are set here, once the
apps are loaded, in French with the English through our catalogue. Only names are
set, and where migrations do not read them: an app's ``verbose_name``; a model's
``_meta.verbose_name`` and ``verbose_name_plural`` (migrations read
``_meta.original_attrs``); a field's ``verbose_name`` (migrations read the
``_verbose_name`` given to the field). So no migration of those apps follows. What
the admin's own code writes (the TOTP device page's sections, help texts, columns)
is in ``insigne.platform.admin``. A proxy model instead would have moved the
devices under another app heading, with permissions and admin URLs of their own.

Model names of ``django_tasks_db`` are translated by ``locale/fr`` (they are marked
for translation upstream).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from insigne.platform import converters, lookups  # noqa: F401 (registered at start-up)

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # what gettext_lazy returns, to mypy

APP_LABELS = {
    "django_tasks_database": _("Tâches en arrière-plan"),
    "otp_totp": _("Double authentification (TOTP)"),
    "axes": _("Connexions du personnel"),
    "dsfr": _("Système de design de l'État"),
}

# "app_label.model": (verbose_name, verbose_name_plural, {field: verbose_name}).
MODEL_LABELS: dict[str, tuple[_StrPromise, _StrPromise, dict[str, _StrPromise]]] = {
    "otp_totp.totpdevice": (
        _("appareil TOTP"),
        _("appareils TOTP"),
        {
            "user": _("compte"),
            "name": _("nom de l'appareil"),
            "confirmed": _("confirmé"),
            "created_at": _("enregistré le"),
            "last_used_at": _("dernière utilisation"),
            "key": _("clé secrète"),
            "step": _("durée d'un code (secondes)"),
            "t0": _("origine du temps (t0)"),
            "digits": _("nombre de chiffres"),
            "tolerance": _("tolérance (pas de temps)"),
            "drift": _("décalage de l'horloge (pas de temps)"),
            "last_t": _("pas de temps du dernier code accepté"),
            "throttling_failure_timestamp": _("dernier code refusé le"),
            "throttling_failure_count": _("codes refusés d'affilée"),
        },
    ),
}


class PlatformConfig(AppConfig):
    name = "insigne.platform"
    label = "platform"
    verbose_name = _("Plateforme")

    def ready(self) -> None:
        for label, verbose_name in APP_LABELS.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = verbose_name
        for name, (singular, plural, fields) in MODEL_LABELS.items():
            app_label, model_name = name.split(".")
            if app_label not in apps.app_configs:
                continue
            meta = apps.get_model(app_label, model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
            for field_name, verbose_name in fields.items():
                meta.get_field(field_name).verbose_name = verbose_name
