"""Settings of fupin, read from the environment (never at import time of app code)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
FUPIN_HOME = Path(os.environ.get("FUPIN_HOME", "var")).resolve()
FUPIN_HOME.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return FUPIN_SECRET_KEY, or a key generated once into FUPIN_HOME."""
    key = os.environ.get("FUPIN_SECRET_KEY")
    if key:
        return key
    path = FUPIN_HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("FUPIN_DEBUG")
ALLOWED_HOSTS = [
    h for h in os.environ.get("FUPIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FUPIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # The admin for superusers only (fupin.core.admin_site, docs/decisions/0046).
    "fupin.core.admin_apps.FupinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    # django-ninja's own static files and templates: /api/v1/docs works offline (no CDN).
    "ninja",
    "fupin.core",
    "fupin.regions",
    "fupin.accounts",
    "fupin.policy",
    "fupin.registry",
    "fupin.assistance",
    "fupin.monitoring",
    "fupin.pairing",
    "fupin.oversight",
    "fupin.councils",
    "fupin.distribution",
    "fupin.screening",
    "fupin.projects",
    "fupin.funds",
    "fupin.assets",
    "fupin.api",
    "fupin.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fupin.core.middleware.OperationMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fupin.web.middleware.ChosenLanguageMiddleware",
    "fupin.core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "fupin.web.middleware.NotFoundIs404Middleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "fupin.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{FUPIN_HOME / 'fupin.sqlite3'}"),
        conn_max_age=int(os.environ.get("FUPIN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web keep reading while an import writes; case-sensitive LIKE lets SQLite use
    # the code index for region scope (code LIKE 'prefix%'), as PostgreSQL does with its _like index.
    # SQLite's default page cache is 2 MB: a city's indexes do not fit, and a batch of a hundred
    # thousand cases rereads pages from the OS (decision 0054); the cache is per connection.
    SQLITE_CACHE_MB = int(os.environ.get("FUPIN_SQLITE_CACHE_MB", "64"))
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA case_sensitive_like=ON; PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024};",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fupin.accounts.backends.RegionScopeBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling: after AXES_FAILURE_LIMIT failures the username+IP pair is locked out.
AXES_FAILURE_LIMIT = int(os.environ.get("FUPIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("FUPIN_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

SESSION_COOKIE_SECURE = _env_bool("FUPIN_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "fupin" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = FUPIN_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = FUPIN_HOME / "media"

# Import limits (docs/decisions/0067): checking stops after this many problems; a file of more
# data rows, or an XLSX that unpacks to more bytes, is refused; web problem reports are deleted
# after this many days.
FUPIN_IMPORT_MAX_PROBLEMS = int(os.environ.get("FUPIN_IMPORT_MAX_PROBLEMS", "1000"))
FUPIN_IMPORT_MAX_ROWS = int(os.environ.get("FUPIN_IMPORT_MAX_ROWS", "1500000"))
FUPIN_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("FUPIN_IMPORT_MAX_UNPACKED_BYTES", str(1024 * 1024 * 1024))
)
FUPIN_IMPORT_REPORT_DAYS = float(os.environ.get("FUPIN_IMPORT_REPORT_DAYS", "7"))
# A list read by changes leaves the rows of the last seconds for the next call: a transaction that
# commits late may carry an earlier clock than rows already read (fupin.api.pagination).
FUPIN_SYNC_SETTLE_SECONDS = float(os.environ.get("FUPIN_SYNC_SETTLE_SECONDS", "5"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FUPIN_LOG_LEVEL", "WARNING")},
}
