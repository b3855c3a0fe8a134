"""Keep personal links out of logs.

Django logs the path of every 4xx/5xx response (``django.request``) and the
development server every request (``django.server``); a claim path holds the
volunteer's personal token. This filter masks it before any handler sees it.
"""

from __future__ import annotations

import logging
import re

_PERSONAL_PATH = re.compile(r"(/obtenir/)[^/\s\"']+")


def mask(text: str) -> str:
    return _PERSONAL_PATH.sub(r"\1…", text)


class MaskPersonalLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(str(record.getMessage()))
        record.args = ()
        return True
