"""The one settings module: every deployment choice is a TUMAINI_* environment variable."""

import os
import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tumaini.startup import (
    StartupError,
    database_config,
    env_bool,
    env_int,
    env_list,
    load_or_create_keys,
    prepare_data_dir,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("TUMAINI_DEBUG", False)
# Demo mode seeds well-known demo accounts and waives MFA for them: never on a real deployment.
DEMO_MODE = env_bool("TUMAINI_DEMO", False)

DATA_DIR = prepare_data_dir(Path(os.environ.get("TUMAINI_DATA_DIR") or BASE_DIR / "var").resolve())
_keys = load_or_create_keys(DATA_DIR)
SECRET_KEY = _keys["secret_key"]
TUMAINI_ENCRYPTION_KEYS = _keys["encryption_keys"]
TUMAINI_BLIND_INDEX_KEY = _keys["blind_index_key"]

ALLOWED_HOSTS = env_list(
    "TUMAINI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG or DEMO_MODE else []
)
CSRF_TRUSTED_ORIGINS = env_list("TUMAINI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Lets FORM_RENDERER find Django's widget templates beside our own form templates.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "tumaini.core",
    "tumaini.accounts",
    "tumaini.api",
    "tumaini.people",
    "tumaini.cases",
    "tumaini.messaging",
    "tumaini.tips",
    "tumaini.shelter",
    "tumaini.care",
    "tumaini.clinical",
    "tumaini.hotline",
    "tumaini.directory",
    "tumaini.referrals",
    "tumaini.justice",
    "tumaini.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Provider callbacks (/hooks/) stop here: nothing below serves them (tumaini/core/middleware.py).
    "tumaini.core.middleware.ProviderCallbackMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tumaini.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# The test suite adds a small app of its own (tests/testapp) to exercise shared mechanisms.
TESTING = "pytest" in sys.modules
if TESTING:
    INSTALLED_APPS.append("tests.testapp")

ROOT_URLCONF = "tumaini.urls"
WSGI_APPLICATION = "tumaini.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tumaini" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tumaini.core.context_processors.tumaini",
            ],
        },
    },
]

DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache keeps login rate limits (lockout) shared by every web process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tumaini_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("TUMAINI_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/"

# allauth: staff accounts are created by administrators, never by sign-up.
ACCOUNT_ADAPTER = "tumaini.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# The change form refuses to keep the current password (it may be one an administrator gave).
ACCOUNT_FORMS = {"change_password": "tumaini.accounts.forms.PasswordChangeForm"}
LOGIN_FAILURES_ALLOWED = env_int("TUMAINI_LOGIN_FAILURES_ALLOWED", 5)
LOGIN_LOCKOUT_MINUTES = env_int("TUMAINI_LOGIN_LOCKOUT_MINUTES", 15)
if LOGIN_FAILURES_ALLOWED < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    # 0 would lock every account for good (allauth refuses once the count is reached).
    raise StartupError(
        "TUMAINI_LOGIN_FAILURES_ALLOWED and TUMAINI_LOGIN_LOCKOUT_MINUTES must be at least 1."
    )
ACCOUNT_RATE_LIMITS = {
    # Failed logins per account (key) lock that account for the period. The per-address limit is
    # ten times wider: a whole centre often shares one public address, and one person's typos must
    # not lock out colleagues; it still stops one machine from guessing across many accounts.
    "login_failed": (
        f"{LOGIN_FAILURES_ALLOWED}/{LOGIN_LOCKOUT_MINUTES}m/key,"
        f"{LOGIN_FAILURES_ALLOWED * 10}/{LOGIN_LOCKOUT_MINUTES}m/ip"
    ),
    "login": "30/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tumaini"
MFA_RECOVERY_CODE_COUNT = 10

# Idle timeout: the session expires this long after the last request.
SESSION_IDLE_MINUTES = env_int("TUMAINI_SESSION_IDLE_MINUTES", 15)
if SESSION_IDLE_MINUTES < 1:
    raise StartupError("TUMAINI_SESSION_IDLE_MINUTES must be at least 1 (minutes).")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sw", _("Kiswahili"))]
LOCALE_PATHS = [BASE_DIR / "tumaini" / "locale"]
# The language chosen with the switch (set_language) is remembered for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Every form renders through tumaini/templates/django/forms/: labels, help, errors and an error summary.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TIME_ZONE = "Africa/Nairobi"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "files"

# Strict CSP: no inline script or style anywhere; every asset is served by us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin": no referrer ever leaves the site, but our own form posts keep their Origin header.
# ("no-referrer" makes browsers send "Origin: null" on every POST, which Django's CSRF check refuses.)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    # Production behind TLS (nginx). TUMAINI_SECURE_SSL_REDIRECT=0 only for a local demo on http.
    SECURE_SSL_REDIRECT = env_bool("TUMAINI_SECURE_SSL_REDIRECT", not DEMO_MODE)
    SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
    CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
    LANGUAGE_COOKIE_SECURE = SECURE_SSL_REDIRECT
    SECURE_HSTS_SECONDS = env_int("TUMAINI_HSTS_SECONDS", 31536000 if SECURE_SSL_REDIRECT else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Provider callbacks carry a secret in their URL (Africa's Talking and M-Pesa do not sign requests).
TUMAINI_AT_CALLBACK_SECRET = os.environ.get("TUMAINI_AT_CALLBACK_SECRET", "")
TUMAINI_MPESA_CALLBACK_SECRET = os.environ.get("TUMAINI_MPESA_CALLBACK_SECRET", "")
# Africa's Talking SMS (docs/providers.md). Without an API key, messages are recorded as "error: not
# configured" and nothing is sent. The sandbox is the default until a deployment turns it off.
TUMAINI_AT_USERNAME = os.environ.get("TUMAINI_AT_USERNAME", "sandbox")
TUMAINI_AT_API_KEY = os.environ.get("TUMAINI_AT_API_KEY", "")
TUMAINI_AT_SENDER_ID = os.environ.get("TUMAINI_AT_SENDER_ID", "")
TUMAINI_AT_SANDBOX = env_bool("TUMAINI_AT_SANDBOX", True)
TUMAINI_AT_CONNECT_TIMEOUT = env_int("TUMAINI_AT_CONNECT_TIMEOUT", 3)
TUMAINI_AT_READ_TIMEOUT = env_int("TUMAINI_AT_READ_TIMEOUT", 10)
# Dotted path to a callable returning an httpx transport; tests only (a fake of the provider).
TUMAINI_AT_TRANSPORT = os.environ.get("TUMAINI_AT_TRANSPORT", "")
# Voice hotline: numbers dialled in turn when nobody is on the hotline roster (comma-separated E.164);
# none -> voicemail.
TUMAINI_HOTLINE_NUMBERS = env_list("TUMAINI_HOTLINE_NUMBERS", [])
# Public reports: the receiving organisation's name (default: the first local-government one) and
# how long a reporter's contact is kept after the report is closed.
TUMAINI_REPORTS_ORGANISATION = os.environ.get("TUMAINI_REPORTS_ORGANISATION", "")
TUMAINI_REPORT_CONTACT_RETENTION_DAYS = env_int("TUMAINI_REPORT_CONTACT_RETENTION_DAYS", 90)
TUMAINI_DEMO_PASSWORD = os.environ.get("TUMAINI_DEMO_PASSWORD", "tumaini-demo-2026")
# Where "Quick exit" on public pages goes: a neutral page (the weather), never a search for this site.
TUMAINI_QUICK_EXIT_URL = os.environ.get(
    "TUMAINI_QUICK_EXIT_URL", "https://www.bbc.com/weather/184745"
)
# The partner directory's HSDS API and data package readable without signing in (off: staff only).
TUMAINI_DIRECTORY_PUBLIC = env_bool("TUMAINI_DIRECTORY_PUBLIC", False)
# How long a break-glass opening of one record lasts.
TUMAINI_BREAK_GLASS_HOURS = env_int("TUMAINI_BREAK_GLASS_HOURS", 4)
# Aggregate-only viewers (the county analyst) see counts under this number suppressed.
TUMAINI_SUPPRESSION_THRESHOLD = env_int("TUMAINI_SUPPRESSION_THRESHOLD", 5)
# A public page of a few anonymised headline figures (/statistics/), for awareness campaigns.
TUMAINI_PUBLIC_STATISTICS = env_bool("TUMAINI_PUBLIC_STATISTICS", False)
# Largest case document accepted for upload, in megabytes (files are held in memory to be encrypted).
TUMAINI_UPLOAD_MAX_MB = env_int("TUMAINI_UPLOAD_MAX_MB", 10)
# How long a partner's one-time referral link stays usable (it is also used up by a decision).
TUMAINI_REFERRAL_LINK_DAYS = env_int("TUMAINI_REFERRAL_LINK_DAYS", 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TUMAINI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
STATICFILES_DIRS = [BASE_DIR / "tumaini" / "static"]
