"""/api/v1/issuers/<slug>/awards/ and /award-jobs/ (included from api/urls.py)."""

from django.urls import path

from api import award_views

JOB = "award-jobs/<uuid:job_id>/"

urlpatterns = [
    path("awards/", award_views.AwardCreateView.as_view(), name="award-create"),
    path("award-jobs/", award_views.AwardJobCreateView.as_view(), name="award-jobs"),
    path(JOB, award_views.AwardJobView.as_view(), name="award-job"),
    path(JOB + "rows/", award_views.AwardJobRowListView.as_view(), name="award-job-rows"),
    path(JOB + "rerun/", award_views.AwardJobRerunView.as_view(), name="award-job-rerun"),
]
