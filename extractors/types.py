"""Typed values that cross the extractor boundary.

Everything here round-trips through ``to_dict``/``from_dict`` so that stored OCR output
can be re-parsed without running OCR again, and so the CLI's JSON and the database's
JSON columns are the same shape (CONTRACT.md, "baoquan extract object").

Coordinates: a ``Box`` is four ``[x, y]`` points, clockwise from top-left, in pixels.
OCR lines carry boxes in the coordinates of the image the OCR saw (the rectified,
upright document); the pipeline maps field boxes back onto the original file before it
emits them, so a clerk's highlight lands on the photo the agent took.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Box",
    "OcrLine",
    "QualityIssue",
    "Quality",
    "Field",
    "Extraction",
    "ParseInput",
    "ERROR",
    "WARNING",
]

Box = list[list[float]]

ERROR = "error"
WARNING = "warning"


def _box(points: Any) -> Box:
    return [[round(float(x), 1), round(float(y), 1)] for x, y in points]


@dataclass(frozen=True)
class OcrLine:
    """One recognised text line: what the engine read, how sure it was, and where."""

    text: str
    confidence: float
    box: Box
    page: int = 1

    @property
    def x0(self) -> float:
        return min(p[0] for p in self.box)

    @property
    def x1(self) -> float:
        return max(p[0] for p in self.box)

    @property
    def y0(self) -> float:
        return min(p[1] for p in self.box)

    @property
    def y1(self) -> float:
        return max(p[1] for p in self.box)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": round(float(self.confidence), 4),
            "box": _box(self.box),
            "page": self.page,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "OcrLine":
        return cls(
            text=str(d["text"]),
            confidence=float(d["confidence"]),
            box=_box(d["box"]),
            page=int(d.get("page", 1)),
        )


@dataclass(frozen=True)
class QualityIssue:
    """A CONTRACT quality code with its severity and a sentence for the agent."""

    code: str
    severity: str
    message: str
    measured: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.measured is not None:
            d["measured"] = round(float(self.measured), 4)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "QualityIssue":
        return cls(d["code"], d["severity"], d.get("message", ""), d.get("measured"))


@dataclass
class Quality:
    issues: list[QualityIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    def codes(self) -> set[str]:
        return {i.code for i in self.issues}

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "issues": [i.to_dict() for i in self.issues]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quality":
        return cls([QualityIssue.from_dict(i) for i in d.get("issues", [])])


@dataclass
class Field:
    """A typed field value with its evidence.

    ``value`` is normalised per CONTRACT.md (ISO dates, decimal yuan strings, ID and card
    numbers without spaces); list-valued fields (``parties``) hold a list of strings.
    ``needs_review`` is the promise that matters most: a wrong value with
    ``needs_review=False`` is the worst error the system can make.
    """

    value: Any
    confidence: float
    box: Box | None = None
    page: int = 1
    needs_review: bool = False
    raw: str | None = None  # the text as read, before normalisation (kept for clerks)
    reasons: list[str] = field(default_factory=list)  # why needs_review, machine codes

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "value": self.value,
            "confidence": round(float(self.confidence), 4),
            "box": _box(self.box) if self.box else None,
            "page": self.page,
            "needs_review": bool(self.needs_review),
        }
        if self.raw is not None and self.raw != self.value:
            d["raw"] = self.raw
        if self.reasons:
            d["reasons"] = list(self.reasons)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Field":
        return cls(
            value=d["value"],
            confidence=float(d.get("confidence", 0.0)),
            box=_box(d["box"]) if d.get("box") else None,
            page=int(d.get("page", 1)),
            needs_review=bool(d.get("needs_review", False)),
            raw=d.get("raw"),
            reasons=list(d.get("reasons", [])),
        )


@dataclass
class ParseInput:
    """What a field parser sees: OCR lines of an upright document, plus its image(s).

    ``images`` holds the rectified BGR page images (numpy arrays) when available, for
    pixel-level checks such as red-seal detection; parsers must still work (with lower
    confidence) when it is empty, e.g. when re-parsing stored OCR JSON.
    """

    lines: list[OcrLine]
    images: list[Any] = field(default_factory=list)
    width: int = 0
    height: int = 0
    source: str = "ocr"  # "ocr" or "text_layer"


@dataclass
class Extraction:
    """The result for one file (or one part of a file): CONTRACT's extract object."""

    file: str
    sha256: str
    kind: str
    kind_confidence: float
    quality: Quality
    fields: dict[str, Field] = field(default_factory=dict)
    pages: int = 1
    timings_ms: dict[str, float] = field(default_factory=dict)
    lines: list[OcrLine] = field(default_factory=list)
    parts: list["Extraction"] = field(default_factory=list)
    region: Box | None = None
    orientation: int | None = None  # degrees the input was rotated clockwise to be upright
    engine: str | None = None
    #: for a part of a multi-page file: the page it is on (1-based)
    page: int | None = None
    #: quality measurements behind the gate's verdict (for calibration and for clerks)
    measurements: dict[str, Any] | None = None
    #: 3×3 homography: upright-document pixels (where ``lines`` live) → input-file pixels
    transform: list[list[float]] | None = None
    #: ``extractors.fingerprint``: the flattened document's perceptual hash, the file's metadata
    fingerprint: dict[str, Any] | None = None

    def to_dict(self, with_lines: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "file": self.file,
            "sha256": self.sha256,
            "kind": self.kind,
            "kind_confidence": round(float(self.kind_confidence), 4),
            "quality": self.quality.to_dict(),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "pages": self.pages,
            "timings_ms": {k: round(float(v), 1) for k, v in self.timings_ms.items()},
        }
        if self.orientation is not None:
            d["orientation"] = self.orientation
        if self.engine:
            d["engine"] = self.engine
        if self.region is not None:
            d["region"] = _box(self.region)
        if self.page is not None:
            d["page"] = self.page
        if self.parts:
            d["parts"] = [p.to_dict(with_lines=with_lines) for p in self.parts]
        if self.measurements:
            d["measurements"] = self.measurements
        if self.fingerprint:
            d["fingerprint"] = self.fingerprint
        if with_lines and self.transform is not None:
            d["transform"] = [[round(float(v), 6) for v in row] for row in self.transform]
        if with_lines:
            d["lines"] = [ln.to_dict() for ln in self.lines]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Extraction":
        return cls(
            file=d.get("file", ""),
            sha256=d.get("sha256", ""),
            kind=d["kind"],
            kind_confidence=float(d.get("kind_confidence", 0.0)),
            quality=Quality.from_dict(d.get("quality", {})),
            fields={k: Field.from_dict(v) for k, v in d.get("fields", {}).items()},
            pages=int(d.get("pages", 1)),
            timings_ms=dict(d.get("timings_ms", {})),
            lines=[OcrLine.from_dict(x) for x in d.get("lines", [])],
            parts=[Extraction.from_dict(p) for p in d.get("parts", [])],
            region=_box(d["region"]) if d.get("region") else None,
            orientation=d.get("orientation"),
            engine=d.get("engine"),
            page=d.get("page"),
            measurements=d.get("measurements"),
            transform=d.get("transform"),
            fingerprint=d.get("fingerprint"),
        )

    def documents(self) -> list["Extraction"]:
        """The single documents in this file: its parts when it holds several, else itself."""
        return list(self.parts) if self.parts else [self]
