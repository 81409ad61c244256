"""One settings module, driven by environment variables (see docs/configuration.md)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("GUICHET_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("GUICHET_DEBUG", False)
SECRET_KEY = os.environ.get("GUICHET_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("GUICHET_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("GUICHET_SECRET_KEY must be set in production.")
    # A local, non-secret key for the demo and the tests only.
    SECRET_KEY = "guichet-insecure-local-key-change-me"  # noqa: S105

# Authorities are resolved from the host name (tenants.middleware), so every host is let
# through here and unknown hosts get a 404 there.
ALLOWED_HOSTS = ["*"]
PLATFORM_HOSTS = env_list("GUICHET_PLATFORM_HOSTS", "localhost,127.0.0.1,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "guichet.core",
    "guichet.tenants",
    "guichet.accounts",
    "guichet.notifications",
    "guichet.security",
    "guichet.documents",
    "guichet.payments",
    "guichet.engine",
    "guichet.interventions",
    "guichet.privacy",
    "guichet.associations",
    "guichet.individuals",
    "guichet.public_space",
    "guichet.real_estate",
    "guichet.facilities",
    "guichet.barometer",
    "guichet.frontoffice",
    "guichet.backoffice",
    "guichet.api",
    "guichet.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guichet.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guichet.tenants.middleware.AuthorityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "guichet.config.urls"
WSGI_APPLICATION = "guichet.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.tenants.context_processors.authority",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'guichet.sqlite3'}"),
        conn_max_age=int(os.environ.get("GUICHET_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["guichet.accounts.backends.AuthorityEmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontoffice:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("GUICHET_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: the engine checks each field's own limits; this is the hard ceiling.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GUICHET_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# How often the worker enqueues the periodic deadline sweep, in seconds.
GUICHET_DEADLINE_SWEEP_SECONDS = int(os.environ.get("GUICHET_DEADLINE_SWEEP_SECONDS", "300"))

# E-mail: written to files by default (the demo); SMTP when GUICHET_EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("GUICHET_FROM_EMAIL", "Guichet <ne-pas-repondre@guichet.local>")
if os.environ.get("GUICHET_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["GUICHET_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("GUICHET_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("GUICHET_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("GUICHET_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("GUICHET_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GUICHET_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GUICHET_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per task run is noise in the demo; INFO shows them.
        "django_tasks_db": {"level": os.environ.get("GUICHET_TASK_LOG_LEVEL", "WARNING")},
    },
}

# Real-estate operations (docs/real_estate.md).
# The service that conducts building operations (its slug): offered first to create them.
GUICHET_REAL_ESTATE_SERVICE = os.environ.get("GUICHET_REAL_ESTATE_SERVICE", "patrimoine")
# How many days before the legal 30-day payment date the unpaid invoices are signalled.
GUICHET_REAL_ESTATE_INVOICE_ALERT_DAYS = int(
    os.environ.get("GUICHET_REAL_ESTATE_INVOICE_ALERT_DAYS", "5")
)
