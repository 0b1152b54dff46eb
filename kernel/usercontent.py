"""Headers for files people upload or the platform generates (badge images, logos, baked credentials).

An SVG file is a document: opened on its own (a badge's image URL, a downloaded credential) it would run any
script it held in this site's origin, with the visitor's session. Uploaded SVG is sanitised, but the answer
must not rest on the sanitiser alone, so every stored file is sent with a policy that sandboxes it (a unique
origin, no script, no form, no plugin) and loads nothing but its own inline styles and data: images, and with
`nosniff` so a browser never takes it for something else. Pages that show the file in an <img> are not
affected: an image never runs script.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.views.static import serve

USER_CONTENT_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def user_content_headers(response: HttpResponseBase) -> HttpResponseBase:
    """Sandbox `response` (a stored or generated file). django-csp leaves a policy already set in place."""
    response["Content-Security-Policy"] = USER_CONTENT_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_serve(request: HttpRequest, path: str, document_root: str | None = None) -> HttpResponseBase:
    """MEDIA_URL in a DEBUG run (django.views.static.serve), sandboxed like every stored file."""
    return user_content_headers(serve(request, path, document_root=document_root))
