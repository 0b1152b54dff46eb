from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from config.home import home
from issuers.console_views import invitation_accept
from kernel.http_cache import language_set_public
from kernel.usercontent import media_serve

# Staff sign in through the accounts pages too, so the admin gets e-mail verification and the second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/public-setlang/", language_set_public, name="set-language-public"),  # from cacheable pages
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),  # the integrators' REST API, its OpenAPI schema and docs
    path("", include("obapi.urls")),  # /ims/ob/v3p0/: the 1EdTech Open Badges 3.0 API; /wallet/apps/
    path("", include("notifications.urls")),  # /accounts/notifications/ (before allauth's), /hooks/email-bounce
    path("accounts/", include("allauth.urls")),
    path("console/", include("console.urls")),  # the console: overview (console app), members, profile
    path("console/", include("badges.achievements.console_urls")),  # achievement designer and QA review
    path("console/", include("badges.credentials.console_urls")),  # issued credentials: revoke, re-issue
    path("console/", include("console.dashboard_urls")),  # the dashboard and what expires soon
    path("console/", include("assessment.urls")),  # assessment queue, direct awards (under /console/<issuer>/)
    path("console/", include("api.console_urls")),  # API tokens, for owners
    path("console/", include("webhooks.console_urls")),  # webhook endpoints, deliveries and replays
    path("console/", include("vcapi.console_urls")),  # the issuer's did:key for the W3C VC-API
    path("", include("assessment.learner_urls")),  # /applications/… (learners), /evidence/<id> (public)
    path("", include("badges.achievements.public_urls")),  # /a/<id> pages, badge images, /ns/v1 context
    path("", include("badges.credentials.urls")),  # /status/… signed status lists
    path("", include("verification.urls")),  # /c/<id> verification, /verify and its API
    path("", include("openid4vci.urls")),  # OpenID4VCI: /.well-known/openid-credential-issuer, /oid4vci/…
    path("", include("learners.urls")),  # /catalogue, /applications, /wallet, public learner profiles
    path("", include("vcapi.urls")),  # the W3C VC-API: /credentials/issue|verify|status, /presentations/verify
    path("invitations/<str:token>/", invitation_accept, name="invitation-accept"),
    path("issuers/", include("issuers.urls")),
]

if settings.DEBUG:
    # Production serves MEDIA_URL from the storage (S3) or the proxy, with the same headers (README.md).
    urlpatterns += static(settings.MEDIA_URL, view=media_serve, document_root=settings.MEDIA_ROOT)
