"""Normalisers in python-stdnum's shape: ``compact``, ``validate``, ``is_valid`` per module.

| module        | value                                                         |
| ------------- | ------------------------------------------------------------- |
| id_number     | 18-character resident ID number; OCR-aware ``correct``        |
| bank_card     | 16–19 digit card number (Luhn); BIN → bank; bank aliases       |
| dates         | ISO dates, ``长期``, validity spans, Chinese-numeral dates      |
| money         | two-place decimal yuan strings                                 |
| names         | personal names, variant characters, ``same_name``              |
| ethnicity     | the 56 ethnic groups, fuzzy ``match``                          |
| regions       | province of an ID region code / of an address                  |
| id_validity   | statutory ID validity terms (``validity_ok``)                  |

Errors: ``extractors.normalize.errors`` (tree in its docstring).
"""

from extractors.normalize import (  # noqa: F401
    bank_card,
    dates,
    errors,
    ethnicity,
    id_number,
    id_validity,
    money,
    names,
    regions,
)
from extractors.normalize.errors import (  # noqa: F401
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    NormalizeError,
    UnknownValue,
)

__all__ = [
    "bank_card", "dates", "errors", "ethnicity", "id_number", "id_validity", "money", "names",
    "regions", "NormalizeError", "InvalidFormat", "InvalidLength", "InvalidChecksum",
    "InvalidComponent", "UnknownValue",
]
