"""Every error of the OB 3.0 resource endpoints as an `Imsx_StatusInfo` body (OB 3.0 API, §6)."""

from __future__ import annotations

from django.http import JsonResponse

SYSTEM = "mikromerit"


def imsx_status(description: str, *, minor: str, major: str = "failure", severity: str = "error") -> dict:
    return {
        "imsx_codeMajor": major,
        "imsx_severity": severity,
        "imsx_description": description,
        "imsx_codeMinor": {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": SYSTEM, "imsx_codeMinorFieldValue": minor},
        ]},
    }


def imsx_response(status: int, description: str, *, minor: str, headers: dict[str, str] | None = None,
                  major: str = "failure") -> JsonResponse:
    response = JsonResponse(imsx_status(description, minor=minor, major=major), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
