"""Extractions a perfect reader would return, built from labelled ground truth.

``baoquan eval-cases --truth`` measures the verification rules alone with them, the
planted-case generator (``samples.plant``) writes the truth they read, and the tests build
rule inputs with them — so the service and its test-data generator share this format here,
beside the ``Extraction`` type, and neither imports the other.

A truth document is ``{"kind": …, "fields": {name: value}, "boxes": {name: quad}?,
"quality": "ok" | "<issue code>", "needs_review": [field, …]?, "parts": [truth, …]?}``;
``"kind": "unreadable"`` (a corrupt file) yields CONTRACT's unreadable object.
"""

from __future__ import annotations

import hashlib
from typing import Any

from extractors.kinds import MULTIPLE, UNREADABLE
from extractors.types import Extraction, Field, Quality, QualityIssue

__all__ = ["extraction_from_truth", "make_extraction"]


def make_extraction(file: str, kind: str, fields: dict[str, Any] | None = None, *,
                    needs_review: set[str] | frozenset[str] = frozenset(),
                    quality_error: str | None = None, boxes: dict[str, Any] | None = None,
                    parts: list[Extraction] | None = None) -> Extraction:
    """A synthetic Extraction: every field read with confidence 1 unless in ``needs_review``."""
    boxes = boxes or {}
    issues = []
    if quality_error:
        issues.append(QualityIssue(quality_error, "error", "synthetic quality error"))
    if kind == UNREADABLE:
        issues = [QualityIssue("corrupt_file", "error", "synthetic corrupt file")]
        fields = {}
    fs = {}
    for name, value in (fields or {}).items():
        if value is None:
            continue
        box = boxes.get(name) or [[10.0, 10.0], [110.0, 10.0], [110.0, 40.0], [10.0, 40.0]]
        fs[name] = Field(value=value, confidence=0.6 if name in needs_review else 1.0, box=box, page=1,
                         needs_review=name in needs_review)
    return Extraction(file=file, sha256=hashlib.sha256(file.encode()).hexdigest(), kind=kind,
                      kind_confidence=1.0, quality=Quality(issues), fields=fs,
                      parts=list(parts or []), engine="truth")


def extraction_from_truth(file: str, truth: dict[str, Any]) -> Extraction:
    parts = truth.get("parts") or []
    if parts:
        return make_extraction(file, MULTIPLE, {},
                               parts=[extraction_from_truth(file, p) for p in parts])
    q = truth.get("quality", "ok")
    return make_extraction(file, truth["kind"], truth.get("fields") or {},
                           needs_review=frozenset(truth.get("needs_review") or ()),
                           quality_error=None if q in (None, "ok") else q,
                           boxes=truth.get("boxes"))
