"""Text a person typed, as the service stores it: no control or format characters (a NUL, an
escape, a right-to-left override that would make 王建国 read backwards), trimmed, bounded."""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["clean_text", "clean_tree", "MAX_TEXT"]

MAX_TEXT = 2000  # characters kept of one value (a reason, a correction, a requested field)


def clean_text(text: str | None, limit: int = MAX_TEXT) -> str:
    """
    >>> clean_text(" 王\\u202e建国\\x00 ")
    '王建国'
    >>> len(clean_text("长" * 5000))
    2000
    """
    text = "".join(c for c in (text or "") if unicodedata.category(c) not in ("Cc", "Cf") or c in "\n\t")
    return text.strip()[:limit]


def clean_tree(value: Any) -> Any:
    """``clean_text`` on every string of a JSON-like value (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k), 64): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value
