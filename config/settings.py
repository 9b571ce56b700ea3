"""Tripartite settings: one module, every value from the environment.

Development defaults are safe for a laptop (SQLite, Celery eager, emails kept in the outbox).
With DJANGO_DEBUG=false the process refuses to start without a secret key and allowed hosts.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A bad boolean ("ture") is an error rather than silently False.
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Read a strict boolean from the environment."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}.")


def env_secret(name: str, default: str = "") -> str:
    """Read a secret from NAME or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set when DJANGO_DEBUG=false."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105 - development default only

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if not DEBUG else ["127.0.0.1", "localhost", "testserver"]
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTITUTION_NAME = env.str("TRIPARTITE_INSTITUTION_NAME", default="University of Westmoor")
SITE_URL = env.str("TRIPARTITE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Domain policy settings (domain.md): how OTJ hours are rounded for display ("up" to whole hours, or "none"),
# and how often people are reminded of a training plan awaiting their signature.
OTJ_DISPLAY_ROUNDING = env.str("TRIPARTITE_OTJ_DISPLAY_ROUNDING", default="up")
if OTJ_DISPLAY_ROUNDING not in ("up", "none"):
    raise ImproperlyConfigured("TRIPARTITE_OTJ_DISPLAY_ROUNDING must be 'up' or 'none'.")
PLAN_REMINDER_DAYS = env.int("TRIPARTITE_PLAN_REMINDER_DAYS", default=7)
# Module assignments (domain.md §1): feedback is due this many days after a submission.
ASSIGNMENT_FEEDBACK_DAYS = env.int("TRIPARTITE_ASSIGNMENT_FEEDBACK_DAYS", default=15)
# The OTJ ledger (domain.md §4): entries logged more than OTJ_LATE_LOG_DAYS after the activity are flagged for
# audit; status is on track at OTJ_BEHIND_BELOW_PERCENT % of expected or more, behind below it, at risk below
# OTJ_AT_RISK_BELOW_PERCENT %; the forecast's recent pace looks back OTJ_PACE_WEEKS weeks; one-click
# confirmation links in the weekly digest expire after OTJ_LINK_DAYS days.
OTJ_LATE_LOG_DAYS = env.int("TRIPARTITE_OTJ_LATE_LOG_DAYS", default=14)
OTJ_BEHIND_BELOW_PERCENT = env.int("TRIPARTITE_OTJ_BEHIND_BELOW_PERCENT", default=90)
OTJ_AT_RISK_BELOW_PERCENT = env.int("TRIPARTITE_OTJ_AT_RISK_BELOW_PERCENT", default=70)
if not 0 < OTJ_AT_RISK_BELOW_PERCENT <= OTJ_BEHIND_BELOW_PERCENT <= 100:
    raise ImproperlyConfigured("OTJ thresholds must satisfy 0 < at-risk <= behind <= 100.")
OTJ_PACE_WEEKS = env.int("TRIPARTITE_OTJ_PACE_WEEKS", default=8)
OTJ_LINK_DAYS = env.int("TRIPARTITE_OTJ_LINK_DAYS", default=14)
OTJ_MAX_HOURS_PER_DAY = 12
OTJ_MIN_DESCRIPTION_WORDS = 5
# Timetabled learning still to come, for the forecast: hours an online module week holds, and a campus day.
OTJ_ONLINE_WEEK_HOURS = env.int("TRIPARTITE_OTJ_ONLINE_WEEK_HOURS", default=6)
OTJ_CAMPUS_DAY_HOURS = env.int("TRIPARTITE_OTJ_CAMPUS_DAY_HOURS", default=7)
# The cohort dashboard's RAG rule (reporting/rag.py): a review overdue by more than RAG_REVIEW_OVERDUE_RED_DAYS
# days is red (any overdue review is amber); RAG_MODULES_BEHIND_RED or more modules not passed that should have
# been is red (one is amber), a module counting as due RAG_MODULE_RESULT_GRACE_DAYS after its feedback is due;
# KSB coverage more than RAG_KSB_COVERAGE_LAG_PERCENT points behind the share of the practical period elapsed is
# amber; documents awaiting signatures for more than RAG_UNSIGNED_DAYS days are amber.
RAG_REVIEW_OVERDUE_RED_DAYS = env.int("TRIPARTITE_RAG_REVIEW_OVERDUE_RED_DAYS", default=28)
RAG_MODULES_BEHIND_RED = env.int("TRIPARTITE_RAG_MODULES_BEHIND_RED", default=2)
RAG_MODULE_RESULT_GRACE_DAYS = env.int("TRIPARTITE_RAG_MODULE_RESULT_GRACE_DAYS", default=14)
RAG_KSB_COVERAGE_LAG_PERCENT = env.int("TRIPARTITE_RAG_KSB_COVERAGE_LAG_PERCENT", default=25)
RAG_UNSIGNED_DAYS = env.int("TRIPARTITE_RAG_UNSIGNED_DAYS", default=14)

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
    "rest_framework.authtoken",
    "drf_spectacular_sidecar",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "accounts",
    "programmes",
    "programmes.training_plans",
    "portfolios",
    "portfolios.otj",
    "tutors",
    "assessments",
    "assessments.epa",
    "reporting",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RefuseNulBytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://tripartite")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email login, no open sign-up (people are invited), MFA, rate-limited login.
ACCOUNT_ADAPTER = "accounts.adapter.InviteOnlyAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{INSTITUTION_NAME} apprenticeships] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tripartite"

# Email: kept in the admin outbox by default; SMTP (EMAIL_URL=smtp+tls://user:pass@host:587) in production.
EMAIL_URL = env_secret("EMAIL_URL")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="accounts.mail.OutboxEmailBackend" if DEBUG else "")
    if not EMAIL_BACKEND:
        raise ImproperlyConfigured(
            "Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.ac.uk:587) when DJANGO_DEBUG=false, or "
            "EMAIL_BACKEND=accounts.mail.OutboxEmailBackend to keep emails in the admin outbox."
        )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tripartite <no-reply@tripartite.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files are private: never under STATIC or a public MEDIA_URL; served by permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "media-private"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)

REST_FRAMEWORK = {
    # Token first: DRF takes the WWW-Authenticate header from the first class, so signed-out calls get 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["core.api.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Bodies too deep or with NUL characters are a 400 (core.api.JSONParser), never a RecursionError or a 500.
    "DEFAULT_PARSER_CLASSES": [
        "core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "%Y-%m-%d",
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tripartite API",
    "DESCRIPTION": "Degree apprenticeships: enrolments, training plans, off-the-job hours, reviews, portfolios and "
    "completion records. Authenticate with a session or `Authorization: Token <token>` "
    "(POST /api/v1/auth/token/). Anything you may not see is 404.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field name ("role") is used by more than one resource get their own component name.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "programmes.training_plans.models.PlanSignature.Role",
        "ReviewRoleEnum": "tutors.models.ReviewSignature.Role",
        # Gateway, EPA and completion records (assessments/epa/).
        "GatewaySignOffRoleEnum": "assessments.epa.models.GatewaySignOff.Role",
        "CompletionRecordStatusEnum": "assessments.epa.models.CompletionRecord.Status",
        "EPAEventKindEnum": "assessments.epa.models.EPAEvent.Kind",
        "EPAGradeEnum": "assessments.epa.grading.GRADES",
        "EPAMethodEnum": "assessments.epa.grading.METHODS",
        "EPAAttemptKindEnum": "assessments.epa.grading.KINDS",
        "EnrolmentStatusEnum": "programmes.models.Enrolment.Status",
    },
    # drf-spectacular's own enum hook, then the error statuses DRF gives every operation (401, 404, 400).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_error_responses",
    ],
}

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env_secret("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Public certificate verification (page and API): at most this many look-ups per client IP per minute.
VERIFY_RATE_LIMIT_PER_MINUTE = env.int("TRIPARTITE_VERIFY_RATE_LIMIT_PER_MINUTE", default=30)
# Periodic jobs are declared here, in code; django-celery-beat copies them into its tables when beat starts.
CELERY_BEAT_SCHEDULE = {
    "training-plan-signature-reminders": {
        "task": "programmes.training_plans.tasks.remind_unsigned_plans",
        "schedule": 60 * 60 * 6,  # every 6 hours; each signer is reminded once every PLAN_REMINDER_DAYS
    },
    "training-plan-integrity": {
        "task": "programmes.training_plans.tasks.check_plan_integrity",
        "schedule": 60 * 60 * 24,
    },
    "activate-signed-enrolments": {
        "task": "programmes.training_plans.tasks.activate_signed_enrolments",
        "schedule": 60 * 60,
    },
    # Progress reviews: the tutor 14 and 3 days before a review is due and when it is overdue; signers weekly while
    # they have not signed. Each email is sent once per occasion, so running these more often is harmless.
    "progress-review-due-reminders": {
        "task": "tutors.tasks.remind_reviews_due",
        "schedule": crontab(minute=15, hour=7),
    },
    "progress-review-signature-reminders": {
        "task": "tutors.tasks.remind_unsigned_reviews",
        "schedule": crontab(minute=45, hour=7),
    },
    "late-feedback-digest": {
        "task": "assessments.tasks.send_late_feedback_digest",
        "schedule": 60 * 60 * 24,  # daily; each person gets at most one digest a day
    },
    # Monday 07:00: each line manager's weekly digest of hours awaiting confirmation, with one-click links.
    "otj-manager-digests": {
        "task": "portfolios.otj.tasks.send_otj_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
    "otj-status-alerts": {
        "task": "portfolios.otj.tasks.check_otj_status",
        "schedule": crontab(minute=30, hour=6),
    },
    # 02:30: every cohort's dashboard rows are worked out for the new day (reviews fall overdue, expected hours
    # rise), so the first dashboards of the morning are already fresh. Writes keep them fresh during the day.
    "progress-snapshots-nightly": {
        "task": "reporting.tasks.refresh_all_progress",
        "schedule": crontab(minute=30, hour=2),
    },
}

# Production hardening; all of it applies when DEBUG is off so `check --deploy` is clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
