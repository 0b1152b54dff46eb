"""Sending evidence files: always as a download, never rendered from our origin."""

from __future__ import annotations

from django.http import FileResponse

from assessment.files import evidence_storage
from assessment.models import Evidence
from learners.filenames import attachment_header


def evidence_download(evidence: Evidence) -> FileResponse:
    extension = evidence.file.name.rsplit(".", 1)[-1]
    stem = (evidence.original_name.rsplit(".", 1)[0] or "evidence")[:100]
    response = FileResponse(
        evidence_storage().open(evidence.file.name, "rb"),
        content_type=evidence.content_type or "application/octet-stream",
    )
    # The stored extension comes from the sniffed type, whatever the learner's file was called.
    response["Content-Disposition"] = attachment_header(f"{stem}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
