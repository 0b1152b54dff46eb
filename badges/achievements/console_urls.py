"""The micro-credential designer and quality review, under /console/<issuer>/."""

from django.urls import path

from badges.achievements import designer_views, outcome_views, review_views

app_name = "achievements_console"

_ONE = "<slug:issuer_slug>/achievements/<uuid:public_id>/"
_OUTCOME = _ONE + "outcomes/<uuid:outcome_id>/"

urlpatterns = [
    path("<slug:issuer_slug>/achievements/", designer_views.achievement_list, name="list"),
    path("<slug:issuer_slug>/achievements/new/", designer_views.achievement_new, name="new"),
    path("<slug:issuer_slug>/review/", review_views.review_queue, name="review-queue"),
    path(_ONE, designer_views.achievement_detail, name="detail"),
    path(_ONE + "edit/", designer_views.achievement_edit, name="edit"),
    path(_ONE + "scorecard/", designer_views.achievement_scorecard, name="scorecard"),
    path(_ONE + "submit/", designer_views.achievement_submit, name="submit"),
    path(_ONE + "review/", review_views.achievement_review, name="review"),
    path(_ONE + "external-review/", review_views.external_review_new, name="external-review"),
    path(_ONE + "publish/", review_views.achievement_publish, name="publish"),
    path(_ONE + "new-version/", designer_views.achievement_new_version, name="new-version"),
    path(_ONE + "translation/<str:language>/", designer_views.achievement_translation, name="translation"),
    path(_ONE + "outcomes/new/", outcome_views.outcome_new, name="outcome-new"),
    path(_OUTCOME, outcome_views.outcome_edit, name="outcome-edit"),
    path(_OUTCOME + "remove/", outcome_views.outcome_remove, name="outcome-remove"),
    path(_OUTCOME + "move/", outcome_views.outcome_move, name="outcome-move"),
]
