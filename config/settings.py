"""Mikromerit settings: one file, read from the environment, validated at start-up.

Every variable is listed and explained in `.env.example`. With nothing set (and MIKROMERIT_DEV=1) the
platform runs on embedded defaults: SQLite, a SQLite-backed Celery broker and media files under var/.
"""

from __future__ import annotations

import hashlib
import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import decode_base64_key, env_bool, env_int, env_list, env_secret, env_str
from config.oidc import oidc_apps_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# --- Mode ----------------------------------------------------------------------------------------------
# MIKROMERIT_DEV marks a local run (`make run`, the test suite). It is the only switch that allows
# derived, clearly-labelled development secrets; production must provide real ones.
DEV = env_bool("MIKROMERIT_DEV")
DEBUG = env_bool("DJANGO_DEBUG")
PRODUCTION = not DEV and not DEBUG


def _dev_secret(label: str) -> str:
    if not DEV:
        raise ImproperlyConfigured(
            f"{label} must be set (or {label}_FILE). Only a development run with MIKROMERIT_DEV=1 "
            "may run without it."
        )
    # Stable per checkout, so encrypted dev keys survive restarts; never valid outside MIKROMERIT_DEV.
    return hashlib.sha256(f"mikromerit-dev-only:{label}:{BASE_DIR}".encode()).hexdigest()


SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or "django-insecure-dev-only-" + _dev_secret("DJANGO_SECRET_KEY")

# --- Public address ------------------------------------------------------------------------------------
PORT = env_int("PORT", 8000, minimum=1)
PUBLIC_BASE_URL = (env_str("PUBLIC_BASE_URL") or f"http://localhost:{PORT}").rstrip("/")
_public = urlsplit(PUBLIC_BASE_URL)
if _public.scheme not in {"http", "https"} or not _public.hostname:
    raise ImproperlyConfigured(f"PUBLIC_BASE_URL={PUBLIC_BASE_URL!r} must be an absolute http(s) URL.")
if PRODUCTION and _public.scheme != "https":
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL must be an https URL in production: issuer ids and key URLs are built from it."
    )

# Where credentials say the Mikromerit extension's JSON-LD context lives. /ns/v1 on this site serves it;
# an operator may name a permanent address instead (it must serve the same bytes), so credentials do not
# depend on this deployment's host name. Signing and verifying never fetch it: the platform's document
# loader maps it to the vendored copy (badges/contexts.py).
EXTENSION_CONTEXT_URL = env_str("EXTENSION_CONTEXT_URL") or f"{PUBLIC_BASE_URL}/ns/v1"
_extension_context = urlsplit(EXTENSION_CONTEXT_URL)
if _extension_context.scheme not in {"http", "https"} or not _extension_context.hostname or _extension_context.fragment:
    raise ImproperlyConfigured(
        f"EXTENSION_CONTEXT_URL={EXTENSION_CONTEXT_URL!r} must be an absolute http(s) URL without a fragment."
    )
if PRODUCTION and _extension_context.scheme != "https":
    raise ImproperlyConfigured("EXTENSION_CONTEXT_URL must be an https URL in production: every credential names it.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ([] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
if _public.hostname not in ALLOWED_HOSTS and not PRODUCTION:
    ALLOWED_HOSTS.append(_public.hostname)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names this site answers to.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# --- Applications --------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "kernel",
    "notifications",
    "issuers",
    "webhooks",
    "badges",
    "verification",
    "learners",
    "openid4vci",
    "assessment",
    "console",
    "api",
    "oauth2_provider",  # django-oauth-toolkit: the OAuth 2.0 server of the 1EdTech Open Badges API
    "obapi",
    "vcapi",  # the W3C VC-API at /credentials/… and /presentations/verify
]

MIDDLEWARE = [
    # Before anything reads them: forwarded headers only from TRUSTED_PROXIES (kernel/proxies.py).
    "kernel.proxies.TrustedProxyMiddleware",
    # First, so a CORS preflight is answered before any other middleware can answer or redirect it.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy header (below); request.csp_nonce
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees a view's exception first: a full disk answers 503 with a clear page.
    "kernel.storage.StorageFullMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
# An alias's settings: dj_database_url's DBConfig, or the dict below (whose NAME is a Path, which Django accepts).
DATABASES: dict[str, Any]
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded defaults keep their files here; SQLite will not create it
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # The web server and the Celery worker write at the same time: WAL lets readers go on,
                # IMMEDIATE transactions wait for the write lock instead of failing half-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

# --- Authentication ------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learners:after-sign-in"  # the console for issuer staff, the wallet for learners
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mikromerit] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _public.scheme
# A claim link proves its address: signing up from it needs no second confirmation e-mail (learners.adapters).
ACCOUNT_ADAPTER = "learners.adapters.AccountAdapter"
# Confirming the address in the browser that signed up finishes the sign-in and goes on to where the person
# was heading (a claim link, a mentor invitation), instead of asking them to sign in again.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mikromerit"
# An OIDC account is never linked to a local one by e-mail alone: the provider's claim could be unverified.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_apps_from_env(), "OAUTH_PKCE_ENABLED": True}}

# Days an owner's invitation link stays valid.
ISSUER_INVITATION_DAYS = env_int("ISSUER_INVITATION_DAYS", 7, minimum=1)

# --- Applications and assessment -----------------------------------------------------------------------
# Upload limits for a learner's evidence files, in megabytes (video has its own, larger limit).
EVIDENCE_MAX_MB = env_int("EVIDENCE_MAX_MB", 20, minimum=1)
EVIDENCE_VIDEO_MAX_MB = env_int("EVIDENCE_VIDEO_MAX_MB", 100, minimum=1)
# Days a learner's invitation to a mentor stays valid.
MENTOR_INVITATION_DAYS = env_int("MENTOR_INVITATION_DAYS", 14, minimum=1)
# Most people one award list may have: a CSV in the console, a job through the API (a whole cohort).
AWARD_CSV_MAX_ROWS = env_int("AWARD_CSV_MAX_ROWS", 10_000, minimum=1)
# How long a learner's data export (the ZIP) is kept for download before it is deleted, in days.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7, minimum=1)
# Days a recipient's link to claim (take into their wallet) an awarded credential stays valid.
CLAIM_LINK_DAYS = env_int("CLAIM_LINK_DAYS", 30, minimum=1)
# How often one connection may ask for a new claim link, or an issuer's staff send one again.
CLAIM_RESEND_RATE_LIMIT = env_str("CLAIM_RESEND_RATE_LIMIT", "10/h")

# --- Offers to digital wallets (OpenID4VCI) --------------------------------------------------------------
# Minutes an offer (QR code / link) can be redeemed; the transaction code by e-mail lives as long.
WALLET_OFFER_MINUTES = env_int("WALLET_OFFER_MINUTES", 15, minimum=1)
# Seconds a wallet's access token and a c_nonce stay valid.
WALLET_TOKEN_SECONDS = env_int("WALLET_TOKEN_SECONDS", 300, minimum=30)
WALLET_NONCE_SECONDS = env_int("WALLET_NONCE_SECONDS", 300, minimum=30)
# Wrong transaction codes before an offer is closed for good.
WALLET_TX_CODE_ATTEMPTS = env_int("WALLET_TX_CODE_ATTEMPTS", 5, minimum=1)
# Requests one connection may make to the wallet endpoints (django-ratelimit rate).
WALLET_ENDPOINT_RATE_LIMIT = env_str("WALLET_ENDPOINT_RATE_LIMIT", "60/m")

# --- E-mail --------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mikromerit <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both (SSL for port 465, TLS for 587).")
elif not PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # Sign-up cannot finish without the verification e-mail, so a production run needs a mail server.
    raise ImproperlyConfigured("EMAIL_HOST must be set: accounts are verified by e-mail.")

# Mail providers report bounces to POST /hooks/email-bounce with this bearer token; unset, the hook is off.
EMAIL_BOUNCE_WEBHOOK_TOKEN = env_secret("EMAIL_BOUNCE_WEBHOOK_TOKEN", "")
# The hour (server time zone) at which people who chose a daily e-mail get it.
NOTICE_DIGEST_HOUR = env_int("NOTICE_DIGEST_HOUR", 7, minimum=0, maximum=23)

# --- Languages -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, serve static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded and generated files (badge images, logos, baked credentials) under MEDIA_URL. Set it to an
# absolute URL on another host (e.g. https://usercontent.example/media/) so that such a file, opened on its
# own, can never run in this site's origin; the platform's own pages and downloads serve them with a
# sandboxing policy either way (kernel/usercontent.py).
MEDIA_URL = env_str("MEDIA_URL") or "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        },
    }
else:
    _default_storage = {"BACKEND": "kernel.storage.FileSystemStorage"}  # cleans up after a failed write

# Learners' evidence: private, never under MEDIA_URL; it leaves only through the gated download views.
if AWS_STORAGE_BUCKET_NAME:
    _evidence_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_default_storage["OPTIONS"], "location": "private/evidence"},
    }
else:
    _evidence_storage = {
        "BACKEND": "kernel.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(env_str("EVIDENCE_ROOT") or VAR_DIR / "private" / "evidence")},
    }

# Learners' data exports (learners.exports): private like evidence; deleted after EXPORT_KEEP_DAYS.
if AWS_STORAGE_BUCKET_NAME:
    _export_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_default_storage["OPTIONS"], "location": "private/exports"},
    }
else:
    _export_storage = {
        "BACKEND": "kernel.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(env_str("EXPORT_ROOT") or VAR_DIR / "private" / "exports")},
    }

STORAGES = {
    "default": _default_storage,
    "evidence": _evidence_storage,
    "exports": _export_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ------------------------------------------------------------------------------------------
# Behind a TLS-terminating proxy, the proxy must set X-Forwarded-Proto and strip it from clients.
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies (addresses or CIDR ranges) whose X-Forwarded-Proto/-Host/-For are believed; from any other
# peer those headers are removed (kernel/proxies.py). Setting it turns on the proxy SSL header and
# USE_X_FORWARDED_HOST for those peers only.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.") from None
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every page: scripts only from this site's static files, or
# inline with the request's nonce (`{{ request.csp_nonce }}`), never 'unsafe-inline'; no plugins, no <base>
# tricks, no framing, forms only to this site. The API docs pages loosen it for themselves (api/urls.py), and
# stored files (SVG badges, baked credentials) replace it with a sandbox (kernel/usercontent.py).
# tests/config/test_csp.py walks the pages and checks the header and the HTML.
# Sign-in with OpenID Connect posts a form here that redirects to the provider, which form-action also checks.
_oidc_origins = [
    f"{urlsplit(app['settings']['server_url']).scheme}://{urlsplit(app['settings']['server_url']).netloc}"
    for app in oidc_apps_from_env()
]
_media_origin = [f"{urlsplit(MEDIA_URL).scheme}://{urlsplit(MEDIA_URL).netloc}"] if urlsplit(MEDIA_URL).netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # data: for allauth's TOTP QR code (an inline data: URI image).
        "img-src": ["'self'", "data:", *_media_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *_oidc_origins],
    },
}

# --- Signing keys --------------------------------------------------------------------------------------
# Issuer private keys are stored encrypted with this key-encryption key (KEK, base64 of 32 bytes).
# To rotate the KEK, move the old value to KEY_ENCRYPTION_PREVIOUS_KEYS, set the new one and run
# `manage.py signing_keys_rewrap`.
_kek = env_secret("KEY_ENCRYPTION_KEY")
KEY_ENCRYPTION_KEY = (
    decode_base64_key("KEY_ENCRYPTION_KEY", _kek) if _kek else bytes.fromhex(_dev_secret("KEY_ENCRYPTION_KEY"))
)
KEY_ENCRYPTION_PREVIOUS_KEYS = [
    decode_base64_key("KEY_ENCRYPTION_PREVIOUS_KEYS", value)
    for value in (env_secret("KEY_ENCRYPTION_PREVIOUS_KEYS") or "").split(",")
    if value.strip()
]

# --- Credential pipeline -------------------------------------------------------------------------------
CREDENTIAL_SIGNING_STALE_MINUTES = env_int("CREDENTIAL_SIGNING_STALE_MINUTES", 10, minimum=1)
CREDENTIAL_SIGNING_MAX_ATTEMPTS = env_int("CREDENTIAL_SIGNING_MAX_ATTEMPTS", 5, minimum=1)
CREDENTIAL_SWEEP_INTERVAL_MINUTES = env_int("CREDENTIAL_SWEEP_INTERVAL_MINUTES", 5, minimum=1)
# Credentials per signing task when many are queued at once (a cohort, the sweeper): enough to share the
# draft, keys and status-list block among, few enough that a retry redoes little.
CREDENTIAL_SIGNING_CHUNK_SIZE = env_int("CREDENTIAL_SIGNING_CHUNK_SIZE", 100, minimum=1)

# --- Public verification (employers) -------------------------------------------------------------------
# Requests per client IP to the verification pages and the verify-anything endpoint ("<n>/<s|m|h|d>").
VERIFY_RATE_LIMIT = env_str("VERIFY_RATE_LIMIT", "120/m")
VERIFY_UPLOAD_RATE_LIMIT = env_str("VERIFY_UPLOAD_RATE_LIMIT", "20/m")
# POST /credentials/verify and /presentations/verify (the W3C VC-API, vcapi/), per client address: nothing
# is fetched there, so a check costs only the signature work; conformance suites send many in a row.
VC_API_VERIFY_RATE_LIMIT = env_str("VC_API_VERIFY_RATE_LIMIT", "300/m")
VERIFY_UPLOAD_MAX_BYTES = env_int("VERIFY_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# How long a public answer that can change (a verification page and its verdict, a status list, an issuer's
# documents) may be kept in all, by the reverse proxy and the browser together (kernel/http_cache.py): a
# revocation shows everywhere within this many seconds.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60, minimum=0)
if PUBLIC_CACHE_SECONDS > 60:
    raise ImproperlyConfigured("PUBLIC_CACHE_SECONDS may be at most 60: a revocation must show within a minute.")
# Behind a proxy, the request header that carries the client's address (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY")
# Browsers may call the public verification API from any origin (a wallet or an applicant-tracking system
# in another site's page): django-cors-headers answers its preflight, and only for that URL. No cookies or
# credentials are involved, so the answer is `*`.
CORS_URLS_REGEX = r"^/verify/api$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("POST", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "content-type")
CORS_PREFLIGHT_MAX_AGE = 86400  # seconds: browsers ask again once a day
# Only the test suite may let the verifier fetch from loopback (its local HTTPS server).
VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS = env_bool("VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS")
if VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS and not DEV:
    raise ImproperlyConfigured("VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS may only be set in a development run.")

# --- Celery --------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_TASK_IGNORE_RESULT = True  # state lives in Credential.status and its events, not in results
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis redelivers an unacknowledged (acks_late) task after this many seconds; keep it above the
    # longest signing run, or a slow task is handed to a second worker (the claim makes that harmless).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
    }
# Celery's Django fix-up closes the worker's database connections around every task unless this is set
# (then only every this many tasks); config/celery.py closes them as Django's requests do instead, when
# DATABASE_CONN_MAX_AGE has passed or the connection broke. 0 restores a new connection per task.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=0) or None
CELERY_BEAT_SCHEDULE_FILENAME = str(env_str("CELERY_BEAT_SCHEDULE_FILENAME") or VAR_DIR / "celerybeat-schedule")

# --- Cache ---------------------------------------------------------------------------------------------
# Rate limits are counts in the cache (kernel/ratelimit.py for the verification pages, allauth for sign-in),
# so every web process must count in the same cache, and add to a count atomically: a per-process cache
# (locmem, Django's default) lets each gunicorn worker allow the full rate on its own.
#   redis://, rediss://  Redis, whose INCR is atomic. The default when the Celery broker is Redis.
#   dbcache://           a table in the database (created after every `migrate`, kernel/apps.py). The production default
#                        without Redis. Django's DatabaseCache adds by read-then-write, so two processes
#                        could both write 6; kernel.ratelimit.DatabaseCounterCache locks the row first.
#   locmem://            this process only: never in production.
# FileBasedCache would be shared by the processes of one machine, but it too adds by read-then-write,
# with no lock at all.
_PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def _cache(url: str) -> dict[str, Any]:
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "mikromerit"}
    if scheme == "dbcache":
        # A row per client and minute while it counts; culled (expired rows first) beyond this many.
        return {
            "BACKEND": "kernel.ratelimit.DatabaseCounterCache",
            "LOCATION": "mikromerit_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    if scheme == "locmem":
        return {"BACKEND": _PER_PROCESS_CACHE, "LOCATION": "mikromerit"}
    # Only the scheme is repeated: the rest of a URL may hold a password.
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, dbcache:// or locmem:// (its scheme is {scheme!r})."
    )


_redis_broker = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else None
CACHE_URL = env_str("CACHE_URL") or _redis_broker or ("dbcache://" if PRODUCTION else None)
if CACHE_URL:
    CACHES = {"default": _cache(CACHE_URL), "ratelimit": _cache(CACHE_URL)}
else:
    # The embedded default (`make run`): rate-limit counts live in the SQLite database, which every process
    # of this checkout shares (scripts/dev_run.py creates the table). The rest (fetched documents, allauth's
    # counts for the one development web server) stays in the process's memory.
    CACHES = {"default": _cache("locmem://"), "ratelimit": _cache("dbcache://")}
RATELIMIT_USE_CACHE = "ratelimit"
if PRODUCTION and any(cache["BACKEND"] == _PER_PROCESS_CACHE for cache in CACHES.values()):
    raise ImproperlyConfigured(
        "CACHE_URL=locmem:// counts rate limits in each process alone; production needs a shared cache: "
        "redis://… or dbcache://."
    )

# --- Logging -------------------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level.")
LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonLinesFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- REST API ------------------------------------------------------------------------------------------
# /api/v1/ (api/): API tokens (Bearer) for programs, the session with CSRF for the browser; every error
# is an RFC 9457 problem body (api/problems.py); lists are cursor-paginated.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JsonObjectParser",  # a JSON body must be an object (400 otherwise)
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_client": API_RATE_LIMIT},
    "EXCEPTION_HANDLER": "api.problems.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mikromerit API",
    "DESCRIPTION": "Issue, manage and verify Open Badges 3.0 micro-credentials. See docs/api.md.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's JavaScript and CSS come from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several resources have a `status` with their own choices: each enum named for what it is.
    "ENUM_NAME_OVERRIDES": {
        "WebhookEventTypeEnum": "webhooks.events.EventType",
        "AchievementStatusEnum": "badges.models.achievements.Achievement.Status",
        "CredentialStatusEnum": "badges.models.credentials.Credential.Status",
        "AwardJobStatusEnum": "assessment.models.AwardBatch.Status",
    },
    # What each event POSTs to an integrator (OpenAPI 3.1 `webhooks`; api/webhook_serializers.py).
    "WEBHOOKS": [
        f"api.webhook_serializers.{name}" for name in (
            "CREDENTIAL_ISSUED", "CREDENTIAL_CLAIMED", "CREDENTIAL_REVOKED", "APPLICATION_SUBMITTED",
            "APPLICATION_DECIDED", "AWARD_JOB_FINISHED",
        )
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums", "api.schema.problem_responses_add",
        "api.schema.schema_31_tidy",
    ],
}

# --- 1EdTech Open Badges 3.0 API (/ims/ob/v3p0/, obapi) -----------------------------------------------
# django-oauth-toolkit serves OAuth 2.0 authorization code with PKCE (S256 only, obapi.oauth), refresh
# tokens and revocation; the scopes are the four OB 3.0 scopes (obapi.scopes).
OB_API_ACCESS_TOKEN_SECONDS = env_int("OB_API_ACCESS_TOKEN_SECONDS", 3600, minimum=60)
OB_API_REFRESH_TOKEN_DAYS = env_int("OB_API_REFRESH_TOKEN_DAYS", 180, minimum=1)
OB_API_AUTHORIZATION_CODE_SECONDS = env_int("OB_API_AUTHORIZATION_CODE_SECONDS", 600, minimum=10, maximum=600)
# Per client address (django-ratelimit syntax): client registrations, and credentials upserted (each may
# fetch the issuer's documents from its site).
OB_API_REGISTRATION_RATE = env_str("OB_API_REGISTRATION_RATE", "20/h")
OB_API_UPSERT_RATE = env_str("OB_API_UPSERT_RATE", "60/m")
# The terms of service and privacy policy the service description names (default: the start page).
OB_API_TERMS_URL = env_str("OB_API_TERMS_URL", "")
OB_API_PRIVACY_URL = env_str("OB_API_PRIVACY_URL", "")
# django-oauth-toolkit's own models (named so migrations that point at them resolve).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER = {
    "SCOPES": {
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly": "Read your credentials",
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert": "Add credentials to your wallet",
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly": "Read your profile",
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update": "Change your profile",
        "offline_access": "Stay connected",
    },
    "DEFAULT_SCOPES": ["https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"],
    "PKCE_REQUIRED": True,
    "OAUTH2_SERVER_CLASS": "obapi.oauth.S256OnlyServer",
    "OAUTH2_VALIDATOR_CLASS": "obapi.oauth.ObOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": OB_API_ACCESS_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": OB_API_REFRESH_TOKEN_DAYS * 24 * 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": OB_API_AUTHORIZATION_CODE_SECONDS,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REQUEST_APPROVAL_PROMPT": "force",
    "ERROR_RESPONSE_WITH_SCOPES": True,
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: no implicit or password grant, no PKCE "plain", no
    # tokens in query strings, `iss` in authorization responses (RFC 9207), tokens stored only hashed.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
