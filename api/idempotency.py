"""`Idempotency-Key` on every POST that issues or changes something.

The first request with a key does the work and its answer is stored; a retry with the same key gets that
answer again (`Idempotent-Replayed: true`) and nothing is done twice. The record is inserted before the
work, in the same transaction: a retry racing the first request waits on the unique key until the first
commits, then replays its answer (PostgreSQL; SQLite runs one writer at a time anyway). A refused request
(4xx from an exception) stores nothing, so it can be corrected and sent again with the same key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from api.models import ApiToken, IdempotentRequest
from api.problems import problem_response
from issuers.models import Issuer

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _caller(request: Request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    return f"user:{request.user.pk}"


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:  # a form upload already parsed (by the CSRF check of a session request)
        digest.update(repr(sorted(request.POST.lists())).encode())
        for name, upload in sorted(request.FILES.items()):
            digest.update(name.encode() + str(upload.size).encode())
    return digest.hexdigest()


def _replay(record: IdempotentRequest, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        return problem_response(
            422, "idempotency_key_reused",
            _("This Idempotency-Key was used for a different request. Use a new key for a new request."),
        )
    return Response(record.body, status=record.status_code, headers={**record.headers, "Idempotent-Replayed": "true"})


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate an APIView's post(); the URL must carry `issuer_slug`."""

    @wraps(handler)
    def wrapped(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return problem_response(400, "invalid_idempotency_key", _("The Idempotency-Key is too long."))
        issuer = Issuer.objects.filter(slug=kwargs.get("issuer_slug", "")).first()
        if issuer is None:  # the handler's gate answers as for any unknown issuer
            return handler(view, request, *args, **kwargs)
        found = {"issuer": issuer, "caller": _caller(request), "key": key}
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: losing the race leaves the outer transaction usable
                    record = IdempotentRequest.objects.create(**found, fingerprint=fingerprint)
            except IntegrityError:
                return _replay(IdempotentRequest.objects.get(**found), fingerprint)
            response = handler(view, request, *args, **kwargs)
            record.status_code = response.status_code
            record.body = response.data
            record.headers = {name: response[name] for name in ("Location",) if response.has_header(name)}
            record.save(update_fields=["status_code", "body", "headers"])
            return response

    return wrapped
