"""Test settings: the production module, fed a test environment first.

Tests never touch the developer's data folder nor the real issuer key; mail goes
to Django's in-memory outbox unless a test starts a real SMTP server; tasks run
immediately unless a test exercises the database worker.
"""

import os
import tempfile

_TMP = tempfile.mkdtemp(prefix="insigne-test-")
os.environ["INSIGNE_DATA_DIR"] = _TMP
os.environ["INSIGNE_KEY_FILE"] = os.path.join(_TMP, "issuer_keys.json")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ["SITE_URL"] = "https://badges.example.test"
os.environ["ALLOWED_HOSTS"] = "*"
os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
os.environ["EMAIL_URL"] = "locmem://"

from insigne.settings import *  # noqa: E402, F403

# What this environment says for the tests alone (immediate tasks, in-memory mail…),
# which a child process run on production settings (the demo, the fault test's
# workers) must not inherit; DATABASE_URL too: such a process picks its own.
TEST_ENVIRONMENT = frozenset(
    {
        "DJANGO_SETTINGS_MODULE",
        "TASKS_BACKEND",
        "EMAIL_URL",
        "SITE_URL",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
    }
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The temporary data folder goes with the test process.
import atexit  # noqa: E402
import shutil  # noqa: E402

atexit.register(shutil.rmtree, _TMP, ignore_errors=True)

# Counters are written at each hit in the tests, which read them right after.
COUNT_FLUSH_SECONDS = 0
# The status list is read at each request in the tests, which revoke and read it at once.
STATUS_LIST_READ_SECONDS = 0
