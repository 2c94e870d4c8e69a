"""The one entry point: ``extract(data, filename, engine) -> Extraction``.

bytes → pages (``load``) → for photos: find and flatten the document (``preprocess``),
turn it upright (``orientation``), OCR once (``ocr``), judge it (``quality``), name it
(``classify``) and read its fields (``fields``); for PDFs with a text layer the layer
replaces OCR. Field boxes are mapped back onto the input file; OCR lines stay in the
upright document's coordinates (what the parsers read), with ``transform`` mapping them.
Bad input never raises out of here: it becomes an ``unreadable`` extraction with a code.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import cv2
import numpy as np

from extractors import defaults
from extractors.classify import classify
from extractors.errors import InputRejected
from extractors.fields import parse_fields
from extractors.kinds import MULTIPLE, OTHER, UNREADABLE
from extractors.load import LoadedPage, load_bytes
from extractors.ocr import OcrEngine, get_engine
from extractors.orientation import get_orientation_detector
from extractors.preprocess import Rectified, find_document, rectify
from extractors.quality import assess, measure
from extractors.types import ERROR, Extraction, Field, OcrLine, ParseInput, Quality, QualityIssue

__all__ = ["extract", "extract_path", "PageResult"]

log = logging.getLogger(__name__)


class _Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def add(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.ms[stage] = self.ms.get(stage, 0.0) + (now - since) * 1000
        return now


class PageResult:
    """One upright document image with its OCR lines and the way back to the input."""

    def __init__(self, lines: list[OcrLine], image: np.ndarray, to_input, rect: Rectified | None,
                 quality: list[QualityIssue], measurements: dict, page: int):
        self.lines = lines
        self.image = image
        self.to_input = to_input  # callable: points on ``image`` → points on the input page
        self.rect = rect
        self.quality = quality
        self.measurements = measurements
        self.page = page


def _unreadable(filename: str, sha: str, code: str, message: str, timer: _Timer) -> Extraction:
    return Extraction(
        file=filename, sha256=sha, kind=UNREADABLE, kind_confidence=1.0,
        quality=Quality([QualityIssue(code, ERROR, message)]), fields={}, pages=0, timings_ms=timer.ms,
    )


def _photo_page(image: np.ndarray, engine: OcrEngine, timer: _Timer, page: int = 1) -> PageResult:
    t = time.perf_counter()
    h, w = image.shape[:2]
    s = min(1.0, defaults.WORK_LONG_SIDE / max(h, w))
    work = cv2.resize(image, (int(round(w * s)), int(round(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else image
    outline = find_document(work)
    rect = rectify(work, outline)
    orient = get_orientation_detector().detect(rect.image)
    rect = rect.rotated(orient.rotation)
    t = timer.add("preprocess", t)
    lines = [OcrLine(ln.text, ln.confidence, ln.box, page) for ln in engine(rect.image)]
    t = timer.add("ocr", t)
    m = measure(image, rect, lines, s)
    timer.add("quality", t)

    def to_input(points, _rect=rect, _s=s):
        return [[x / _s, y / _s] for x, y in _rect.to_original(points)]

    meas = m.to_dict()
    meas["orientation_confidence"] = round(orient.confidence, 4)
    page_result = PageResult(lines, rect.image, to_input, rect, [], meas, page)
    page_result._measurements_obj = m  # type: ignore[attr-defined]
    return page_result


def _text_layer_page(p: LoadedPage) -> PageResult:
    return PageResult(p.text_lines or [], p.image, lambda pts: [list(map(float, q)) for q in pts], None, [],
                      {"source": "text_layer"}, p.number)


def _finish(filename: str, sha: str, pages: list[PageResult], timer: _Timer, engine_name: str,
            n_pages: int, source: str) -> Extraction:
    t = time.perf_counter()
    lines = [ln for p in pages for ln in p.lines]
    first = pages[0]
    h, w = first.image.shape[:2] if first.image is not None else (0, 0)
    kind, kind_conf = classify(lines, w, h)
    t = timer.add("classify", t)
    issues: list[QualityIssue] = []
    for p in pages:
        m = getattr(p, "_measurements_obj", None)
        if m is not None:
            for issue in assess(m, kind):
                if issue.code not in {i.code for i in issues}:
                    issues.append(issue)
    if any(i.code == "not_a_document" for i in issues):
        kind, kind_conf = OTHER, max(kind_conf, 0.9)
    fields: dict[str, Field] = {}
    if kind != OTHER:
        inp = ParseInput(lines=lines, images=[p.image for p in pages if p.image is not None], width=w, height=h, source=source)
        fields = parse_fields(kind, inp)
        by_page = {p.page: p for p in pages}
        for f in fields.values():
            if f.box:
                f.box = by_page.get(f.page, first).to_input(f.box)
    timer.add("parse", t)
    transform = None
    if first.rect is not None:
        transform = np.linalg.inv(first.rect.matrix).tolist()
    ex = Extraction(
        file=filename, sha256=sha, kind=kind, kind_confidence=kind_conf, quality=Quality(issues),
        fields=fields, pages=n_pages, timings_ms=timer.ms, lines=lines,
        orientation=first.rect.rotation if first.rect is not None else None, engine=engine_name,
    )
    ex.measurements = first.measurements  # type: ignore[attr-defined]
    ex.transform = transform  # type: ignore[attr-defined]
    return ex


def extract(data: bytes, filename: str = "", engine: OcrEngine | None = None) -> Extraction:
    """Run the whole document pipeline on one file's bytes. Never raises for bad input."""
    timer = _Timer()
    t = time.perf_counter()
    sha = hashlib.sha256(data).hexdigest()
    try:
        loaded = load_bytes(data)
    except InputRejected as exc:
        return _unreadable(filename, sha, exc.code, str(exc), timer)
    t = timer.add("load", t)
    engine = engine or get_engine()
    if loaded.mime == "application/pdf":
        return _extract_pdf(filename, sha, loaded.pages, engine, timer)
    page = _photo_page(loaded.pages[0].image, engine, timer)
    return _finish(filename, sha, [page], timer, engine.name, 1, "ocr")


def _extract_pdf(filename: str, sha: str, pages: list[LoadedPage], engine: OcrEngine, timer: _Timer) -> Extraction:
    results: list[PageResult] = []
    source = "text_layer"
    for p in pages:
        if p.text_lines:
            results.append(_text_layer_page(p))
        else:
            source = "ocr"
            results.append(_photo_page(p.image, engine, timer, page=p.number))
    return _finish(filename, sha, results, timer, engine.name, len(pages), source)


def extract_path(path: str | Path, engine: OcrEngine | None = None, display_name: str | None = None) -> Extraction:
    """``extract`` on a file; an unreadable path gives an ``unreadable`` extraction too."""
    path = Path(path)
    name = display_name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _unreadable(name, "", "corrupt_file", f"file could not be read: {exc.strerror or exc}", _Timer())
    return extract(data, name, engine)
