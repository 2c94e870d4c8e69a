"""A verdict at the table: what the photo is and whether to retake it, in about a second.

``quick_check(data, engine) -> QuickVerdict`` runs the pipeline's own pieces on one file —
type sniffing and limits (``load``), finding and flattening the document or the cards on
a sheet (``pipeline.find_regions``, ``preprocess.rectify``), orientation, the quality gate
(``quality.measure`` / ``assess``) and classification (``classify``) — and nothing else:
no field parsing, no seal or stamp fading, no re-reads of a blurred photo, one OCR pass
per document. The full reading follows through the queue.

What makes it cheap: the document (or the cards on a sheet) is looked for on a copy of
the photo reduced to ``defaults.QUICK_REGION_LONG_SIDE`` (the text detector's pass over the whole
photo is the costliest part of that search), and the one OCR pass reads a copy of the
flattened document whose text lines are about ``defaults.QUICK_TEXT_PX`` high (the recogniser
resizes every line to its own fixed height anyway). The outlines found are carried back
onto the pipeline's working copy and every document is flattened from the photo as the
pipeline flattens it, so the quality gate measures the same pixels, with the lines'
boxes scaled back onto them: every threshold keeps its meaning in the photo's own pixels
(``measure`` converts with the working scale). A blurred photo read on a reduced copy
often still tells its kind (the reason the pipeline re-reads blurred photos on reduced
copies).

Bad input (corrupt, unsupported type, too many pixels or bytes, an encrypted PDF) gives
an ``unreadable`` verdict with the code, never an exception. Of a PDF only the first page
is looked at. Imports nothing from ``intake``, ``queues`` or any web code.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from extractors import defaults
from extractors.classify import classify
from extractors.errors import InputRejected, TooLarge
from extractors.kinds import MULTIPLE, NAMES_ZH, OTHER, UNREADABLE
from extractors.load import load_bytes
from extractors.ocr import OcrEngine
from extractors.orientation import get_orientation_detector
from extractors.pipeline import Regions, boxes_on, reduce_for_search, text_at_edge, find_regions
from extractors.preprocess import DocumentOutline, Rectified, order_quad, rectify
from extractors.quality import assess, measure
from extractors.types import ERROR, OcrLine, Quality, QualityIssue

__all__ = ["QuickVerdict", "quick_check", "KIND_ZH", "CODE_ZH"]

log = logging.getLogger(__name__)

KIND_ZH = NAMES_ZH  # the desk's names of the kinds (extractors.kinds)

CODE_ZH: dict[str, str] = {
    "blur": "模糊",
    "glare": "有反光",
    "document_cropped": "证件不完整",
    "too_dark": "太暗",
    "not_a_document": "不是证件",
    "photocopy": "复印件",
    "overexposed": "过曝",
    "low_resolution": "分辨率太低",
    "occluded": "有遮挡",
    "screen_recapture": "屏幕翻拍",
    "corrupt_file": "文件无法读取",
    "unsupported_type": "文件无法读取",
    "too_large": "文件无法读取",
    "encrypted": "文件无法读取",
}
RETAKE_ZH = "请重拍"
USABLE_ZH = "可用"

#: the one code that asks for a retake whatever its severity
RETAKE_CODES = {"not_a_document"}


@dataclass
class QuickVerdict:
    """What the photo is and whether to retake it (``to_dict``: the API's JSON)."""

    kind: str
    kind_confidence: float
    quality: Quality
    parts: list[str] = field(default_factory=list)  # kinds on a sheet when ``kind`` is ``multiple``
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def retake(self) -> bool:
        return self.kind == UNREADABLE or any(i.severity == ERROR or i.code in RETAKE_CODES
                                              for i in self.quality.issues)

    @property
    def message_zh(self) -> str:
        """``身份证人像面：模糊，请重拍``, ``银行卡：可用``, ``身份证人像面：复印件，可用``."""
        issues = sorted(self.quality.issues, key=lambda i: i.severity != ERROR)  # errors first, stable
        phrases: list[str] = []
        for i in issues:
            p = CODE_ZH.get(i.code, i.code)
            if p not in phrases:
                phrases.append(p)
        phrases.append(RETAKE_ZH if self.retake else USABLE_ZH)
        said = "，".join(phrases)
        if self.kind == UNREADABLE or any(i.code == "not_a_document" for i in self.quality.issues):
            return said  # 文件无法读取，请重拍 / 不是证件，请重拍: the phrase says what it is
        label = KIND_ZH.get(self.kind, self.kind)
        if self.kind == MULTIPLE and self.parts:
            label += "（" + "、".join(KIND_ZH.get(k, k) for k in self.parts) + "）"
        return f"{label}：{said}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_confidence": round(float(self.kind_confidence), 2),
            "quality": {"ok": self.quality.ok,
                        "issues": [{"code": i.code, "severity": i.severity, "message": i.message}
                                   for i in self.quality.issues]},
            "retake": self.retake,
            "message_zh": self.message_zh,
        }


@dataclass
class _Unit:
    kind: str
    kind_confidence: float
    issues: list[QualityIssue]
    chars: int


def _text_lines(boxes: np.ndarray) -> np.ndarray:
    """The boxes that are text lines (twice as long as high), as the orientation vote
    takes them; a card's own outline found as one "box" on a reduced sheet is not."""
    if len(boxes) == 0:
        return boxes
    w, h = np.ptp(boxes[:, :, 0], axis=1), np.ptp(boxes[:, :, 1], axis=1)
    return boxes[np.maximum(w, h) >= 2.0 * np.minimum(w, h)]


def _median_box_height(boxes: np.ndarray) -> float:
    if len(boxes) == 0:
        return 0.0
    heights = np.minimum(np.ptp(boxes[:, :, 0], axis=1), np.ptp(boxes[:, :, 1], axis=1))
    return float(np.median(heights))


def _ocr_reduced(image: np.ndarray, engine: OcrEngine, box_height: float, text_px: float) -> list[OcrLine]:
    """One OCR pass on a copy whose text-line boxes are about ``text_px`` high; boxes come
    back in ``image``'s pixels."""
    f = min(1.0, text_px / box_height) if box_height > 0 else 1.0
    if f >= 0.98:
        return engine(image)
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return [OcrLine(ln.text, ln.confidence, [[x / f, y / f] for x, y in ln.box], ln.page) for ln in engine(small)]


def _read(rect: Rectified, scale: float, engine: OcrEngine, work_boxes: np.ndarray, text_px: float,
          text_at_edge: int | None = None) -> _Unit:
    """Orient, read once on a reduced copy, judge and name one flattened document."""
    detector = get_orientation_detector()
    boxes = _text_lines(boxes_on(rect, work_boxes))
    if len(boxes) < defaults.QUICK_MIN_LINES:
        # too few lines seen on the reduced photo (a card on a sheet) to tell the text's
        # size: the detector looks at the flattened document itself
        boxes = _text_lines(detector.boxes(rect.image))
    orient = detector.detect(rect.image, boxes)
    rect = rect.rotated(orient.rotation)
    lines = _ocr_reduced(rect.image, engine, _median_box_height(boxes), text_px)
    m = measure(rect, lines, scale)
    if text_at_edge is not None:
        m.text_at_edge = text_at_edge
    h, w = rect.image.shape[:2]
    kind, conf = classify(lines, w, h)
    issues = assess(m, kind)
    if any(i.code == "not_a_document" for i in issues):
        kind, conf = OTHER, max(conf, 0.9)
    return _Unit(kind, conf, issues, sum(len(ln.text) for ln in lines))


def _regions(photo: np.ndarray, region_px: float) -> Regions:
    """``pipeline.find_regions`` on a copy of the pipeline's working copy reduced to
    ``region_px``, the outline, card regions and text boxes carried back onto the working
    copy, and the document flattened from the photo as the pipeline flattens it."""
    work, s = reduce_for_search(photo)
    f = min(1.0, region_px / max(work.shape[:2]))
    small = cv2.resize(work, (max(1, round(work.shape[1] * f)), max(1, round(work.shape[0] * f))),
                       interpolation=cv2.INTER_AREA) if f < 1 else work
    r = find_regions(small)
    k = r.scale * f  # small-copy pixels per working-copy pixel (r.scale is 1: small is within the working size)
    o = r.outline
    outline = DocumentOutline(quad=None if o.quad is None else (o.quad / k).astype(np.float32),
                              area_ratio=o.area_ratio, border_contact=o.border_contact, method=o.method)
    rect = rectify(work, outline, original=photo, scale=s)
    return Regions(work, s, outline, rect, [np.asarray(q, np.float32) / k for q in r.quads], r.boxes / k)


def _photo(photo: np.ndarray, engine: OcrEngine, region_px: float, text_px: float) -> list[_Unit]:
    """One unit per document in the photo: usually one, several on a copied sheet."""
    r = _regions(photo, region_px)
    if not r.quads:
        return [_read(r.rect, r.scale, engine, r.boxes, text_px, text_at_edge(r.boxes, r.work.shape))]
    units = []
    for q in r.quads:
        outline = DocumentOutline(quad=order_quad(q), area_ratio=r.outline.area_ratio, border_contact=0.0,
                                  method="split")
        units.append(_read(rectify(r.work, outline, original=photo, scale=r.scale), r.scale, engine, r.boxes,
                           text_px))
    # a region without readable text is not a document (as ``pipeline._assemble`` drops it)
    real = [u for u in units if not (u.kind == OTHER and u.chars < 10)]
    return real or units[:1]


def _unreadable(code: str, message: str, timings: dict[str, float]) -> QuickVerdict:
    return QuickVerdict(UNREADABLE, 1.0, Quality([QualityIssue(code, ERROR, message)]), timings_ms=timings)


def _first_page(data: bytes, max_pixels: int):
    """The first page of the file: an image, or a PDF page (text layer or raster)."""
    loaded = load_bytes(data)  # sniffing, byte limit, the default pixel cap from the header
    page = loaded.pages[0] if loaded.pages else None
    if page is None:
        raise InputRejected("the file has no pages")
    if page.image is not None and page.image.shape[0] * page.image.shape[1] > max_pixels:
        raise TooLarge(f"image is larger than the limit of {max_pixels} pixels")
    return page


def quick_check(data: bytes, engine: OcrEngine, *, max_pixels: int = defaults.MAX_PIXELS,
                region_px: float = defaults.QUICK_REGION_LONG_SIDE, text_px: float = defaults.QUICK_TEXT_PX) -> QuickVerdict:
    """The kind and the quality gate's verdict for one file, without reading its fields.

    Never raises for bad input: that is an ``unreadable`` verdict with the code.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        page = _first_page(data, max_pixels)
    except InputRejected as exc:
        timings["load"] = (time.perf_counter() - t0) * 1000
        return _unreadable(exc.code, str(exc), timings)
    t1 = time.perf_counter()
    timings["load"] = (t1 - t0) * 1000
    try:
        if page.text_lines:
            h, w = page.image.shape[:2] if page.image is not None else (0, 0)
            kind, conf = classify(page.text_lines, w, h)
            units = [_Unit(kind, conf, [], sum(len(ln.text) for ln in page.text_lines))]
        else:
            units = _photo(page.image, engine, region_px, text_px)
    except cv2.error as exc:  # an image the decoder took but OpenCV cannot work on
        log.warning("quick check could not process the image: %s", exc)
        timings["read"] = (time.perf_counter() - t1) * 1000
        return _unreadable("corrupt_file", "图像无法处理，请重新拍摄", timings)
    timings["read"] = (time.perf_counter() - t1) * 1000
    if len(units) == 1:
        u = units[0]
        return QuickVerdict(u.kind, u.kind_confidence, Quality(u.issues), timings_ms=timings)
    issues: list[QualityIssue] = []
    for u in units:
        for i in u.issues:
            if (i.code, i.severity) not in {(j.code, j.severity) for j in issues}:
                issues.append(i)
    return QuickVerdict(MULTIPLE, min(u.kind_confidence for u in units), Quality(issues),
                        parts=[u.kind for u in units], timings_ms=timings)
