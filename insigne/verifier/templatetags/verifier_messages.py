"""``{{ check|sentence }}``: a check explained in the page's language, from the messages table."""

from __future__ import annotations

from django import template

from insigne.openbadges.checks import Check
from insigne.platform.messages import describe

register = template.Library()


@register.filter
def sentence(check: Check) -> str:
    return describe(check.reason, check.params)
