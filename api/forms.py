"""The API validates input with the same Django forms as the console, so no rule is written twice."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.utils.datastructures import MultiValueDict
from rest_framework.exceptions import ValidationError

FormT = TypeVar("FormT", bound=forms.BaseForm)


def form_input(data: Any) -> MultiValueDict[str, Any]:
    """A JSON object as a form reads a posted one: a list is a field's several values, anything else its one
    value. Django's form fields and widgets expect that shape (`getlist` for multiple choices); a plain dict
    would hand a multiple-choice field a bare `false` it cannot compare."""
    if isinstance(data, MultiValueDict):
        return data
    values: MultiValueDict[str, Any] = MultiValueDict()
    for name, value in dict(data).items():
        values.setlist(name, list(value) if isinstance(value, list) else [value])
    return values


def form_validated(form: FormT) -> FormT:
    """`form`, validated; its errors as a 400 problem body (one entry per field) when it is not valid."""
    form.data = form_input(form.data)
    if not form.is_valid():
        errors: dict[str, Any] = {
            ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
            for field, messages in form.errors.items()
        }
        raise ValidationError(errors)
    return form
