from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("accounts/notifications/", views.settings_page, name="settings"),
    path("hooks/email-bounce", views.bounce_webhook, name="bounce-webhook"),
]
