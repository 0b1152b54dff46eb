"""The API validates input with the same Django forms as the console, so no rule is written twice."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from rest_framework.exceptions import ValidationError

FormT = TypeVar("FormT", bound=forms.BaseForm)


def form_validated(form: FormT) -> FormT:
    """`form`, validated; its errors as a 400 problem body (one entry per field) when it is not valid."""
    if not form.is_valid():
        errors: dict[str, Any] = {
            ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
            for field, messages in form.errors.items()
        }
        raise ValidationError(errors)
    return form
