"""One settings module, driven by environment variables (see docs/configuration.md)."""

import json
import os
from datetime import timedelta
from decimal import Decimal
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
    "guichet.core.health.HealthMiddleware",
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
        # Each web process keeps its connection between requests: opening one costs both
        # sides a few milliseconds (a new PostgreSQL backend, its caches cold), more than
        # most pages' queries. Checked before reuse, so a restarted database is survived.
        conn_max_age=int(os.environ.get("GUICHET_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
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
# Files in S3-compatible object storage when a bucket is named (several web machines
# then share them); needs the `s3` extra: pip install "guichet[s3]".
if os.environ.get("GUICHET_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["GUICHET_S3_BUCKET"],
            "endpoint_url": os.environ.get("GUICHET_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("GUICHET_S3_REGION") or None,
            "access_key": os.environ.get("GUICHET_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("GUICHET_S3_SECRET_KEY") or None,
            # Private files: never a public ACL, never overwrite a case's document.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
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

# --- Identity, security and privacy (docs/security.md, docs/configuration.md) -------------


INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "axes", "csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"), "csp.middleware.CSPMiddleware"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("guichet.tenants.middleware.AuthorityMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "guichet.security.middleware.AgentSessionMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("guichet.security.middleware.AgentSessionMiddleware") + 1,
    "guichet.security.middleware.RateLimitMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = ["guichet.security.backends.LockoutAuthorityEmailBackend"]

# Cookies and transport. Behind TLS (production) set GUICHET_SECURE_COOKIES=1: cookies are
# then Secure and HSTS is sent.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("GUICHET_SESSION_SECONDS", str(60 * 60 * 12)))
SECURE_HSTS_SECONDS = int(
    os.environ.get("GUICHET_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("GUICHET_SSL_REDIRECT", False)
if env_bool("GUICHET_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# OpenID Connect providers: FranceConnect for residents, each authority's own provider for
# its agents. A JSON object {name: {...}} (docs/security.md lists the keys).
GUICHET_OIDC_PROVIDERS: dict = json.loads(os.environ.get("GUICHET_OIDC_PROVIDERS", "{}") or "{}")
if not GUICHET_OIDC_PROVIDERS and env_bool("GUICHET_DEMO_OIDC", False):
    # The demo's own provider (`guichet oidc_dev_provider`, started by `guichet demo`),
    # standing in for FranceConnect.
    GUICHET_OIDC_PROVIDERS = {
        "franceconnect": {
            "label": "FranceConnect (démonstration)",
            "issuer": os.environ.get("GUICHET_DEMO_OIDC_ISSUER", "http://127.0.0.1:9000"),
            "client_id": "guichet-demo",
            "client_secret": "guichet-demo-secret",
            "audience": "resident",
            "acr_values": "eidas1",
        }
    }
GUICHET_OIDC_TIMEOUT = float(os.environ.get("GUICHET_OIDC_TIMEOUT", "10"))

# Content-Security-Policy: nothing inline, nothing from elsewhere.
_OIDC_ORIGINS = sorted(
    {
        "/".join(provider["issuer"].split("/")[:3])
        for provider in GUICHET_OIDC_PROVIDERS.values()
        if provider.get("issuer")
    }
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *_OIDC_ORIGINS],
    }
}

# Agents: a second factor (TOTP) for the back office, a shorter idle session, lockout.
GUICHET_AGENT_OTP_REQUIRED = env_bool("GUICHET_AGENT_OTP_REQUIRED", True)
GUICHET_AGENT_IDLE_SECONDS = int(os.environ.get("GUICHET_AGENT_IDLE_SECONDS", str(30 * 60)))
OTP_TOTP_ISSUER = "Guichet"
AXES_ENABLED = env_bool("GUICHET_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("GUICHET_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("GUICHET_LOCKOUT_MINUTES", "15")))
# Per account and address: a town hall behind one address is not locked out as a whole.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "guichet.security.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "guichet.security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS += [{"NAME": "guichet.security.passwords.AgentPasswordValidator"}]

# Rate limits: "<count>/<seconds>" per client address, for the routes named here and for
# every anonymous POST (GUICHET_RATE_LIMIT_POST). Empty turns them off.
GUICHET_RATE_LIMITS_ON = env_bool("GUICHET_RATE_LIMITS", True)
GUICHET_RATE_LIMITS = {
    "frontoffice:login": "10/60",
    "frontoffice:magic_link": "5/300",
    "frontoffice:tracking": "20/60",
    "frontoffice:register": "5/300",
}
GUICHET_RATE_LIMIT_POST = os.environ.get("GUICHET_RATE_LIMIT_POST", "30/60")

# Uploads: deep checks (images re-encoded, PDFs parsed) and the antivirus, when configured
# ("unix:/run/clamav/clamd.ctl" or "tcp:127.0.0.1:3310").
GUICHET_UPLOAD_DEEP_CHECKS = env_bool("GUICHET_UPLOAD_DEEP_CHECKS", True)
GUICHET_CLAMD_ADDRESS = os.environ.get("GUICHET_CLAMD_ADDRESS", "")
GUICHET_CLAMD_TIMEOUT = float(os.environ.get("GUICHET_CLAMD_TIMEOUT", "30"))

# RGPD: how long the agents' access log and other logs are kept, in days.
GUICHET_LOG_RETENTION_DAYS = int(os.environ.get("GUICHET_LOG_RETENTION_DAYS", "365"))
GUICHET_DRAFT_RETENTION_DAYS = int(os.environ.get("GUICHET_DRAFT_RETENTION_DAYS", "365"))
# Successful logins are not kept (the access log is AuditEvent); failures are, for lockout.
AXES_DISABLE_ACCESS_LOG = True
GUICHET_RETENTION_SWEEP_HOURS = int(os.environ.get("GUICHET_RETENTION_SWEEP_HOURS", "24"))
# Rate limits and lockout counters must be shared by the web server's processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Public space (street reports, work orders, Open311).
# Geocoder: "offline" (coordinates only, no network) or "ban" (Base Adresse Nationale).
GUICHET_GEOCODER = os.environ.get("GUICHET_GEOCODER", "offline")
GUICHET_BAN_URL = os.environ.get("GUICHET_BAN_URL", "https://api-adresse.data.gouv.fr")
GUICHET_GEOCODER_TIMEOUT = float(os.environ.get("GUICHET_GEOCODER_TIMEOUT", "3"))
# Map tiles ({z}/{x}/{y}); empty shows the map without a background (markers still work).
GUICHET_MAP_TILES_URL = os.environ.get(
    "GUICHET_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
GUICHET_MAP_ATTRIBUTION = os.environ.get(
    "GUICHET_MAP_ATTRIBUTION", "© les contributeurs d'OpenStreetMap"
)
# Open reports of the same category within this radius are proposed as duplicates.
GUICHET_DUPLICATE_RADIUS_M = int(os.environ.get("GUICHET_DUPLICATE_RADIUS_M", "50"))
# The map's tiles come from their own server: the CSP lets images load from it.
if GUICHET_MAP_TILES_URL.startswith("http"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        "/".join(GUICHET_MAP_TILES_URL.split("/")[:3])
    )

# --- Associations (issue 5) ---------------------------------------------------------------
# Days before a vault document expires when its representatives are reminded.
GUICHET_VAULT_REMINDER_DAYS = int(os.environ.get("GUICHET_VAULT_REMINDER_DAYS", "30"))
# Above this granted amount (euros), an agreement ("convention") is required (décret 2001-495).
GUICHET_SUBSIDY_AGREEMENT_THRESHOLD = Decimal(
    os.environ.get("GUICHET_SUBSIDY_AGREEMENT_THRESHOLD", "23000")
)
# Days before the final report's due date when the representatives are reminded.
GUICHET_FINAL_REPORT_REMINDER_DAYS = int(os.environ.get("GUICHET_FINAL_REPORT_REMINDER_DAYS", "30"))

# Barometer (issue 8): how old indicator snapshots may get before the sweep recomputes them.
GUICHET_BAROMETER_SNAPSHOT_HOURS = int(os.environ.get("GUICHET_BAROMETER_SNAPSHOT_HOURS", "6"))

# --- Individuals and payments (issue 4) ---------------------------------------------------------
# Régies are paid through eopayment (PayFiP, Systempay, Paybox…): JSON keyed by the régie's
# merchant id, {"<merchant_id>": {"backend": "payfip_ws", "options": {...}}}. See
# docs/payments.md and docs/configuration.md.
GUICHET_PAYMENT_EOPAYMENT = json.loads(os.environ.get("GUICHET_PAYMENT_EOPAYMENT", "{}"))
# eopayment's `dummy` backend trusts the answer's own "signed" flag: for the demo and the
# tests only (a deploy check refuses it with DEBUG off).
GUICHET_PAYMENT_ALLOW_DUMMY = env_bool("GUICHET_PAYMENT_ALLOW_DUMMY", False)
# Days after its due date before an unpaid invoice gets a reminder.
GUICHET_INVOICE_REMINDER_DAYS = int(os.environ.get("GUICHET_INVOICE_REMINDER_DAYS", "7"))

# --- Real-estate operations (issue 7) ----------------------------------------------------
# See docs/real_estate.md.
# The service that conducts building operations (its slug): offered first to create them.
GUICHET_REAL_ESTATE_SERVICE = os.environ.get("GUICHET_REAL_ESTATE_SERVICE", "patrimoine")
# How many days before the legal 30-day payment date the unpaid invoices are signalled.
GUICHET_REAL_ESTATE_INVOICE_ALERT_DAYS = int(
    os.environ.get("GUICHET_REAL_ESTATE_INVOICE_ALERT_DAYS", "5")
)

# --- API schema (issue 10): OpenAPI 3 by drf-spectacular, served at /api/schema/ -----------
INSTALLED_APPS += ["rest_framework", "drf_spectacular"]
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Partners authenticate with a key, never with a session or a password.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    # JSON only: DRF's browsable pages carry inline script, which the CSP refuses anyway.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet API",
    "DESCRIPTION": (
        "Machine-facing endpoints of one authority: Open311 GeoReport v2 (street reports), "
        "civil-status requests relayed by a national portal, the barometer's open data. "
        "Call them on the authority's host; a key belongs to one authority and grants "
        "scopes (`open311`, `relay`, `read`). See docs/security.md."
    ),
    "VERSION": "1",
    # The canonical mount only: `/open311/v2/` at the site's root is the same views.
    "PREPROCESSING_HOOKS": ["guichet.api.schema.api_endpoints_only"],
    "DEFAULT_GENERATOR_CLASS": "guichet.api.schema.Generator",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Open311 answers its errors as a list too.
    "ENABLE_LIST_MECHANICS_ON_NON_2XX": True,
}
