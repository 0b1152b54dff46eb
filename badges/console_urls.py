"""The micro-credential designer and quality review, under /console/<issuer>/."""

from django.urls import path

from badges import console_views as views

app_name = "badges_console"

_ONE = "<slug:issuer_slug>/achievements/<uuid:public_id>/"
_OUTCOME = _ONE + "outcomes/<uuid:outcome_id>/"

urlpatterns = [
    path("<slug:issuer_slug>/achievements/", views.achievement_list, name="list"),
    path("<slug:issuer_slug>/achievements/new/", views.achievement_new, name="new"),
    path("<slug:issuer_slug>/review/", views.review_queue, name="review-queue"),
    path(_ONE, views.achievement_detail, name="detail"),
    path(_ONE + "edit/", views.achievement_edit, name="edit"),
    path(_ONE + "scorecard/", views.achievement_scorecard, name="scorecard"),
    path(_ONE + "submit/", views.achievement_submit, name="submit"),
    path(_ONE + "review/", views.achievement_review, name="review"),
    path(_ONE + "external-review/", views.external_review_new, name="external-review"),
    path(_ONE + "publish/", views.achievement_publish, name="publish"),
    path(_ONE + "new-version/", views.achievement_new_version, name="new-version"),
    path(_ONE + "translation/<str:language>/", views.achievement_translation, name="translation"),
    path(_ONE + "outcomes/new/", views.outcome_new, name="outcome-new"),
    path(_OUTCOME, views.outcome_edit, name="outcome-edit"),
    path(_OUTCOME + "remove/", views.outcome_remove, name="outcome-remove"),
    path(_OUTCOME + "move/", views.outcome_move, name="outcome-move"),
]
