"""Applications of one issuer, under /api/v1/issuers/<slug>/ (included by api/urls.py)."""

from django.urls import path

from api import application_views

urlpatterns = [
    path("applications/", application_views.ApplicationListView.as_view(), name="applications"),
    path("applications/<str:application_id>/", application_views.ApplicationView.as_view(), name="application"),
    path(
        "applications/<str:application_id>/decision/", application_views.ApplicationDecisionView.as_view(),
        name="application-decision",
    ),
    path(
        "applications/<str:application_id>/evidence/<str:evidence_id>/file/",
        application_views.EvidenceFileView.as_view(), name="application-evidence-file",
    ),
]
