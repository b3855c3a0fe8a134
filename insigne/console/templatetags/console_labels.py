"""Labels for codes stored on missions, so staff read words in their language, not codes."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from insigne.missions import eligibility

register = template.Library()

INELIGIBILITY_LABELS = {
    eligibility.NOT_FINISHED: _("mission en cours"),
    eligibility.INTERRUPTED_TOO_SOON: _("interrompue avant 6 mois"),
    eligibility.TOO_SHORT: _("durée inférieure à 6 mois"),
    eligibility.END_BEFORE_START: _("fin antérieure au début"),
}


@register.filter
def ineligibility_label(code: str) -> str:
    """The reason in words; an unknown code is shown as it is rather than hidden."""
    return str(INELIGIBILITY_LABELS.get(code, code))
