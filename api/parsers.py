"""JSON request bodies are objects: every API write reads named fields (through the console's forms), so a
body of `null`, a list or a bare value is refused as a 400 problem before any view looks at it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JsonObjectParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."))
        return data
