"""Settings for Anju, read from the environment (see README: Configuration).

The same settings serve development, tests and production; only the environment
differs. Nothing exists only in production.
"""
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """A key generated once for this machine (var/secret_key). Production behind a load balancer
    sets SECRET_KEY in the environment so that every machine shares it."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.utils.crypto import get_random_string

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_string(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
if len(SECRET_KEY) < 32 and not (DEBUG or TESTING):
    raise ImproperlyConfigured("SECRET_KEY is too short (≥ 32 characters) / SECRET_KEY 长度至少 32 位")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the app (SPECTACULAR_SETTINGS)
    "simple_history",
    "axes",
    "core",
    "accounts",
    "registry",
    "intake",
    "cases",
    "credit",
    "programme",
    "analytics",  # metrics and dashboards: reads every domain app above, none imports it
    "assessment",
    "bulletins",
    "demo",  # the demo district (seed_demo): above every domain app, which none of them imports
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.ExportTokenMiddleware",
    "core.busy.BusyMiddleware",  # a busy database: 503 with the bilingual message, never a debug page
    "core.views.ErrorPageMiddleware",
]
# A refused form (expired page, no CSRF cookie) gets the site's 403 page in the reader's language.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

ROOT_URLCONF = "anju.urls"
WSGI_APPLICATION = "anju.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anju.context_processors.navigation",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'anju.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work together; a busy timeout instead of "database is locked". A
    # transaction takes the write lock when it begins (IMMEDIATE), so it waits out the timeout there: a deferred
    # one that upgrades to a write midway gets SQLITE_BUSY at once, whatever the timeout. Writes that still meet
    # a lock retry (core.busy): 3 attempts of at most SQLITE_BUSY_TIMEOUT seconds stay under a worker's 30 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": env.int("SQLITE_BUSY_TIMEOUT", default=8), "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": None}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional read replica (PostgreSQL streaming copy of the primary) for dashboards and exports: reads inside
# core.replica.reading() go there (anju/dbrouters.py); unset, every query stays on "default". Tests mirror it.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=60), CONN_HEALTH_CHECKS=True,
                                TEST={"MIRROR": "default"})
DATABASE_ROUTERS = ["anju.dbrouters.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # PBKDF2's million rounds cost ~0.3 s a password: the demo district alone sets some forty. Tests hash with MD5
    # (Django's advice for test settings); the real hasher is unchanged outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Lock the account, not the address: a street office shares one NAT address, and locking it would
# lock every colleague out. Brute force against one account is still stopped.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # SQLite ignores an index's INCLUDE columns: analytics' covering index is for PostgreSQL, a plain index on SQLite
    "models.W040",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": env.str("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
# S3-compatible object storage (MinIO) when FILE_STORAGE=storages.backends.s3.S3Storage
AWS_STORAGE_BUCKET_NAME = env.str("S3_BUCKET", default="anju")
AWS_S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="") or None
AWS_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY", default="") or None
AWS_SECRET_ACCESS_KEY = env.str("S3_SECRET_KEY", default="") or None
WHITENOISE_USE_FINDERS = DEBUG or TESTING

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMPORT_FILE_BYTES = env.int("MAX_IMPORT_FILE_BYTES", default=50 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",  # documents every operation's error responses
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anju 安居 API",
    "DESCRIPTION": "住宅小区违法行为综合治理平台 — REST API. Same access rules as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its Swagger UI for signed-in users only; the UI's assets from the app (drf-spectacular-sidecar),
    # no CDN.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests and responses apart: a required text is non-blank (minLength 1) in a request, files are binary.
    "COMPONENT_SPLIT_REQUEST": True,
}

# SMS reminders (accounts.sms): off by default; "accounts.sms.ConsoleBackend" logs them (development); a government
# gateway is a subclass of accounts.sms.SmsBackend named here. Users choose the kinds they want by SMS.
SMS_BACKEND = env.str("ANJU_SMS_BACKEND", default="") or None

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# `celery -A anju beat` runs these (with a broker; without one, run `manage.py purge_exports` from cron)
CELERY_BEAT_SCHEDULE = {
    "purge-expired-exports": {"task": "core.purge_exports", "schedule": crontab(hour=3, minute=15)},
    # 即将到期 / 已超期 in each officer's inbox, once a day (cases.tasks.inbox_due; or `manage.py inbox_due` from cron)
    "inbox-due": {"task": "cases.inbox_due", "schedule": crontab(hour=6, minute=30)},
}

# Redis cache in production keeps the web tier stateless; local memory otherwise.
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {"default": env.cache_url_config(CACHE_URL)} if CACHE_URL else {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

ANJU_DISTRICT_NAME = env.str("ANJU_DISTRICT_NAME", default="普陀区")
ANJU_VERBOSE_NAME = _("安居 · 住宅小区违法行为综合治理平台")

# 存量违建清库清零 (programme): the burn-down reads its campaign's dates from the campaign record (a Campaign of
# kind INVENTORY, programme.selectors.inventory_campaign), no longer from the environment.
