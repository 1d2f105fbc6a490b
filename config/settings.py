"""Kommunedialog settings: the one settings module, driven by environment variables.

Every variable read here is documented in docs/configuration.md. Development is the default;
``DJANGO_ENV=production`` turns on the secure defaults and refuses to start without a secret.
"""

from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kommunedialog.registry import organisation_number  # plain functions; no model is loaded

# Lets classes such as admin.ModelAdmin[Model] be subscripted at run time, as the type checker wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# development | production | test
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, production or test, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production")

if PRODUCTION:
    # No default: a production server must never run on a key that is public in the source.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set (at least 50 characters) when DJANGO_ENV=production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-never-used-in-production-0123456789")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where the real public data lives (../shared/data beside the checkout); read, never copied.
SHARED_DATA_DIR = Path(env.str("SHARED_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data")))
KLASS_API_URL = env.str("KLASS_API_URL", default="https://data.ssb.no/api/klass/v1")
SSB_API_URL = env.str("SSB_API_URL", default="https://data.ssb.no/api/pxwebapi/v2")
SSB_V1_API_URL = env.str("SSB_V1_API_URL", default="https://data.ssb.no/api/v0")
HTTP_TIMEOUT_SECONDS = env.float("HTTP_TIMEOUT_SECONDS", default=30.0)

# The open data catalogue (DCAT-AP-NO, docs/opendata.md). Its URIs must not depend on the host a
# harvester happened to use, so production sets the public address; otherwise the request's own is used.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
if PUBLIC_BASE_URL and not PUBLIC_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL must be an absolute http(s) address, e.g. https://kommunedialog.example.no"
    )
OPEN_DATA_PUBLISHER_NAME = env.str("OPEN_DATA_PUBLISHER_NAME", default="Statsforvalteren")
# The operator's organisation number in Enhetsregisteret; without it the publisher has no identifier.
OPEN_DATA_PUBLISHER_ORGNR = env.str("OPEN_DATA_PUBLISHER_ORGNR", default="")
if OPEN_DATA_PUBLISHER_ORGNR and not organisation_number.is_valid(OPEN_DATA_PUBLISHER_ORGNR):
    raise ImproperlyConfigured("OPEN_DATA_PUBLISHER_ORGNR must be a nine-digit organisation number")
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default="")
# The open data API answers 429 after this many requests from one client address in one period (0: no limit).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)
API_RATE_LIMIT_PERIOD = env.int("API_RATE_LIMIT_PERIOD", default=60)

INSTALLED_APPS = [
    # First, so its admin/base_site.html (accessibility fixes for Django admin) wins.
    "kommunedialog.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "kommunedialog.accounts",
    "kommunedialog.registry",
    "kommunedialog.statistics",
    "kommunedialog.oversight",
    "kommunedialog.profiles",
    "kommunedialog.grants",
    "kommunedialog.publicsite",
    "kommunedialog.api",
    "kommunedialog.demo",
]

MIDDLEWARE = [
    # First: a request id for every log line written while the request is served (core.logs).
    "kommunedialog.core.logs.RequestLogMiddleware",
    # Then the real client address behind the reverse proxy, for the lockout and everything after it.
    "kommunedialog.core.middleware.ClientAddressMiddleware",
    # The open data API's rate limit, conditional requests (ETag, Last-Modified, 304) and CORS (api.middleware).
    "kommunedialog.api.middleware.OpenDataApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Every posted text in NFC without invisible controls (bidi overrides), before any form sees it.
    "kommunedialog.core.middleware.TextHygieneMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kommunedialog.core.middleware.PrivatePagesNoStoreMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files from the app servers themselves (collectstatic first); runserver serves them in development.
    MIDDLEWARE.insert(3, "whitenoise.middleware.WhiteNoiseMiddleware")

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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Checks the lockout before any password is tried.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# OpenID Connect providers, each switched on by its discovery URL (docs/configuration.md).
OIDC_PROVIDERS: dict[str, dict[str, object]] = {}
if env.str("OIDC_IDPORTEN_DISCOVERY_URL", default=""):
    OIDC_PROVIDERS["idporten"] = {
        "label": "ID-porten",
        "discovery_url": env.str("OIDC_IDPORTEN_DISCOVERY_URL"),
        "client_id": env.str("OIDC_IDPORTEN_CLIENT_ID"),
        "client_secret": env.str("OIDC_IDPORTEN_CLIENT_SECRET"),
        "scope": "openid profile",
        # Municipality users act for their municipality: level substantial or high, nothing less.
        "acr_values": "idporten-loa-substantial",
        "required_acr": ["idporten-loa-substantial", "idporten-loa-high"],
    }
if env.str("OIDC_ENTRA_DISCOVERY_URL", default=""):
    OIDC_PROVIDERS["entra"] = {
        "label": "Entra ID",
        "discovery_url": env.str("OIDC_ENTRA_DISCOVERY_URL"),
        "client_id": env.str("OIDC_ENTRA_CLIENT_ID"),
        "client_secret": env.str("OIDC_ENTRA_CLIENT_SECRET"),
        "scope": "openid profile email",
    }
# Key for hashing national identity numbers; without it the hashes mean nothing.
if PRODUCTION and "idporten" in OIDC_PROVIDERS:
    NATIONAL_ID_HASH_KEY = env.str("NATIONAL_ID_HASH_KEY")
else:
    NATIONAL_ID_HASH_KEY = env.str("NATIONAL_ID_HASH_KEY", default="development-only-national-id-hash-key")

# How many reverse proxies stand in front of the app, each appending to X-Forwarded-For. The client's
# address is the entry this many from the right; 0 believes no header (the app faces clients directly).
# The documented layout (docs/deployment.md) has one, nginx, so production counts one unless told.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# A refused CSRF check answers with the site's own 403 page, in the reader's language.
CSRF_FAILURE_VIEW = "kommunedialog.core.errors.csrf_failure"

# Login throttling: 5 failures for one username from one address lock that username from that address
# for 15 minutes. Keyed on both, so nobody elsewhere can lock a person out (ClientAddressMiddleware
# gives the real address behind the proxy), and a guesser is stopped whatever address he claims.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Its log lines name neither the username nor the address (no personal data in logs: core.logs).
AXES_CLIENT_STR_CALLABLE = "kommunedialog.core.logs.anonymous_client"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me_show"
LOGOUT_REDIRECT_URL = "publicsite:front_show"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bokmål is the default; nynorsk and English are full alternatives (språklova).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in running text as "4. desember 2026" / "4 December 2026"; numbers in Norwegian form in nb and nn only.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Front-end packages come from npm (package-lock.json pins them); only their built files are served.
STATICFILES_DIRS = [
    ("vendor/designsystemet", BASE_DIR / "node_modules/@digdir/designsystemet-css/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))
# The largest upload accepted (bytes); larger files are refused with a message saying both sizes.
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=20_000_000)

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 (console output by default).
# Production has no default: mail that silently goes to a console is mail lost.
_email = env.email_url("EMAIL_URL") if PRODUCTION else env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
_mailer_options: dict[str, object] = {}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mailer_options = _smtp_options
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # filemail:////abs/path writes each mail to a file there (the task tests read them across processes).
    _mailer_options = {"file_path": _email["EMAIL_FILE_PATH"]}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kommunedialog@localhost")

# Redis: the cache every app server shares, and the scheduler's lock (a second task_scheduler waits).
# Production has no default: a cache of its own in each process is not shared, and the lock not held.
REDIS_URL = env.str("REDIS_URL", default="")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set when DJANGO_ENV=production, e.g. redis://127.0.0.1:6379/0")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer fails the request in seconds, not minutes.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    CRONTASK = {"REDIS_URL": REDIS_URL}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The public municipality page and the front page are served from a version rendered at the current
# content and code version (kommunedialog/core/pagecache.py, ADR 0008); 0 renders every request.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=86_400)
# How many of those pages each server process also keeps in its own memory, in front of the shared
# cache (a page body is some 200 KB; 0 turns the process tier off).
PUBLIC_PAGE_LOCAL_ENTRIES = env.int("PUBLIC_PAGE_LOCAL_ENTRIES", default=64)
# The health endpoint (/health/) fails the task queue when its oldest waiting task has waited longer.
HEALTH_TASK_WAIT_LIMIT_SECONDS = env.int("HEALTH_TASK_WAIT_LIMIT_SECONDS", default=300)

# Background work (docs/architecture.md, "Background work"). "database" queues tasks in the project
# database, run by `manage.py task_worker`; "immediate" runs each task where it is enqueued (single
# scripts, most tests). The schedule below is enqueued by `manage.py task_scheduler`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
_task_backends = {
    "database": "kommunedialog.core.task_backend.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _task_backends:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND]}}
# A failed task is tried again after 1, 4, 16, … times the delay, until it has run this many times.
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=5)
TASKS_RETRY_DELAY_SECONDS = env.int("TASKS_RETRY_DELAY_SECONDS", default=30)
# A worker not heard from for this long is taken for dead, and the task it was running is queued again
# (at once, when the worker ran on this machine and its process is gone).
TASKS_WORKER_TIMEOUT_SECONDS = env.int("TASKS_WORKER_TIMEOUT_SECONDS", default=60)
if TASKS_MAX_ATTEMPTS < 1 or TASKS_RETRY_DELAY_SECONDS < 1 or TASKS_WORKER_TIMEOUT_SECONDS < 10:
    raise ImproperlyConfigured(
        "TASKS_MAX_ATTEMPTS and TASKS_RETRY_DELAY_SECONDS must be at least 1, TASKS_WORKER_TIMEOUT_SECONDS at least 10"
    )
# For the worker tests only: a worker that reaches the named checkpoint stops there, so a test can kill it
# in the middle of a task (kommunedialog/core/checkpoints.py).
TASKS_PAUSE_AT = env.str("TASKS_PAUSE_AT", default="")
if PRODUCTION and TASKS_PAUSE_AT:
    raise ImproperlyConfigured("TASKS_PAUSE_AT is for tests; it must not be set when DJANGO_ENV=production")
# Scheduled work: task -> crontab line (minute hour day month weekday, Europe/Oslo; weekdays by name).
# Every scheduled task catches up on what it missed, so a schedule run lost while the scheduler was down
# is made good by the next one.
TASKS_SCHEDULE = {
    # Close calls past their deadline; remind municipalities of project reports due or overdue.
    "kommunedialog.grants.scheduled.grants_tick": "*/15 * * * *",
    # Close the consultation of every kommunebilde whose deadline has passed (the coordinator may earlier).
    "kommunedialog.profiles.scheduled.close_due_consultations": "5 0 * * *",
    # Remind municipalities that have not answered of the consultation deadline of their kommunebilde.
    "kommunedialog.profiles.tasks.consultation_reminders": "0 7 * * *",
    # Send again any e-mail whose task gave up (e.g. the mail server was down for hours).
    "kommunedialog.core.tasks.deliver_outbox": "*/30 * * * *",
    # SSB's statistics: the catalogue's tables, daily after SSB's 08:00 publications (each run recorded).
    "kommunedialog.statistics.tasks.ingest_statistics": "0 9 * * *",
    # Finished task results older than 30 days.
    "kommunedialog.core.tasks.prune_task_results": "45 2 * * *",
}

# Sessions: 30 minutes idle (renewed on every request), 12 hours at most (see core.middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_MAX_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# json: one JSON object a line with the request id (core.logs), for the log collector; text: for people.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "kommunedialog.core.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "kommunedialog.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A PDF render logs every glyph it subsets, and the scheduler every lock it renews, at INFO.
        "fontTools": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},
        # Django's own console handler (active with DEBUG) would print every line a second time.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Every request is logged once by core.logs; runserver's own line would say it again.
        "django.server": {"level": "WARNING"},
    },
}
