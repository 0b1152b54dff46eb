"""POST /api/v1/verify: check any Open Badges 3.0 credential, ours or another issuer's.

The same answer as the public POST /verify/api (verification.answers, one function for both): anyone may
call it, with or without a token; errors come as problem bodies like the rest of the API.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import ApiTokenAuthentication
from api.credential_serializers import VerificationSerializer, VerifyRequestSerializer, VerifyUploadSerializer
from api.models import ApiToken
from api.problems import problem_response
from kernel.ratelimit import RETRY_AFTER_SECONDS, over_limit
from verification.answers import verify_request_answer

PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEMS = {
    400: "No credential sent, or a body that is not JSON.",
    401: "An API token was sent, but it is unknown, expired or revoked.",
    413: "Larger than a credential may be (`maximum` bytes).",
    422: "Over one of the limits on a credential's shape (`limit`, `maximum`).",
    429: "Too many checks; wait `Retry-After` seconds.",
}


class VerifyView(APIView):
    # A token is optional (its own rate limit then applies); no session, so no CSRF: nothing here changes.
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="credential_verify",
        request={"application/json": VerifyRequestSerializer, "multipart/form-data": VerifyUploadSerializer},
        responses={
            200: VerificationSerializer,
            **{
                (status, "application/problem+json"): OpenApiResponse(response=PROBLEM, description=description)
                for status, description in PROBLEMS.items()
            },
        },
    )
    def post(self, request: Request) -> Response:
        """Check a credential: JSON `{"credential": …}` (the document, or a JWT as a string), or multipart with
        a baked PNG/SVG badge (or a .json/.jwt file) in `file` or the text in `credential`. Answers the verdict
        the /verify/ page shows, every check with its outcome, code and reason, and the credential's claims."""
        if not isinstance(request.auth, ApiToken) and over_limit(
            request._request, "verification-upload", settings.VERIFY_UPLOAD_RATE_LIMIT
        ):
            return problem_response(
                429, "rate_limited", _("Too many checks in a short time. Please wait a minute and try again."),
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        body, status = verify_request_answer(request._request)
        if status == 200:
            return Response(body)
        problem = problem_response(status, body["error"], body["message"])
        problem.data.update(_extensions(body))
        return problem


def _extensions(body: dict[str, Any]) -> dict[str, Any]:
    """RFC 9457 extension members: which limit the input was over, and its maximum."""
    return {name: body[name] for name in ("limit", "maximum") if name in body}
