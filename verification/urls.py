"""Public verification: a shared credential (/c/<id>) and checking any credential (/verify/, its API)."""

from django.urls import path

from verification import views

app_name = "verification"
urlpatterns = [
    path("c/<uuid:public_id>", views.credential_page, name="credential"),
    path("c/<uuid:public_id>/seen.gif", views.credential_page_seen, name="credential-seen"),
    path("verify/", views.verify_page, name="verify"),
    path("verify/api", views.verify_api, name="verify-api"),
]
