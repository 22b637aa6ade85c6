"""The one settings module. Every knob comes from the environment (see README.md).

ONEDATA_MODE chooses the defaults: ``production`` (the default: DEBUG off, SECRET_KEY
required), ``demo`` (what ``make demo`` runs: DEBUG on, a generated key kept in var/)
and ``test`` (set by pytest: fast hashing, tasks run immediately, mail kept in memory).
A malformed value stops start-up with ImproperlyConfigured naming the variable.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from onedata import config
from onedata.config import ConfigError

ENV = config.environ()
BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

try:
    MODE = config.env_choice(ENV, "ONEDATA_MODE", ("production", "demo", "test"), "production")
    DEMO = MODE == "demo"
    TESTING = MODE == "test"
    # Relative to the working directory (the checkout for `make demo`, WorkingDirectory=
    # under systemd), not to the package, which may live in a read-only site-packages.
    VAR_DIR = Path(ENV.get("ONEDATA_VAR_DIR") or Path.cwd() / "var").resolve()
    DEBUG = config.env_bool(ENV, "DEBUG", DEMO)

    SECRET_KEY = ENV.get("SECRET_KEY", "")
    if not SECRET_KEY:
        if TESTING:
            SECRET_KEY = "test-only-" + "x" * 50  # noqa: S105 - never used outside tests
        elif DEMO:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file = VAR_DIR / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_urlsafe(50))
                key_file.chmod(0o600)
            SECRET_KEY = key_file.read_text().strip()
        else:
            raise ConfigError("SECRET_KEY", "required in production (ONEDATA_MODE=production)")
    elif len(SECRET_KEY) < 32:
        raise ConfigError("SECRET_KEY", "too short; use at least 32 random characters")

    ALLOWED_HOSTS = config.env_list(
        ENV, "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
    CSRF_TRUSTED_ORIGINS = config.env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])

    database_url = ENV.get("DATABASE_URL", "").strip()
    if database_url:
        DATABASES = {"default": config.database_from_url(database_url)}
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        DATABASES = {"default": config.sqlite_database(str(VAR_DIR / "onedata.sqlite3"))}

    REDIS_URL = config.redis_url(ENV)

    email_url = ENV.get("EMAIL_URL", "").strip()
    if email_url:
        globals().update(config.email_from_url(email_url))
    elif TESTING:
        EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    elif MODE == "production":
        raise ConfigError(
            "EMAIL_URL",
            "required in production, e.g. smtp://user:pw@relay:587?starttls=1 "
            "(console:// writes mail to the log instead)",
        )
    else:
        # The demo starts a local SMTP sink on this port (see onedata/cli.py).
        EMAIL_HOST = "127.0.0.1"
        EMAIL_PORT = config.env_int(ENV, "ONEDATA_SMTP_SINK_PORT", 8025, minimum=1)
    DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Bali One Data <noreply@onedata.local>")

    S3_BUCKET = ENV.get("S3_BUCKET", "").strip()
    MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT") or VAR_DIR / "media")
    STATIC_ROOT = Path(ENV.get("STATIC_ROOT") or VAR_DIR / "static")

    API_RATE_PER_MINUTE_IP = config.env_int(ENV, "API_RATE_PER_MINUTE_IP", 600, minimum=1)
    API_RATE_PER_MINUTE_TOKEN = config.env_int(ENV, "API_RATE_PER_MINUTE_TOKEN", 1200, minimum=1)
    LOGIN_MAX_FAILURES = config.env_int(ENV, "LOGIN_MAX_FAILURES", 5, minimum=1)
    LOGIN_LOCKOUT_SECONDS = config.env_int(ENV, "LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
    API_TOKEN_DEFAULT_DAYS = config.env_int(ENV, "API_TOKEN_DEFAULT_DAYS", 90, minimum=1)
    SECURE_SSL = config.env_bool(ENV, "SECURE_SSL", False)
    TRUSTED_PROXY_COUNT = config.env_int(ENV, "TRUSTED_PROXY_COUNT", 0)
    # Webhook URLs inside our own network are refused in production (server-side request
    # forgery); the demo and the tests post to receivers on loopback.
    NOTIFY_WEBHOOK_ALLOW_PRIVATE = config.env_bool(
        ENV, "NOTIFY_WEBHOOK_ALLOW_PRIVATE", DEMO or TESTING
    )
    NOTIFY_SMS_URL = ENV.get("NOTIFY_SMS_URL", "").strip()
    NOTIFY_SMS_SECRET = ENV.get("NOTIFY_SMS_SECRET", "")
    if NOTIFY_SMS_URL and len(NOTIFY_SMS_SECRET) < 32:
        raise ConfigError("NOTIFY_SMS_SECRET", "required with NOTIFY_SMS_URL, 32+ characters")
    NOTIFY_MAX_ATTACHMENT_BYTES = config.env_int(
        ENV, "NOTIFY_MAX_ATTACHMENT_BYTES", 10_000_000, minimum=1
    )
    # How many workers may send to one recipient domain at once (each holds one SMTP
    # connection): Postfix's default_destination_concurrency_limit, with overrides.
    NOTIFY_DOMAIN_CONCURRENCY = config.env_int(ENV, "NOTIFY_DOMAIN_CONCURRENCY", 20, minimum=1)
    NOTIFY_DOMAIN_LIMITS = config.env_int_mapping(ENV, "NOTIFY_DOMAIN_LIMITS")
    # Attendance: face templates and photos are encrypted with this key (32+ characters;
    # derived from SECRET_KEY under its own label when empty).
    ATTENDANCE_BIOMETRIC_KEY = ENV.get("ATTENDANCE_BIOMETRIC_KEY", "")
    if ATTENDANCE_BIOMETRIC_KEY and len(ATTENDANCE_BIOMETRIC_KEY) < 32:
        raise ConfigError("ATTENDANCE_BIOMETRIC_KEY", "too short; use at least 32 characters")
    ATTENDANCE_FACE_THRESHOLD = config.env_float(
        ENV, "ATTENDANCE_FACE_THRESHOLD", 0.6, minimum=0.3, maximum=0.8
    )
    ATTENDANCE_PHOTO_RETENTION_DAYS = config.env_int(
        ENV, "ATTENDANCE_PHOTO_RETENTION_DAYS", 90, minimum=1
    )
    CLINICS_BOOKINGS_PER_HOUR_IP = config.env_int(
        ENV, "CLINICS_BOOKINGS_PER_HOUR_IP", 30, minimum=1
    )
    CLINICS_BOOKINGS_PER_HOUR_NIK = config.env_int(
        ENV, "CLINICS_BOOKINGS_PER_HOUR_NIK", 10, minimum=1
    )
    # Reminders go this many minutes after a shift's start (no check-in) or end (no check-out).
    ATTENDANCE_REMINDER_CHECKIN_MINUTES = config.env_int(
        ENV, "ATTENDANCE_REMINDER_CHECKIN_MINUTES", 15, minimum=1
    )
    ATTENDANCE_REMINDER_CHECKOUT_MINUTES = config.env_int(
        ENV, "ATTENDANCE_REMINDER_CHECKOUT_MINUTES", 15, minimum=1
    )
    HOSPITALS_STALE_HOURS = config.env_int(ENV, "HOSPITALS_STALE_HOURS", 24, minimum=1)
    # SIKUAT: withheld tax is overdue when not deposited by this day of the next month.
    VILLAGEFINANCE_TAX_DUE_DAY = config.env_int(ENV, "VILLAGEFINANCE_TAX_DUE_DAY", 15, minimum=1)
    # Data hub: the most rows one download of a filtered table holds (CSV, XLSX, JSON).
    DATAHUB_EXPORT_MAX_ROWS = config.env_int(ENV, "DATAHUB_EXPORT_MAX_ROWS", 100_000, minimum=1)
    METRICS_TOKEN = ENV.get("METRICS_TOKEN", "")
    MAP_TILE_URL = ENV.get("MAP_TILE_URL", "")
    LOG_FORMAT = config.env_choice(ENV, "LOG_FORMAT", ("json", "text"), "json")
    SITE_URL = ENV.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    PROVINCE_NAME = ENV.get("ONEDATA_PROVINCE_NAME", "Provinsi Bali")
except ConfigError as error:
    raise ImproperlyConfigured(f"Bad setting {error}") from error

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "onedata.core",
    "onedata.notifications",
    "onedata.datahub",
    "onedata.hospitals",
    "onedata.clinics",
    "onedata.attendance",
    "onedata.villagefinance",
    "onedata.factcheck",
    "onedata.publishing",
]
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onedata.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onedata.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onedata.core.middleware.ApiRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "onedata.urls"
WSGI_APPLICATION = "onedata.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onedata.core.context_processors.platform",
                "onedata.notifications.context_processors.inbox",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": ENV.get("S3_ENDPOINT_URL") or None,
            "region_name": ENV.get("S3_REGION") or None,
            "access_key": ENV.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": ENV.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

if REDIS_URL:
    # Redis down: the cache degrades (reads miss, writes are dropped, rate limits count in
    # the database; onedata/core/health.py) instead of failing every request. Short socket
    # timeouts so that an unreachable Redis host costs a request at most about a second.
    CACHES = {
        "default": {
            "BACKEND": "onedata.core.health.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if TESTING and not config.env_bool(ENV, "ONEDATA_TEST_REAL_TASKS", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Security headers. HSTS and secure cookies only when the site is served over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
if SECURE_SSL:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = config.env_bool(ENV, "SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the province's domain to HTTPS for good:
        # a decision for its operators (SECURE_HSTS_PRELOAD=true), not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# One JSON object per line with the request id; NIK and secrets scrubbed by a filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "scrub": {"()": "onedata.core.logging.ScrubFilter"},
        "request_id": {"()": "onedata.core.logging.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "onedata.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # Our middleware logs every request once; Django's own 4xx lines would repeat it.
        "django.request": {"level": "ERROR"},
        "onedata.request": {"level": "WARNING" if TESTING else "INFO"},
    },
}
