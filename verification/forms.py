"""The check-a-credential form, and the one size limit of what may be sent to be checked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Multipart overhead is small next to the limit; a body larger than this is refused before it is read.
BODY_OVERHEAD_BYTES = 64 * 1024


def upload_max_bytes() -> int:
    """The most a badge file, a JSON credential or a JWT may be (VERIFY_UPLOAD_MAX_BYTES)."""
    return settings.VERIFY_UPLOAD_MAX_BYTES


def too_big_message() -> str:
    return _("The file is too large. A credential is at most %(size)d MB.") % {
        "size": upload_max_bytes() // (1024 * 1024)
    }


def request_too_big(request: HttpRequest) -> bool:
    """Whether the request says it is larger than any upload could be (checked before Django reads it)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > upload_max_bytes() + BODY_OVERHEAD_BYTES


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Badge image or credential file"),
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy("JSON, or a JWT (three parts separated by dots)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PNG or SVG badge, or a .json or .jwt file. At most %(size)d MB.") % {
            "size": upload_max_bytes() // (1024 * 1024)
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload is None and not text and not self.errors:
            raise forms.ValidationError(_("Choose a file or paste a credential."), code="empty")
        if upload is not None and text:
            raise forms.ValidationError(_("Give either a file or pasted text, not both."), code="both")
        if upload is not None and upload.size > upload_max_bytes():
            self.add_error("file", too_big_message())
        return cleaned

    def data_to_check(self) -> bytes | str:
        """What was sent: the file's bytes (read no further than one byte over the limit) or the text."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(upload_max_bytes() + 1)
        return self.cleaned_data["text"].strip()

    def file_name(self) -> str:
        upload = self.cleaned_data.get("file")
        return (upload.name or "") if upload is not None else ""
