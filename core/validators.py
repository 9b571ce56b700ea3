"""Input rules that are not about the domain."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

CONTROL_MESSAGE = "Names cannot contain line breaks, tabs or other control characters."


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a control or format character (newlines, tabs, NUL, bidi overrides, …)."""
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in value)


def no_control_characters(value: str) -> None:
    """A name ends up in emails, PDFs and download headers: it holds printable text only."""
    if value and has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")
