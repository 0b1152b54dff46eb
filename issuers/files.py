"""Streaming stored files (logos, badge images) from whichever storage backend is configured.

Credentials embed these URLs, so they must not depend on the backend: a private S3 bucket would
otherwise hand out links that expire.
"""

from __future__ import annotations

import mimetypes

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from kernel.usercontent import user_content_headers


def stored_file_response(file: FieldFile) -> FileResponse:
    if not file.name:  # what `not file` tests, in a form that tells the type checker the name is set
        raise Http404
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    user_content_headers(response)  # an SVG badge opened on its own runs no script here
    return response
