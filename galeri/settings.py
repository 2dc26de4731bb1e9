"""Galeri's one settings file.

Every deploy-time value comes from the environment through the strict helpers in
``galeri.env`` (listed in ``.env.example`` and README). There are no production-only
settings files: production is the same code with other variables.
"""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from galeri.env import env_bool, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    """SECRET_KEY must be set in production; development gets a random key kept in var/."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (or SECRET_KEY_FILE).")
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# Rotating the key (docs/operations.md): previous keys, comma-separated (or SECRET_KEY_FALLBACKS_FILE, one a line),
# still accepted for sessions, password-reset and email links until removed.
SECRET_KEY_FALLBACKS = [k.strip() for k in env_str("SECRET_KEY_FALLBACKS").replace("\n", ",").split(",") if k.strip()]
SITE_NAME = env_str("SITE_NAME", "Galeri IKM Lampung")
# Absolute origin used in emails, sitemaps and share links when no request is at hand.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",  # catalog search (SearchVectorField); harmless on SQLite
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "galeri",
    "accounts",
    "moderation",
    "ikm",
    "catalog",
    "exhibitions",
    "inquiries",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "galeri.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Benchmarks (bench/run.py): count queries per response, and serve the framework's floor at /bench/floor/.
QUERY_COUNT_HEADER = env_bool("QUERY_COUNT_HEADER", False)
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "galeri.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "galeri.urls"
WSGI_APPLICATION = "galeri.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "galeri.context_processors.site",
                # Last, so it wins: placeholders for the CSRF token and CSP nonce in pages cached whole.
                "galeri.page_cache.placeholders",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'galeri.sqlite3'}"), base_dir=BASE_DIR)
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django's built-in psycopg pool (needs psycopg[pool]); CONN_MAX_AGE must stay 0 with it.
    # With the database down, a request waits DATABASE_POOL_TIMEOUT seconds for a connection, then answers 503
    # (handler500); psycopg's default of 30 s outlasts gunicorn's worker timeout. reconnect_timeout: the pool
    # retries a lost connection with a doubling delay (1, 2, 4 … s, for 5 minutes by default), so after a long
    # outage it came back tens of seconds after the database; giving up after 2 s lets the next request try at
    # once (scripts/db_outage_check.py measures both). connect_timeout bounds each attempt when the host does
    # not answer at all (libpq waits forever by default).
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    if env_bool("DATABASE_POOL", True):
        DATABASES["default"]["OPTIONS"].setdefault(
            "pool",
            {
                "min_size": 1,
                "max_size": env_int("DATABASE_POOL_MAX", 4),
                "timeout": env_int("DATABASE_POOL_TIMEOUT", 3),
                "reconnect_timeout": 2,
            },
        )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "galeri"}}
# Whole public pages for anonymous visitors (galeri/page_cache.py): the longest a page may lag behind a change
# no signal reports (writes that bypass the ORM, time passing; event pages at most 60 s). 0 turns it off.
# Without REDIS_URL each process keeps its own copies and sees only its own invalidations: fine for runserver,
# not for several workers.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if REDIS_URL or DEBUG else 0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# After login (and after confirming the email at sign-up) owners land on their dashboard, which leads a
# new account to create its IKM profile.
LOGIN_REDIRECT_URL = "ikm:dashboard"

# django-allauth: log in by email, verified addresses only, logout by POST only (docs/accounts.md).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account: a new one replaces the old only once it is verified.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_FORMS = {"add_email": "accounts.forms.EmailChangeForm"}
# Following the verification link in the browser that signed up logs the user in (only there: allauth checks the
# pending sign-up in the session, so a leaked link alone logs nobody in).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
# Same answers whether or not an address has an account: sign-up and reset mail the address instead of saying so.
ACCOUNT_PREVENT_ENUMERATION = True
# Mail the account's address when its password or email changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the email address asks for the password first (then not again for 5 minutes), as two-factor setup does.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's defaults, written out to be visible. Counted in the default cache: with several gunicorn workers set
# REDIS_URL, or each worker keeps its own count. "ip" is REMOTE_ADDR unless ALLAUTH_TRUSTED_PROXY_COUNT says how
# many proxies of ours add X-Forwarded-For (behind one nginx: 1; else every visitor shares the proxy's address).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",  # key: the email typed
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",  # a new verification mail per address at most every 3 minutes
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# The same proxy count as the inquiry limits' INQUIRY_TRUSTED_PROXIES: one variable for one fact of the deployment.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("INQUIRY_TRUSTED_PROXIES", 0)
# Two-factor authentication: any user may turn on an authenticator app (staff are asked to); nobody is forced.
MFA_TOTP_ISSUER = SITE_NAME  # the name the authenticator app shows
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# Internationalisation: Indonesian first (unprefixed URLs), English under /en/.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["galeri.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private uploads (certificate scans): outside MEDIA_ROOT, never served by URL, only through views that check access.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from the app folders; production serves collected, hashed files
# with far-future cache headers.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Media (user uploads) is served by gunicorn only when SERVE_MEDIA is on; put a proxy in front in production.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# Email through Django 6.1's MAILERS: console (default in development), file, or SMTP (default in production).
MAILER = env_str("MAILER", "console" if DEBUG else "smtp")
if MAILER == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif MAILER == "file":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("MAIL_FILE_PATH", str(VAR_DIR / "mail"))},
        }
    }
elif MAILER == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST", "localhost"),
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "use_ssl": env_bool("SMTP_USE_SSL", False),
                "timeout": env_int("SMTP_TIMEOUT", 10),
            },
        }
    }
else:
    raise ImproperlyConfigured(f"MAILER={MAILER!r} must be console, file or smtp.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = env_list("ADMIN_EMAILS")  # Django 6: plain addresses
ADMIN_URL = env_str("ADMIN_URL", "admin/")

# Security. Production defaults are strict; DEBUG relaxes only what breaks plain-HTTP development.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER")  # e.g. "HTTP_X_FORWARDED_PROTO,https"
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https.")
    SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1])
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
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
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# How many reverse proxies in front of gunicorn append to X-Forwarded-For: rate limits (inquiries, reports)
# then key on the real client address. 0 = use REMOTE_ADDR.
INQUIRY_TRUSTED_PROXIES = env_int("INQUIRY_TRUSTED_PROXIES", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
