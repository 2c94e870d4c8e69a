"""Field parsers, one module per CONTRACT document kind.

Each module exposes ``KIND`` and ``parse(inp: ParseInput) -> dict[str, Field]``.
``get_parser(kind)`` returns the parse function or raises ``UnknownDocumentKind``;
``parse_fields(kind, inp)`` runs it. A field that cannot be found is omitted; a field
found with doubt is present with ``needs_review`` and machine ``reasons``.

>>> from extractors.types import OcrLine, ParseInput
>>> box = [[0, 0], [300, 0], [300, 30], [0, 30]]
>>> parse_fields('id_card_front', ParseInput([OcrLine('姓名王建国', 0.99, box)])).keys()
dict_keys(['name'])
>>> get_parser('passport')
Traceback (most recent call last):
    ...
extractors.errors.UnknownDocumentKind: No field parser for document kind 'passport'.
"""

from __future__ import annotations

import importlib
from typing import Callable

from extractors.errors import UnknownDocumentKind
from extractors.kinds import KINDS
from extractors.types import Field, ParseInput

__all__ = ["get_parser", "parse_fields", "PARSERS"]

PARSERS: dict[str, str] = {kind: f"extractors.fields.{kind}" for kind in KINDS}

Parser = Callable[[ParseInput], dict[str, Field]]


def get_parser(kind: str) -> Parser:
    """The ``parse`` function for a CONTRACT kind."""
    module = PARSERS.get(kind)
    if module is None:
        raise UnknownDocumentKind(f"No field parser for document kind {kind!r}.")
    mod = importlib.import_module(module)
    assert mod.KIND == kind, (mod.KIND, kind)
    return mod.parse


def parse_fields(kind: str, inp: ParseInput) -> dict[str, Field]:
    """Run the parser of ``kind`` over ``inp``."""
    return get_parser(kind)(inp)
