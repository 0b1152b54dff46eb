"""JSON request bodies are objects: every API write reads named fields (through the console's forms), so a
body of `null`, a list or a bare value is refused as a 400 problem before any view looks at it, and so is
one nested deeper than the JSON decoder can go."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JsonObjectParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # nested deeper than Python's decoder goes: no request needs that
            raise ParseError(_("The request body is nested too deeply.")) from None
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."))
        return data
