"""CoopDX settings: one module, read from the environment.

With no environment at all it is a safe laptop set-up: SQLite under ``var/``, tasks run
eagerly in-process, e-mail printed to the console. ``DJANGO_ENV=production`` switches on
the production profile, where every secret must come from the environment and
``manage.py check --deploy --fail-level WARNING`` reports nothing.

Longer than 300 lines on purpose: every setting and the environment variable it reads are in
one place, by section; split profiles would hide which value wins.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from coopdx.cache import redis_cache_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file is optional; real deployments pass variables directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    if env.bool("DEBUG", default=False):
        # Debug pages show settings and tracebacks to anyone who meets an error.
        raise ImproperlyConfigured("DEBUG cannot be on in production (DJANGO_ENV=production): unset DEBUG.")
    DEBUG = False
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "coopdx.admin_site.CoopDXAdminConfig",  # django.contrib.admin, branded and in Vietnamese order
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
    "drf_spectacular_sidecar",
    "coopdx.third_party.CeleryBeatConfig",  # django_celery_beat, list columns named in the user's language
    "django_celery_results",
    "import_export",
    "simple_history",
    "coopdx.third_party.AxesConfig",  # django-axes, named in the user's language
    "django_otp",
    "coopdx.third_party.TOTPConfig",  # django_otp.plugins.otp_totp, likewise
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "accounts",
    "imports",
    "cooperatives",
    "surveys",
    "indicators",
    "exports",
    "support",
    "directives",
    "notifications",
    "webhooks",
    "audit",
    # The data set versions behind the API's validators and cached answers (coopdx.versions).
    "coopdx.apps.CoopdxConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coopdx.middleware.HealthProbeMiddleware",
    # Before anything reads the database (the session, the user): chooses primary or replica.
    "coopdx.replicas.ReplicaMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coopdx.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coopdx.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the security headers' middleware, so that its 400 page carries them too.
    "coopdx.middleware.NulInQueryMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.DeniedAccessMiddleware",
    # Last, so that it sees the result of authentication on every request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coopdx.urls"
WSGI_APPLICATION = "coopdx.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'coopdx.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming read replica (coopdx/replicas.py): safe requests read it, writes and tasks use the
# primary, and a client that wrote reads the primary for REPLICA_PIN_SECONDS.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["coopdx.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=1.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Fails open: with Redis down or hung the site keeps serving (see coopdx/cache.py).
    CACHES = {"default": redis_cache_config(REDIS_URL)}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ------------------------------------------------------------------------
# No broker configured: tasks run eagerly in-process, so a laptop needs nothing else.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="django-db")
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 30 * 60
CELERY_TASK_TIME_LIMIT = 35 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when Redis is down or hung (accepts, never answers) instead of holding the web
# request that checks or enqueues: every broker call gives up after BROKER_SOCKET_TIMEOUT, and a
# publish is tried twice. Workers, which wait on the broker by design, get longer read timeouts
# and a connection health check (coopdx/celery.py).
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
WORKER_BROKER_SOCKET_TIMEOUT = env.float("WORKER_BROKER_SOCKET_TIMEOUT", default=10.0)
# A worker whose broker went away reconnects until it comes back, never gives up and exits.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the connection drops finishes; its message, acknowledged late, is delivered
# again, and the job row's heartbeat makes the second delivery a no-op (coopdx.heartbeat.claim).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Authentication ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, loading with the user their unread notifications' count (the navigation's).
    "accounts.backends.UserBackend",
    # Sessions opened before the line above stay valid (a session names the backend it came from).
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# One-time sign-in links (accounts.signin_links): how long one works, how many an hour a person may ask for.
SIGNIN_LINK_MINUTES = env.int("SIGNIN_LINK_MINUTES", default=15)
SIGNIN_LINKS_PER_HOUR = env.int("SIGNIN_LINKS_PER_HOUR", default=3)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For
# (0: none, the connection's address is the client's). The lockout, the audit log and the API's
# rate limits all read the client's address through one rule (coopdx.http.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "coopdx.http.client_ip"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
# Idle timeout (seconds without a request), on top of the absolute SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
LOGIN_URL_PATH = "/accounts/login/"
SESSION_COOKIE_SAMESITE = "Lax"
# The language choice is read by the server only.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# An expired form is explained in the site's layout and language, with a way back.
CSRF_FAILURE_VIEW = "coopdx.errors.csrf_failure"

# Two-step verification (optional, per user): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "CoopDX"

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["coopdx.formats"]
# The blank choice of a filter's select ("---------" by default) reads as a word.
FILTERS_EMPTY_CHOICE_LABEL = _("All")
USE_THOUSAND_SEPARATOR = True

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FORMS_URLFIELD_ASSUME_HTTPS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# No form takes more than 10 files (a report's evidence); more in one body is a 400 with a message.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Long work (an aggregation, an import) beats every JOB_HEARTBEAT_SECONDS; work silent for
# JOB_STALE_SECONDS has lost its worker and its row is released (coopdx.heartbeat).
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=20)
JOB_STALE_SECONDS = env.float("JOB_STALE_SECONDS", default=120)
# Days an export job's file stays downloadable; the exports' housekeeping task deletes it then.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# The largest JSON body the API reads (coopdx.api.parsers): a whole self-assessment is a few KB.
API_MAX_JSON_BYTES = env.int("API_MAX_JSON_BYTES", default=1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CoopDX <no-reply@coopdx.local>")
# The address users reach CoopDX at: links in e-mails (reminders) are built on it, since a
# mail sent by a task or a command has no request to take the host from.
# Required in production, like SECRET_KEY: e-mailed links built on a local default would lead
# every recipient to their own machine.
SITE_URL = (env.str("SITE_URL") if PRODUCTION else env.str("SITE_URL", default="http://127.0.0.1:8000")).rstrip("/")

# --- Notifications ---------------------------------------------------------------------
# Outside channels by dotted path, like EMAIL_BACKEND (notifications/backends/); in-app is always on.
NOTIFICATION_CHANNELS = {
    "email": "notifications.backends.email.EmailChannel",
    "zalo": "notifications.backends.zalo.ZaloZNSChannel",
}
# Attempts of one delivery before a transient failure (server down, quota) becomes final.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
# Zalo Official Account template messages (ZNS): off while the access token is empty.
ZALO_ZNS_ACCESS_TOKEN = env.str("ZALO_ZNS_ACCESS_TOKEN", default="")
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="https://business.openapi.zalo.me/message/template")
ZALO_ZNS_TIMEOUT = env.float("ZALO_ZNS_TIMEOUT", default=10.0)
# The approved template of each kind of notification, as JSON: {"response_returned": "123456", ...}.
ZALO_ZNS_TEMPLATES: dict[str, str] = env.json("ZALO_ZNS_TEMPLATES", default={})
# Members of cooperatives that have not submitted are reminded this many days before a round closes.
ROUND_REMINDER_DAYS_BEFORE_CLOSE = env.int("ROUND_REMINDER_DAYS_BEFORE_CLOSE", default=7)

# --- Webhooks --------------------------------------------------------------------------
# Seconds before each retry of a delivery the receiver did not take (2xx); then it fails.
WEBHOOK_RETRY_DELAYS = env.list("WEBHOOK_RETRY_DELAYS", cast=int, default=[60, 300, 1500, 7200, 36000])
# Deliveries failed in a row (after their last retry) that switch a webhook off, its owner told.
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=5)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=5.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10.0)
# Receivers on private, loopback or link-local addresses (a laptop, tests); never in production.
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
# Plain http:// receivers; https is required otherwise (development, DEBUG, allows both).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)

# --- Surveys ---------------------------------------------------------------------------
# Only accepted responses count in the indicators, unless provinces agree to count submitted ones.
SURVEYS_COUNT_SUBMITTED = env.bool("SURVEYS_COUNT_SUBMITTED", default=False)
# A submitted self-assessment is reviewed in time when accepted or returned within this many days.
REVIEW_WITHIN_DAYS = env.int("REVIEW_WITHIN_DAYS", default=10)

# --- Indicators --------------------------------------------------------------------------
# With real workers, a registry at least this large is aggregated per province in parallel.
INDICATORS_FANOUT_THRESHOLD = env.int("INDICATORS_FANOUT_THRESHOLD", default=5000)
# Between the nightly runs, today's figures follow the changes every minute (indicators.continuous);
# a change is looked for this long before its province was last counted: the clocks of the web
# and worker machines may differ (on PostgreSQL, a transaction still open when a province is
# counted is waited for by its start time already).
INDICATORS_CONTINUOUS_OVERLAP_SECONDS = env.int("INDICATORS_CONTINUOUS_OVERLAP_SECONDS", default=60)
# A minute's work counts provinces for at most this long (a first count of every province, at ×10,
# is spread over several minutes; the task's own limit is 50 s).
INDICATORS_CONTINUOUS_BUDGET_SECONDS = env.float("INDICATORS_CONTINUOUS_BUDGET_SECONDS", default=30)

# --- REST API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A token first: its challenge makes unauthenticated API calls 401 rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.permissions.ApiAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["coopdx.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "coopdx.api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "coopdx.api.pagination.KeysetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "coopdx.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttling.ApiRateThrottle"],
    # DRF's own reading of X-Forwarded-For for throttling: the same count as coopdx.http.client_ip.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Counted in the default cache: Redis (shared by all web processes) when REDIS_URL is set.
    "DEFAULT_THROTTLE_RATES": {
        "api_token": env.str("API_RATE_TOKEN", default="120/min"),
        "api_user": env.str("API_RATE_USER", default="300/min"),
        "api_anon": env.str("API_RATE_ANON", default="30/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Rendered list answers kept in the shared cache, keyed by the data's version (see
# coopdx/api/conditional.py); 0 turns the answer cache off.
API_ANSWER_CACHE_SECONDS = env.int("API_ANSWER_CACHE_SECONDS", default=600)
SPECTACULAR_SETTINGS = {
    "TITLE": "CoopDX API",
    "DESCRIPTION": (
        "Digital transformation of Viet Nam's cooperatives: registry, surveys, indicators and directive "
        "tracking. Authenticate with `Authorization: Bearer <token>` (national administrators issue "
        "tokens to organisations; ministry analysts obtain read-only ones for themselves) or a browser "
        "session. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The one PATCH (saving answers) requires its fields like a POST would.
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_NAME_OVERRIDES": {
        "CooperativeStatusEnum": "cooperatives.models.CooperativeStatus",
        "ResponseStatusEnum": "surveys.models.ResponseStatus",
        "TaskStatusEnum": "directives.status.TaskStatus",
        "ReportStatusEnum": "directives.models.ReportStatus",
        "ExportKindEnum": "exports.models.ExportKind",
        "ExportFormatEnum": "exports.models.ExportFormat",
        "ExportStatusEnum": "exports.models.ExportStatus",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- django-import-export ------------------------------------------------------------------
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Security headers ---------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browser features no page uses, denied to every script (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        # The service worker (served at /sw.js) and the web app manifest, from the site only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The health endpoint is probed over plain HTTP inside the deployment network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
