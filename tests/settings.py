"""Test settings: the real ones, with tasks run right after commit and files in a temp dir."""

import tempfile
from pathlib import Path

from guichet.config.settings import *  # noqa: F403

MEDIA_ROOT = tempfile.mkdtemp(prefix="guichet-test-media-")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: a worker started by a test (tests/cli/test_worker.py) must see
    # the same database. One per test run, so that parallel runs do not share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="guichet-test-db-")) / "test.sqlite3")
    }

# Switches that would make every other test harder: on in production, off here; the
# security tests turn them on (tests/security).
GUICHET_AGENT_OTP_REQUIRED = False
AXES_ENABLED = False
GUICHET_RATE_LIMITS_ON = False
GUICHET_UPLOAD_DEEP_CHECKS = False
GUICHET_OIDC_PROVIDERS = {}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Payments go through eopayment's dummy backend and the local dummy service (ADR 0022); the
# régies of tests/individuals/school_factories.py name this account.
GUICHET_PAYMENT_ALLOW_DUMMY = True
GUICHET_PAYMENT_EOPAYMENT = {
    "test-dummy": {"backend": "dummy", "options": {"origin": "Guichet (tests)"}},
}
