"""Test overrides: fast password hashing, no login lockout unless a test turns it on."""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = FUPIN_HOME / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files of tests go to a throw-away folder, not the developer's var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="fupin-test-media-"))
