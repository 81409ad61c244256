"""Test settings: the real ones, with tasks run right after commit and files in a temp dir."""

import tempfile

from guichet.config.settings import *  # noqa: F403

MEDIA_ROOT = tempfile.mkdtemp(prefix="guichet-test-media-")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
