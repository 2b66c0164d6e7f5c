"""Burgerlink settings: one module, configured through the environment.

Development defaults are safe for a laptop (SQLite, console e-mail). Set ``BURGERLINK_ENV=production``
to switch on the production hardening that ``burgerlink check --deploy`` expects; production then
refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from burgerlink.envconfig import (
    database,
    env_choice,
    env_date,
    env_email,
    env_float,
    env_int,
    site_url,
    tile_url,
)

# Django's generic classes (ModelAdmin, ModelForm, Paginator, ...) accept the type arguments that
# mypy --strict asks for, also when Python evaluates them at run time.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("BURGERLINK_PROJECT_DIR", PACKAGE_DIR.parent.parent))
DATA_DIR = Path(os.environ.get("BURGERLINK_DATA_DIR", PROJECT_DIR / "var"))
NODE_MODULES = Path(os.environ.get("BURGERLINK_NODE_MODULES", PROJECT_DIR / "node_modules"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" count as yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list without empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("BURGERLINK_ENV", "development").lower() == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Instelling ALLOWED_HOSTS ontbreekt: zet de hostnamen van het platform, met komma's."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "burgerlink.core",
    "burgerlink.web",
    "burgerlink.charters",
    "burgerlink.surveys",
    "burgerlink.participation",
    "burgerlink.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]
# Under pytest only: an app that uses core's kits as a capability app would (tests/kitapp), so
# core's tests of its registries need no real capability app.
if "pytest" in sys.modules:
    INSTALLED_APPS.append("tests.kitapp")

MIDDLEWARE = [
    # First: request id, access log, metrics, and the probes that must skip the checks below.
    "burgerlink.core.observability.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "burgerlink.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "burgerlink.core.dbrouter.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "burgerlink.core.pagecache.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Pages and API answers gzipped in production (static files come pre-compressed, brotli and gzip).
COMPRESS_RESPONSES = env_bool("COMPRESS_RESPONSES", default=PRODUCTION)
if COMPRESS_RESPONSES:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "django.middleware.gzip.GZipMiddleware",
    )

ROOT_URLCONF = "burgerlink.urls"
WSGI_APPLICATION = "burgerlink.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:staff-home"
LOGOUT_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "burgerlink.web.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_sqlite = f"sqlite:///{DATA_DIR / 'burgerlink.sqlite3'}"
DATABASES = {"default": database("DATABASE_URL", _default_sqlite, conn_max_age=0 if DEBUG else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked"
    # upgrades in the middle of a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Behind a pooler in transaction mode (PgBouncer) a connection holds no session state between
# transactions: no server-side cursors for ``.iterator()``.
DATABASE_POOL_MODE = os.environ.get("DATABASE_POOL_MODE", "session").strip().lower()
if DATABASE_POOL_MODE not in {"session", "transaction"}:
    raise ImproperlyConfigured("DATABASE_POOL_MODE must be 'session' or 'transaction'.")
if DATABASE_POOL_MODE == "transaction":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# Optional streaming replica for reads that tolerate a little lag (see core/dbrouter.py), and a
# direct connection past the pooler for bulk loads that COPY on side connections. Under test
# both are the default database.
for _alias, _variable in (("replica", "DATABASE_REPLICA_URL"), ("direct", "DATABASE_DIRECT_URL")):
    if os.environ.get(_variable):
        DATABASES[_alias] = database(_variable, "", conn_max_age=0 if DEBUG else 60)
        DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
        if DATABASES[_alias]["ENGINE"] != DATABASES["default"]["ENGINE"]:
            raise ImproperlyConfigured(f"{_variable} must name the same kind of database.")
if "replica" in DATABASES:
    # A replica that is down must be noticed fast, not after the operating system's timeout.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOL_MODE == "transaction"
DATABASE_ROUTERS = ["burgerlink.core.dbrouter.ReplicaRouter"]
# Reads go to the primary when the replica is further behind than this, or unreachable; the
# replica is asked at most once per REPLICA_CHECK_SECONDS per process.
REPLICA_MAX_LAG_SECONDS = env_float("REPLICA_MAX_LAG_SECONDS", 10.0, minimum=0.0)
REPLICA_CHECK_SECONDS = env_float("REPLICA_CHECK_SECONDS", 5.0, minimum=0.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------------
# Public pages are cached per process, keyed by the data version of what they show
# (core/pagecache.py); PAGE_CACHE_SECONDS bounds an entry's life, 0 turns the page cache off.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# --- File imports (core/files) -------------------------------------------------------------
# Uploads are limited by what they expand to, checked while a file is read: the size as
# uploaded, the size once unpacked (XLSX, .zsav), rows, cells (rows × columns) and characters
# per cell (32,767 is Excel's own maximum). The command line (import-records) has no size limit.
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "200"))
IMPORT_MAX_EXPANDED_MB = int(os.environ.get("IMPORT_MAX_EXPANDED_MB", "1024"))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000000"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "50000000"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "32767"))

# --- Passwords and login --------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per account or per client before a pause, and the pause itself.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
# Staff must use a TOTP app when this is on (always on in production unless explicitly off).
REQUIRE_STAFF_TOTP = env_bool("REQUIRE_STAFF_TOTP", default=PRODUCTION)
OTP_TOTP_ISSUER = "Burgerlink"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "burgerlink_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
# Collected static files exist in production only; in development the finders serve them.
STATIC_ROOT = (
    Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles")) if PRODUCTION else None
)
# Front-end packages come from the npm registry at build time; the platform serves them itself.
STATICFILES_DIRS = [
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/utrecht-tokens", NODE_MODULES / "@utrecht" / "design-tokens" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "burgerlink.core.staticfiles.StaticStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded and exported files: the file system (MEDIA_ROOT) or S3-compatible object storage
# (django-storages, `pip install 'burgerlink[s3]'`), chosen by configuration alone.
FILE_STORAGE = os.environ.get("FILE_STORAGE", "filesystem").strip().lower()
if FILE_STORAGE == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_BUCKET (the bucket's name).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            # Files are private: downloads go through the platform's audited views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif FILE_STORAGE != "filesystem":
    raise ImproperlyConfigured("FILE_STORAGE must be 'filesystem' or 's3'.")
MEDIA_URL = "/media/"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# For the file-based backend (the local cluster's fault tests count the messages written there).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Burgerlink <noreply@burgerlink.localhost>"
)

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Maps -----------------------------------------------------------------------------------
# Map tiles only from a server the operator chooses (its own, or one it has an agreement with):
# unset, maps show their markers on a plain background beside the table, and no page contacts
# any other host. See docs/DESIGN-notes.md.
MAP_TILE_URL, _MAP_TILE_ORIGIN = tile_url("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "").strip()
MAP_TILE_MAX_ZOOM = env_int("MAP_TILE_MAX_ZOOM", 19, minimum=1)

# Content-Security-Policy: nothing from other hosts (the tile server, when set, for images
# only), no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    f"img-src 'self' data:{' ' + _MAP_TILE_ORIGIN if _MAP_TILE_ORIGIN else ''}; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"

# --- Background tasks -------------------------------------------------------------------------
# The database backend needs no broker: `burgerlink db_worker` runs the queue (`make run` starts
# one). Apps queue only through core.tasks.enqueue_after_commit, so a task is queued once the
# action's transaction commits. TASKS_BACKEND=immediate runs a task inline at that moment; under
# pytest that is the default, so a test sees a task's effects without a worker.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASK_DEFAULT = "immediate" if "pytest" in sys.modules else "database"
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[os.environ.get("TASKS_BACKEND", _TASK_DEFAULT)]}}

# --- Logging --------------------------------------------------------------------------------
# One JSON object per line on stderr in production (LOG_FORMAT=text for people); the platform's
# own loggers at INFO (one line per request: burgerlink.request), everything else at LOG_LEVEL.
# Nothing logged names a citizen: see core/observability/logs.py.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text").lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(
        f"Instelling LOG_FORMAT moet json of text zijn, maar is {LOG_FORMAT!r}."
    )
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"Instelling LOG_LEVEL moet DEBUG, INFO, WARNING, ERROR of CRITICAL zijn, maar is {LOG_LEVEL!r}."
    )
# The access log: one line per request. Off by default in development (runserver prints its own).
ACCESS_LOG = env_bool("ACCESS_LOG", default=PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "burgerlink.core.observability.logs.JsonFormatter"},
        "text": {
            "()": "burgerlink.core.observability.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "burgerlink": {"level": "DEBUG" if LOG_LEVEL == "DEBUG" else "INFO"},
        "burgerlink.request": {"level": "INFO" if ACCESS_LOG else "WARNING"},
    },
}

# --- Serving (burgerlink serve) ---------------------------------------------------------------
# Worker processes (0: one per CPU) and threads per worker; the port when --port is not given.
SERVE_WORKERS = env_int("SERVE_WORKERS", 0, minimum=0)
SERVE_THREADS = env_int("SERVE_THREADS", 4, minimum=1)
SERVE_PORT = env_int("PORT", 8000, minimum=1)

# --- Metrics, error reports, health ------------------------------------------------------------
# /metrics (Prometheus) answers only with "Authorization: Bearer <METRICS_TOKEN>"; unset: off.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Errors go to Sentry only when SENTRY_DSN is set; events carry no request bodies or personal data.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get(
    "SENTRY_ENVIRONMENT", "production" if PRODUCTION else "development"
)
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0)
if SENTRY_DSN:
    from burgerlink.core.observability.sentry import init_sentry

    init_sentry(
        SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE
    )
# Readiness (/gezond/klaar) checks these databases, and wants a db_worker heartbeat younger than
# WORKER_HEARTBEAT_MAX_AGE seconds (0: don't ask); workers beat every WORKER_HEARTBEAT_INTERVAL.
HEALTH_CHECK_DATABASES = env_list("HEALTH_CHECK_DATABASES", "default")
WORKER_HEARTBEAT_INTERVAL = env_int("WORKER_HEARTBEAT_INTERVAL", 15, minimum=1)
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 60, minimum=0)

# --- Retention (privacy: the scheduler's jobs enforce these) ----------------------------------
# Accounts without a login for this long are erased (operators' never); audit lines are kept this
# long; finished background task results (their arguments may name a person) this long.
ACCOUNT_RETENTION_DAYS = env_int("ACCOUNT_RETENTION_DAYS", 730, minimum=1)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 7 * 365, minimum=1)
TASK_RESULT_RETENTION_DAYS = env_int("TASK_RESULT_RETENTION_DAYS", 14, minimum=1)

# --- Platform -------------------------------------------------------------------------------
PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "Burgerlink")
# The public address of the platform, for links in e-mails sent by background tasks.
SITE_URL = site_url("SITE_URL", "http://127.0.0.1:8000", required=PRODUCTION)
# The accessibility statement (Dutch model statement): its status, A (fully compliant, after an
# audit) to E (not compliant). B, "voldoet gedeeltelijk", until an independent audit says more:
# automated tests find only part of the problems. The date is when it was last reviewed; the
# address must be a mailbox that someone reads (by default the platform's own host).
ACCESSIBILITY_STATUS = env_choice("ACCESSIBILITY_STATUS", "B", ("A", "B", "C", "D", "E"))
ACCESSIBILITY_STATEMENT_DATE = env_date("ACCESSIBILITY_STATEMENT_DATE", date(2026, 12, 7))
_SITE_HOST = (urlsplit(SITE_URL).hostname or "").removeprefix("www.")
ACCESSIBILITY_CONTACT_EMAIL = env_email(
    "ACCESSIBILITY_CONTACT_EMAIL",
    "toegankelijkheid@"
    + (
        _SITE_HOST if "." in _SITE_HOST and not _SITE_HOST[-1].isdigit() else "burgerlink.localhost"
    ),
)
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "burgerlink-demo")
# How long a decided compensation claim keeps the claimant's e-mail, name and bank account.
CLAIM_RETENTION_DAYS = env_int("CLAIM_RETENTION_DAYS", 365, minimum=1)
# How long a finished export's file can be downloaded before `burgerlink purge-exports` erases it.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7, minimum=1)
# Petitions (participation): signatures per client (a keyed hash of the IP address) and per
# e-mail domain (large providers exempt) in the window, the shortest time a person takes to
# fill in the signing form, and how often the public counts are recomputed at most.
PETITION_SIGNATURES_PER_CLIENT = env_int("PETITION_SIGNATURES_PER_CLIENT", 20, minimum=1)
PETITION_SIGNATURES_PER_DOMAIN = env_int("PETITION_SIGNATURES_PER_DOMAIN", 50, minimum=1)
PETITION_RATE_WINDOW_MINUTES = env_int("PETITION_RATE_WINDOW_MINUTES", 60, minimum=1)
PETITION_FORM_MIN_SECONDS = env_int("PETITION_FORM_MIN_SECONDS", 3, minimum=0)
PETITION_RECOUNT_SECONDS = env_int("PETITION_RECOUNT_SECONDS", 5, minimum=0)
# Volume of the demo's synthetic service records: 1.0 is a realistic year (about 200,000 calls
# for a city of 150,000); the test suite uses a sliver of it.
DEMO_RECORDS_SCALE = env_float("DEMO_RECORDS_SCALE", 1.0, minimum=0.0)
