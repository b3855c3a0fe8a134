"""Insigne settings: one module, everything read from the environment.

See the configuration table in README.md. Embedded default: SQLite in WAL mode
inside ``INSIGNE_DATA_DIR`` (``./data``), a secret key generated there once,
mail to a local SMTP catcher on 127.0.0.1:1025.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from insigne.platform.email_url import parse_email_url
from insigne.platform.env import envbool, envdate, envint, envlist, envstr, persistent_secret

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("INSIGNE_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY") or persistent_secret(DATA_DIR / "secret_key")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_URL)
# "Demo" mode: the local mail catcher page and the demo programme. Never in production.
DEMO_MODE = envbool("INSIGNE_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "widget_tweaks",
    "dsfr",
    "django_tasks",
    "django_tasks_db",
    "insigne.platform",
    "insigne.missions",
    "insigne.mail",
    "insigne.badges",
    "insigne.claims",
    "insigne.verifier",
    "insigne.console",
    "insigne.programme",
    "insigne.integrations",
    "insigne.worker",
    "insigne.pages",
    "insigne.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "insigne.platform.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "insigne.platform.staff.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "insigne.platform.middleware.UnstorableAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Badge page visits, one number a day (no personal data): the programme's figures.
    "insigne.programme.counters.CountBadgeVisits",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "insigne.urls"
WSGI_APPLICATION = "insigne.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "insigne" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "insigne.platform.context_processors.site",
                "insigne.console.context_processors.mail_banner",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'insigne.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif envbool("DATABASE_TRANSACTION_POOLER", False):
    # Behind PgBouncer in transaction mode (README, "Running at scale"): a server
    # connection is only ours for one transaction, so no server-side cursor (used by
    # ``.iterator()``) may outlive it. Client-side binding (Django's default with
    # psycopg 3) prepares no statement, and the code holds no session state.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "insigne_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

globals().update(parse_email_url(envstr("EMAIL_URL", "smtp://127.0.0.1:1025")))
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
# The relay's answer to the end of a message may take long (RFC 5321 §4.5.3.2.6: 10 min);
# giving up earlier would leave the mail's fate unknown, and send it twice.
EMAIL_DATA_TIMEOUT = envint("EMAIL_DATA_TIMEOUT", 600)
# Seconds between two tries of a mail after a temporary failure; the last one repeats
# until MAIL_GIVE_UP_AFTER seconds since the first failure, then the mail is given up.
MAIL_RETRY_DELAYS = [int(delay) for delay in envlist("MAIL_RETRY_DELAYS", "60,300,1800,7200,21600")]
MAIL_GIVE_UP_AFTER = envint("MAIL_GIVE_UP_AFTER", 72 * 3600)
# How long a worker owns a mail it is sending; past it, any worker may send it again.
MAIL_LEASE = envint("MAIL_LEASE", 900)
# Who sends mail: the workers' pump (batches over one SMTP connection each) when tasks
# go through the database; a task per mail otherwise (the immediate backend of tests).
MAIL_SENT_BY_WORKERS = envbool(
    "MAIL_SENT_BY_WORKERS", TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
)
MAIL_BATCH = envint("MAIL_BATCH", 200)  # mails a worker claims per pass
# Who signs a validated claim's badge: the workers, in batches (the validation page
# only records the volunteer's choice and answers at once), when tasks go through
# the database; the validation request itself otherwise (the immediate backend of tests).
CLAIMS_ISSUED_BY_WORKERS = envbool(
    "CLAIMS_ISSUED_BY_WORKERS", TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
)
ISSUE_BATCH = envint("ISSUE_BATCH", 50)  # validated claims a worker issues per transaction
# Each worker vacuums the mail table (PostgreSQL) after sending this many mails; 0: never.
MAIL_VACUUM_AFTER = envint("MAIL_VACUUM_AFTER", 2_000)
# All workers together send at most this many mails in any rolling hour (0: no cap),
# to respect the relay's own limit.
MAIL_RATE_PER_HOUR = envint("MAIL_RATE_PER_HOUR", 0)
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "Agence du Service Civique <openbadge@service-civique.gouv.fr>"
)
SUPPORT_EMAIL = envstr("SUPPORT_EMAIL", "openbadge@service-civique.gouv.fr")
# The Agency's data protection officer, named in the privacy notice.
INSIGNE_DPO_EMAIL = envstr("INSIGNE_DPO_EMAIL", "dpd@service-civique.gouv.fr")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INSIGNE_KEY_FILE = Path(envstr("INSIGNE_KEY_FILE", str(DATA_DIR / "issuer_keys.json")))
INSIGNE_ISSUER_NAME = envstr("INSIGNE_ISSUER_NAME", "Agence du Service Civique")
# The issuer's name inside a French sentence, article included ("signé par l'Agence du
# Service Civique"); the default elides "la"/"le" before a vowel only, so set it for any
# other name ("la Préfecture de …", "le Ministère …").
INSIGNE_ISSUER_NAME_IN_SENTENCE = envstr(
    "INSIGNE_ISSUER_NAME_IN_SENTENCE",
    f"l'{INSIGNE_ISSUER_NAME}"
    if INSIGNE_ISSUER_NAME[:1].lower() in "aeiouyéèêâîôh"
    else INSIGNE_ISSUER_NAME,
)
INSIGNE_ISSUER_URL = envstr("INSIGNE_ISSUER_URL", "https://www.service-civique.gouv.fr")
INSIGNE_ISSUER_EMAIL = envstr("INSIGNE_ISSUER_EMAIL", SUPPORT_EMAIL)
INSIGNE_API_TOKEN = envstr("INSIGNE_API_TOKEN")
# The daily run invites missions that ended on or after this day (AAAA-MM-JJ); those that
# ended before are the backlog of backfill campaigns (console). Empty: every ended mission.
DAILY_INVITATIONS_ENDED_FROM = envdate("DAILY_INVITATIONS_ENDED_FROM")
# Requests a minute one integrator token may make on the API (/api/v2).
API_RATE_PER_MINUTE = envint("API_RATE_PER_MINUTE", 600)
# Badge page visits and LinkedIn clicks are added up in each process and written at
# most this often (seconds): a busy page does not queue one write per view on one row.
COUNT_FLUSH_SECONDS = envint("COUNT_FLUSH_SECONDS", 10)
# Each web process reads the revoked badges for the status list at most this often
# (seconds); verifiers may keep the list five minutes anyway (its max-age).
STATUS_LIST_READ_SECONDS = envint("STATUS_LIST_READ_SECONDS", 5)
# Hosts the verifier may fetch over plain http (tests, local setups); https otherwise.
INSIGNE_VERIFY_HTTP_HOSTS = envlist("INSIGNE_VERIFY_HTTP_HOSTS")
LINKEDIN_ORGANIZATION_ID = envstr("LINKEDIN_ORGANIZATION_ID")
LINKEDIN_ORGANIZATION_NAME = envstr("LINKEDIN_ORGANIZATION_NAME", INSIGNE_ISSUER_NAME)

# The public site and sharing. The legal notice says who hosts the service; the PDF
# attestation's renderer logs every step at INFO, which says nothing worth keeping.
INSIGNE_HOSTING = envstr("INSIGNE_HOSTING")
LOGGING_QUIET = ("weasyprint", "fontTools")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "insigne" / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Request bodies and uploads ---------------------------------------------------------
# A body that is not a file (the missions API's JSON, form fields) is refused past this
# size before it is read. Uploaded files stay in memory up to the second size, then go
# to the temporary folder; the two upload pages (/verifier/ and the staff CSV import)
# stop reading a body once it passes their own limit (insigne.platform.uploads), so
# no more than that limit ever reaches the disk. The front proxy's limit: README.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_TEMP_DIR = envstr("INSIGNE_UPLOAD_TEMP_DIR") or None

# --- Staff access (insigne/platform/staff.py) ----------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username + address first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)  # wrong passwords before the lockout
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "insigne.platform.staff.locked_out"
AXES_CLIENT_IP_CALLABLE = "insigne.platform.staff.client_ip"
AXES_VERBOSE = False
STAFF_IDLE_SECONDS = envint("STAFF_IDLE_MINUTES", 30) * 60
STAFF_SESSION_SECONDS = envint("STAFF_SESSION_HOURS", 8) * 3600
SESSION_COOKIE_AGE = STAFF_SESSION_SECONDS  # only staff sign in; nobody else needs a session
OTP_TOTP_ISSUER = "Insigne"

# --- HTTPS, headers and cookies -----------------------------------------------------------
# Behind a proxy that terminates TLS, name the header it sets, e.g.
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (and let it overwrite the client's).
_proxy_ssl = envlist("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl[0], _proxy_ssl[1]) if len(_proxy_ssl) == 2 else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# HSTS is sent on https responses only (Django's SecurityMiddleware).
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# A strict policy on every page: DSFR's scripts and styles are served from our own
# static files, nothing inline (no inline script runs without the request's nonce).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_links": {"()": "insigne.platform.logging.MaskPersonalLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_links"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own loggers do not propagate to the root: route them through it.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        **{name: {"level": "WARNING"} for name in LOGGING_QUIET},
    },
}

# --- Passport: optional volunteer accounts (django-allauth), FAQ §4, §6, §7 ---
# Volunteers sign in by email (no username) with a password or a code sent by mail;
# an address counts only once proven. Staff keep the admin's own login view at
# /admin/ (allauth does not wrap it), so the admin's hardening applies there alone.
INSTALLED_APPS += ["insigne.passport", "allauth", "allauth.account"]  # passport first: templates
# Before django-axes, which stays last.
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "allauth.account.middleware.AccountMiddleware",
)
# After the staff lockout (axes) and Django's own backend, defined above.
AUTHENTICATION_BACKENDS = [
    *AUTHENTICATION_BACKENDS,
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "insigne.passport.adapter.PassportAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
# The password is optional: sign-up proves the address by a link, and a sign-in code
# sent by mail replaces the password (ACCOUNT_LOGIN_BY_CODE_ENABLED below).
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1", "password2"]
ACCOUNT_FORMS = {"signup": "insigne.passport.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"  # auth.User keeps one, generated by allauth
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory: no one signs in before proving an address, and sign-up can then answer
# the same for a known and an unknown address (allauth's enumeration prevention).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# A code sent through the mail queue may take a few minutes to arrive; 3 attempts at most.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_PASSWORD_MIN_LENGTH = 12  # a password is optional; one chosen is not short
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# allauth's default rate limits stay on (ACCOUNT_RATE_LIMITS unset), in the shared cache.
ACCOUNT_EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL = "account_login"
LOGIN_REDIRECT_URL = "passport"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Retention, in days (insigne/passport/retention.py; the privacy notice states them).
INSIGNE_MAIL_TRACE_DAYS = envint("INSIGNE_MAIL_TRACE_DAYS", 365)
INSIGNE_UNINVITED_MISSION_DAYS = envint("INSIGNE_UNINVITED_MISSION_DAYS", 730)
INSIGNE_UNPROVEN_ACCOUNT_DAYS = envint("INSIGNE_UNPROVEN_ACCOUNT_DAYS", 7)
# Server logs (no names or addresses in them) are the host's: kept this long at most.
INSIGNE_LOG_RETENTION_DAYS = envint("INSIGNE_LOG_RETENTION_DAYS", 365)
# Largest badge file the Passport imports (a baked image is a few hundred kB).
PASSPORT_MAX_UPLOAD = envint("PASSPORT_MAX_UPLOAD", 2 * 1024 * 1024)
