"""Learner-facing routes: /applications/… (private) and /evidence/<id> (evidence made public in a credential)."""

from django.urls import include, path

from assessment import learner_views as views

applications = (
    [
        path("", views.application_list, name="list"),
        path("new/<uuid:achievement_id>/", views.application_new, name="new"),
        path("mentor/<str:token>/", views.mentor_accept, name="mentor-accept"),
        path("files/<uuid:evidence_id>/", views.evidence_file, name="evidence-file"),
        path("<uuid:public_id>/", views.application_detail, name="detail"),
        path("<uuid:public_id>/name/", views.application_name, name="name"),
        path("<uuid:public_id>/submit/", views.application_submit, name="submit"),
        path("<uuid:public_id>/mentors/", views.mentor_invite, name="mentor-invite"),
        path("<uuid:public_id>/comments/", views.comment_add, name="comment"),
        path("<uuid:public_id>/review/", views.mentor_view, name="mentor-view"),
        path("<uuid:public_id>/outcomes/<uuid:outcome_id>/evidence/", views.evidence_add, name="evidence-add"),
        path(
            "<uuid:public_id>/evidence/<uuid:evidence_id>/visibility/",
            views.evidence_visibility,
            name="evidence-visibility",
        ),
        path("<uuid:public_id>/evidence/<uuid:evidence_id>/remove/", views.evidence_remove, name="evidence-remove"),
    ],
    "applications",
)

urlpatterns = [
    path("applications/", include(applications)),
    path("evidence/<uuid:share_id>", views.public_evidence, name="public-evidence"),
]
