"""The WSGI application, ready before its first request.

Django loads the URL patterns, and with them every view module, at the first
request a process serves: a second or two of CPU that the first visitor after a
start would wait for, and that a burst would find in each new process. They are
loaded here, when the server (gunicorn) starts the process.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "insigne.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - evaluated for its loading
