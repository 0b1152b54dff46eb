"""Public achievement pages (/a/<id>), badge images, and the Mikromerit extension's context and schema (/ns/v1)."""

from django.urls import path, register_converter

from badges.achievements import public_views


class ImageExtension:
    regex = "png|svg"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ImageExtension, "image_extension")

app_name = "achievements_public"

urlpatterns = [
    path("a/<uuid:public_id>", public_views.achievement_page, name="achievement"),
    path("a/<uuid:public_id>/<str:language>", public_views.achievement_edition_page, name="achievement-edition"),
    path("achievements/<uuid:public_id>/image.<image_extension:extension>", public_views.achievement_image,
         name="image"),
    path("ns/v1", public_views.extension_context, name="context"),
    path("ns/v1/achievement-schema.json", public_views.extension_schema, name="schema"),
]
