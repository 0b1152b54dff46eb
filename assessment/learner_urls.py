"""Learner-facing routes: /applications/… (private) and /evidence/<id> (evidence made public in a credential)."""

from django.urls import include, path

from assessment import learner_views

applications = (
    [
        path("", learner_views.application_list, name="list"),
        path("new/<uuid:achievement_id>/", learner_views.application_new, name="new"),
        path("mentor/<str:token>/", learner_views.mentor_accept, name="mentor-accept"),
        path("files/<uuid:evidence_id>/", learner_views.evidence_file, name="evidence-file"),
        path("<uuid:public_id>/", learner_views.application_detail, name="detail"),
        path("<uuid:public_id>/name/", learner_views.application_name, name="name"),
        path("<uuid:public_id>/submit/", learner_views.application_submit, name="submit"),
        path("<uuid:public_id>/mentors/", learner_views.mentor_invite, name="mentor-invite"),
        path("<uuid:public_id>/comments/", learner_views.comment_add, name="comment"),
        path("<uuid:public_id>/review/", learner_views.mentor_view, name="mentor-view"),
        path("<uuid:public_id>/outcomes/<uuid:outcome_id>/evidence/", learner_views.evidence_add, name="evidence-add"),
        path(
            "<uuid:public_id>/evidence/<uuid:evidence_id>/visibility/",
            learner_views.evidence_visibility,
            name="evidence-visibility",
        ),
        path(
            "<uuid:public_id>/evidence/<uuid:evidence_id>/remove/",
            learner_views.evidence_remove,
            name="evidence-remove",
        ),
    ],
    "applications",
)

urlpatterns = [
    path("applications/", include(applications)),
    path("evidence/<uuid:share_id>", learner_views.public_evidence, name="public-evidence"),
]
