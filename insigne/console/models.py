"""The console's rights: permissions without a table (see ``insigne.platform.roles``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from insigne.platform.roles import PERMISSIONS


class ConsoleRights(models.Model):
    """Holds the ``console.*`` permissions the staff roles are made of; no rows, no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = list(PERMISSIONS.items())
        verbose_name = _("droit de la console")
        verbose_name_plural = _("droits de la console")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
