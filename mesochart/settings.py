"""One settings module, driven by the environment.

Development (the default) runs on a SQLite file under ``var/`` with no set-up. Production
(``MESOCHART_ENV=production``) refuses to start without a real secret key, explicit allowed
hosts and HTTPS-only cookies: nothing insecure is inherited from the development defaults.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MESOCHART_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("MESOCHART_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured("MESOCHART_ENV: must be 'development' or 'production'")
PRODUCTION = ENV == "production"

_DEV_SECRET = "development-only-secret-key-never-used-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("MESOCHART_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
# Analytics pseudonymises patient keys with HMAC-SHA-256 under this secret (its own variable,
# so a key can be rotated without signing everybody out; by default derived from SECRET_KEY).
ANALYTICS_PSEUDONYM_KEY = os.environ.get("MESOCHART_PSEUDONYM_KEY", "pseudonym:" + SECRET_KEY)
DEBUG = not PRODUCTION and os.environ.get("MESOCHART_DEBUG", "1") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("MESOCHART_ALLOWED_HOSTS", "").split(",") if h.strip()
]
if not PRODUCTION:
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "MESOCHART_SECRET_KEY: production needs a random secret of at least 50 characters"
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "MESOCHART_ALLOWED_HOSTS: production needs an explicit comma-separated host list"
        )
    SECURE_SSL_REDIRECT = os.environ.get("MESOCHART_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

# The audit chain's HMAC key (docs/audit.md). It lives in the environment, never in the
# database, so the database's own roles cannot recompute the chain. Development and tests
# derive one from the secret key; production must be given one. Keys used before a rotation
# stay listed in MESOCHART_AUDIT_OLD_KEYS (comma-separated) so older rows still verify.
_audit_key = os.environ.get("MESOCHART_AUDIT_KEY", "")
if PRODUCTION and (len(_audit_key) < 32 or len(set(_audit_key)) < 5):
    raise ImproperlyConfigured(
        "MESOCHART_AUDIT_KEY: production needs a random key of at least 32 characters"
    )
AUDIT_KEY = _audit_key or f"development-audit-key:{SECRET_KEY}"
AUDIT_OLD_KEYS = [
    k.strip() for k in os.environ.get("MESOCHART_AUDIT_OLD_KEYS", "").split(",") if k.strip()
]
# Checkpoints of the chain head (count and MAC) appended to a file outside the database, at
# most one per interval per process (0: after every audited commit).
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("MESOCHART_AUDIT_CHECKPOINTS", VAR_DIR / "audit-checkpoints.log")
)
AUDIT_CHECKPOINT_INTERVAL_SECONDS = int(os.environ.get("MESOCHART_AUDIT_CHECKPOINT_EVERY", 60))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    # django-ninja's own app: /api/v1/docs then serves Swagger UI from its static files,
    # not from a CDN, so the docs work offline.
    "ninja",
    "mesochart.accounts",
    "mesochart.audit",
    "mesochart.patients",
    "mesochart.formulary",
    "mesochart.planning",
    "mesochart.consent",
    "mesochart.treatments",
    "mesochart.interop",
    "mesochart.outcomes",
    "mesochart.analytics",
    "mesochart.photos",
    "mesochart.scheduling",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mesochart.lib.nocache.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Accept-Language (or the language cookie) for everybody; UserLanguageMiddleware, once the
    # user and clinic are known, puts the staff member's choice or the clinic's default first.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mesochart.lib.input_rules.ApiInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mesochart.accounts.middleware.SessionLifetimeMiddleware",
    "mesochart.accounts.middleware.TwoFactorRequiredMiddleware",
    "mesochart.accounts.middleware.PasswordChangeRequiredMiddleware",
    "mesochart.accounts.middleware.CurrentClinicMiddleware",
    "mesochart.accounts.middleware.UserLanguageMiddleware",
    "mesochart.consent.tablet.TabletLockMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "mesochart.urls"
WSGI_APPLICATION = "mesochart.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "patients:list"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mesochart" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mesochart.accounts.context.clinic_context",
                "mesochart.lib.jsi18n.catalogue_context",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'mesochart.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several workers share one file: WAL lets readers run beside the writer; a write takes
    # the lock when its transaction begins (IMMEDIATE), so two writers queue for up to
    # ``timeout`` seconds instead of failing with "database is locked" half-way. Each new
    # connection (every ``conn_max_age`` at most) refreshes the planner's statistics of
    # tables that grew since they were last analysed, as SQLite recommends, with the
    # analysis capped so it stays a few milliseconds.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("MESOCHART_SQLITE_BUSY_TIMEOUT", 20)),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    {"NAME": "mesochart.accounts.passwords.RepetitivePasswordValidator"},
]

# Sessions: an idle time-out (checked by SessionLifetimeMiddleware on every request) and an
# absolute lifetime after which the user signs in again, whatever their activity.
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("MESOCHART_IDLE_TIMEOUT", 15 * 60))
SESSION_ABSOLUTE_LIFETIME_SECONDS = int(os.environ.get("MESOCHART_SESSION_LIFETIME", 12 * 3600))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout: this many failed sign-ins in a row lock the account for the given time.
LOGIN_FAILURE_LIMIT = int(os.environ.get("MESOCHART_LOGIN_FAILURE_LIMIT", 5))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("MESOCHART_LOGIN_LOCKOUT", 15 * 60))
# Signing a record asks for the password or TOTP code again; the proof lasts this long.
REAUTH_WINDOW_SECONDS = int(os.environ.get("MESOCHART_REAUTH_WINDOW", 5 * 60))

# API tokens end this many days after they are issued; a new one is issued from the page.
# How far back a session may be recorded after the fact (`treatments.late_entry`): a
# bookkeeping bound of house policy, not a clinical figure. Past it, a session is not entered
# from memory; the practice writes an incident note instead.
LATE_ENTRY_MAX_DAYS = int(os.environ.get("MESOCHART_LATE_ENTRY_MAX_DAYS", 30))
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("MESOCHART_API_TOKEN_LIFETIME_DAYS", 90))
# A token's last use is written at most this often, so read-only calls rarely write.
API_TOKEN_TOUCH_SECONDS = 60

OTP_TOTP_ISSUER = "mesochart"

LANGUAGE_CODE = "en-gb"
# The languages of the interface, the printed documents and the API's ``detail``. A new one
# is its catalogue under mesochart/locale/<code>/ plus its line here.
LANGUAGES = [("en-gb", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "mesochart" / "locale"]
# en-GB on the 24-hour clock (mesochart/formats/en_GB); French is Django's own.
FORMAT_MODULE_PATH = ["mesochart.formats"]
# Dates, times and numbers in Django's formats of the active language (French: 24-hour
# clock, comma decimals; forms read "0,2" through lib.widgets.localize_numbers).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "mesochart" / "static"]
MEDIA_ROOT = Path(os.environ.get("MESOCHART_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("MESOCHART_PHOTO_ROOT", VAR_DIR / "photos")},
    },
    "staticfiles": {
        "BACKEND": (
            "mesochart.lib.staticfiles.ProductionStaticFiles"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Clinical photos on an S3-compatible object store instead of the filesystem (django-storages;
# needs the "s3" extra). The bucket must be private: every image is served through a view.
if os.environ.get("MESOCHART_PHOTO_STORAGE", "filesystem") == "s3":
    STORAGES["photos"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MESOCHART_PHOTO_BUCKET"],
            "endpoint_url": os.environ.get("MESOCHART_PHOTO_S3_ENDPOINT") or None,
            "region_name": os.environ.get("MESOCHART_PHOTO_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

X_FRAME_OPTIONS = "DENY"
# Scripts only from our own files (no inline script or handler: tests/test_content_security
# _policy.py); inline styles stay allowed for the SVG charts and QR codes drawn server-side.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background work (reminders) through Django's task API (the django-tasks backport); the
# database backend needs no other service: `mesochart serve` starts `mesochart worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = os.environ.get(
    "MESOCHART_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("MESOCHART_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MESOCHART_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("MESOCHART_FROM_EMAIL", "reminders@mesochart.invalid")
SCHEDULING_REMINDER_HOURS = int(os.environ.get("MESOCHART_REMINDER_HOURS", "48"))
# Text-message reminders: the dotted path of a class with send(to, body) (scheduling.channels).
SCHEDULING_TEXT_BACKEND = os.environ.get(
    "MESOCHART_TEXT_BACKEND", "mesochart.scheduling.channels.ConsoleText"
)
SCHEDULING_TEXT_FILE = os.environ.get("MESOCHART_TEXT_FILE", str(VAR_DIR / "texts.jsonl"))
SCHEDULING_BASE_URL = os.environ.get("MESOCHART_BASE_URL", "http://127.0.0.1:8000")
