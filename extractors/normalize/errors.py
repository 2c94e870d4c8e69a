"""Exceptions raised by the normalisers.

    NormalizeError            base (a ``ValueError``); ``code`` is a machine reason code
    ├── InvalidFormat         characters or shape do not fit the identifier/value  (invalid_format)
    ├── InvalidLength         wrong number of digits                                (invalid_length)
    ├── InvalidChecksum       check digit / Luhn fails                              (checksum_failed)
    ├── InvalidComponent      a part is impossible: birth date, region, month 13   (invalid_component)
    └── UnknownValue          not in the controlled vocabulary (ethnicity, bank)   (unknown_value)

Modelled on ``stdnum.exceptions``: ``validate`` functions either return the canonical
value or raise one of these, so the reason is never lost.
"""

from __future__ import annotations

__all__ = [
    "NormalizeError",
    "InvalidFormat",
    "InvalidLength",
    "InvalidChecksum",
    "InvalidComponent",
    "UnknownValue",
]


class NormalizeError(ValueError):
    """Base class of all normaliser errors."""

    code = "invalid"
    default_message = "The value is not valid."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self)


class InvalidFormat(NormalizeError):
    code = "invalid_format"
    default_message = "The value has an invalid format."


class InvalidLength(NormalizeError):
    code = "invalid_length"
    default_message = "The value has an invalid length."


class InvalidChecksum(NormalizeError):
    code = "checksum_failed"
    default_message = "The value's checksum or check digit does not match."


class InvalidComponent(NormalizeError):
    code = "invalid_component"
    default_message = "One of the parts of the value is invalid or unknown."


class UnknownValue(NormalizeError):
    code = "unknown_value"
    default_message = "The value is not in the known vocabulary."
