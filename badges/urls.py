from django.urls import path, register_converter

from badges import views


class ImageExtension:
    regex = "png|svg"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ImageExtension, "image_extension")

app_name = "badges"

urlpatterns = [
    path("<uuid:public_id>/image.<image_extension:extension>", views.achievement_image, name="achievement-image"),
]
