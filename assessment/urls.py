"""Issuer-side routes, under /console/<issuer>/."""

from django.urls import path

from assessment import views

app_name = "assessment"
urlpatterns = [
    path("<slug:issuer_slug>/assessments/", views.queue, name="queue"),
    path("<slug:issuer_slug>/assessments/policies/", views.policies, name="policies"),
    path("<slug:issuer_slug>/assessments/<uuid:public_id>/", views.assess, name="assess"),
    path("<slug:issuer_slug>/awards/", views.award_new, name="award-new"),
    path("<slug:issuer_slug>/awards/<uuid:public_id>/", views.award_batch, name="award-batch"),
    path("<slug:issuer_slug>/awards/<uuid:public_id>/confirm/", views.award_batch_confirm, name="award-confirm"),
    path("<slug:issuer_slug>/awards/<uuid:public_id>/progress.json", views.award_batch_progress, name="award-progress"),
]
