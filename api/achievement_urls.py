"""/api/v1/issuers/<slug>/achievements/…: micro-credential definitions (included from api/urls.py)."""

from django.urls import path

from api import achievement_content_views, achievement_views, achievement_workflow_views

_ONE = "achievements/<uuid:public_id>/"

urlpatterns = [
    path("achievements/", achievement_views.AchievementListView.as_view(), name="achievements"),
    path(_ONE, achievement_views.AchievementView.as_view(), name="achievement"),
    path(_ONE + "image/", achievement_views.AchievementImageView.as_view(), name="achievement-image"),
    path(_ONE + "outcomes/", achievement_content_views.OutcomeListView.as_view(), name="achievement-outcomes"),
    path(
        _ONE + "outcomes/<uuid:outcome_id>/", achievement_content_views.OutcomeView.as_view(),
        name="achievement-outcome",
    ),
    path(
        _ONE + "translations/<str:language>/", achievement_content_views.TranslationView.as_view(),
        name="achievement-translation",
    ),
    path(_ONE + "submit/", achievement_workflow_views.AchievementSubmitView.as_view(), name="achievement-submit"),
    path(_ONE + "review/", achievement_workflow_views.AchievementReviewView.as_view(), name="achievement-review"),
    path(_ONE + "publish/", achievement_workflow_views.AchievementPublishView.as_view(), name="achievement-publish"),
    path(
        _ONE + "new-version/", achievement_workflow_views.AchievementNewVersionView.as_view(),
        name="achievement-new-version",
    ),
]
