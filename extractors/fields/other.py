"""``other``: no fields are required; the pipeline keeps the OCR text itself."""

from __future__ import annotations

from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse"]

KIND = "other"


def parse(inp: ParseInput) -> dict[str, Field]:
    return {}
