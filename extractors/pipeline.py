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
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

import cv2
import numpy as np

from extractors import defaults, fingerprint
from extractors.classify import classify
from extractors.classify import scores as kind_scores
from extractors.errors import InputRejected
from extractors.fields import parse_fields
from extractors.kinds import FIELDS, MULTIPLE, OTHER, UNREADABLE
from extractors.load import load_bytes
from extractors.ocr import OcrEngine, get_engine
from extractors.orientation import get_orientation_detector, rotate_quarter
from extractors.pages import LoadedPage
from extractors.preprocess import DocumentOutline, Rectified, find_document, frame_is_a4, order_quad, rectify
from extractors.seal import seal_ink, suppress_seals
from extractors.split import find_cards
from extractors.stamps import flag_hidden_fields, strip_stamps
from extractors.quality import Measurements, assess, measure
from extractors.ink import base_chroma, ink_share_in, prepare_for_ocr
from extractors.types import ERROR, Extraction, Field, OcrLine, ParseInput, Quality, QualityIssue

__all__ = ["extract", "extract_path", "find_regions", "PageResult", "Regions", "reduce_for_search", "boxes_on",
           "text_at_edge"]

log = logging.getLogger(__name__)


class _Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def add(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.ms[stage] = self.ms.get(stage, 0.0) + (now - since) * 1000
        return now


@dataclass
class PageResult:
    """One upright document image (a page, or a card region of it) with its OCR lines."""

    lines: list[OcrLine]
    image: np.ndarray | None
    rect: Rectified | None  # None for a PDF text-layer page (already upright, no warp)
    scale: float  # input pixels × scale = working pixels
    page: int
    measured: Measurements | None = None
    notes: dict = dc_field(default_factory=dict)
    ink: np.ndarray | None = None  # where hand-stamp ink was faded before OCR (bool, on ``image``)
    cut_boxes: list = dc_field(default_factory=list)  # lines the document's crop cut through

    def to_input(self, points) -> list[list[float]]:
        """Points on ``image`` → points on the input page."""
        if self.rect is None:
            return [[float(x), float(y)] for x, y in points]
        return [[x / self.scale, y / self.scale] for x, y in self.rect.to_original(points)]

    def transform(self) -> list[list[float]] | None:
        if self.rect is None:
            return None
        unscale = np.diag([1 / self.scale, 1 / self.scale, 1.0])
        return (unscale @ np.linalg.inv(self.rect.matrix)).tolist()

    @property
    def is_split(self) -> bool:
        return self.rect is not None and self.rect.outline.method == "split"


def _unreadable(filename: str, sha: str, code: str, message: str, timer: _Timer) -> Extraction:
    return Extraction(
        file=filename, sha256=sha, kind=UNREADABLE, kind_confidence=1.0,
        quality=Quality([QualityIssue(code, ERROR, message)]), fields={}, pages=0, timings_ms=timer.ms,
    )


def reduce_for_search(image: np.ndarray) -> tuple[np.ndarray, float]:
    h, w = image.shape[:2]
    s = min(1.0, defaults.WORK_LONG_SIDE / max(h, w))
    if s < 1:
        return cv2.resize(image, (int(round(w * s)), int(round(h * s))), interpolation=cv2.INTER_AREA), s
    return image, 1.0


def boxes_on(rect: Rectified, work_boxes: np.ndarray) -> np.ndarray:
    """Text boxes found on the working image, carried onto the flattened document."""
    if len(work_boxes) == 0:
        return work_boxes
    pts = cv2.perspectiveTransform(work_boxes.reshape(-1, 1, 2).astype(np.float64), rect.matrix).reshape(-1, 4, 2)
    h, w = rect.image.shape[:2]
    c = pts.mean(axis=1)
    keep = (c[:, 0] >= 0) & (c[:, 0] < w) & (c[:, 1] >= 0) & (c[:, 1] < h)
    return pts[keep].astype(np.float32)


def _read(rect: Rectified, s: float, engine: OcrEngine, timer: _Timer, page: int, t: float,
          work_boxes: np.ndarray | None = None, work_long: int = 0) -> PageResult:
    """Orient a flattened document, OCR it once, and measure its quality.

    ``work_boxes`` are the detector's lines on the working copy (``work_long`` its long
    side): orientation always votes on them, and a card they saw at enough resolution is
    recognised in them (``_shared_boxes``) instead of being detected a second time."""
    boxes = boxes_on(rect, work_boxes) if work_boxes is not None else None
    orient = get_orientation_detector().detect(rect.image, boxes)
    rect = rect.rotated(orient.rotation)
    t = timer.add("preprocess", t)
    chroma = base_chroma(rect.image)  # one colour measure for ink fading and the photocopy check
    ocr_image, ink = prepare_for_ocr(rect.image, chroma)
    read_boxes = getattr(engine, "read_boxes", None)  # optional: an engine that can recognise given boxes
    shared = _shared_boxes(rect, work_boxes, work_long) if work_boxes is not None and read_boxes else None
    read = engine(ocr_image) if shared is None else read_boxes(ocr_image, shared)
    lines = [OcrLine(ln.text, ln.confidence, ln.box, page) for ln in read]
    notes = {}
    if shared is not None:
        notes["shared_boxes"] = "kept"
        if _in_doubt(lines, rect.image):
            lines = [OcrLine(ln.text, ln.confidence, ln.box, page) for ln in engine(ocr_image)]
            notes["shared_boxes"] = "read_again"
    t = timer.add("ocr", t)
    m = measure(rect, lines, s, chroma)
    t = timer.add("quality", t)
    confidence = orient.confidence
    if m.sharpness < defaults.BLUR_SHARPNESS_ERROR:
        reread = _reread_reduced(rect, engine, page, lines)
        if reread is not None:
            rect, lines, confidence = reread
            ink = prepare_for_ocr(rect.image, chroma)[1]
        timer.add("ocr", t)
    return PageResult(lines, rect.image, rect, s, page, m, {"orientation_confidence": round(confidence, 4), **notes},
                      ink=ink)


def _shared_boxes(rect: Rectified, work_boxes: np.ndarray, work_long: int) -> np.ndarray | None:
    """The working copy's detector boxes carried onto the upright card, when they can stand
    in for a detector pass of its own: the document is one card (not a page, whose small
    print the reduced copy loses, nor a card cut from a sheet, a third of the copy's
    width), the detector saw it at no less than half the card's own resolution (its
    ~30 px lines at ≥ 15 px, well inside what PP-OCR's detector finds), and it found
    lines on it. ``None``: detect on the card itself.

    The shared boxes are looser than the card's own (line height median +11 %, at most
    +46 %, on eval-data's 152 cards that kept them: ``python -m bench.shared_boxes``), and
    the quality gate measures text height in them: a card under ``SHARED_BOXES_MIN_CARD_PX``
    on the working copy, whose lines might be near the low-resolution limit, is detected
    on its own so no inflated box can lift it over that limit."""
    if rect.shape_class != "card" or rect.outline.method == "split" or len(work_boxes) == 0 or not work_long:
        return None
    det_scale = min(1.0, defaults.DETECT_LONG_SIDE / work_long)  # detector pixels per work pixel
    h, w = rect.image.shape[:2]
    a, b = np.asarray(rect.to_original([[w / 2, h / 2], [w / 2 + 100, h / 2]]))
    card_scale = 100.0 / max(float(np.hypot(*(b - a))), 1e-6)  # card pixels per work pixel
    if card_scale / det_scale > defaults.SHARED_BOXES_MAX_UPSCALE or max(h, w) / card_scale < defaults.SHARED_BOXES_MIN_CARD_PX:
        return None
    boxes = boxes_on(rect, work_boxes)
    if len(boxes) < defaults.SHARED_BOXES_MIN_LINES:
        return None
    boxes[:, :, 0] = np.clip(boxes[:, :, 0], 0, w - 1)
    boxes[:, :, 1] = np.clip(boxes[:, :, 1], 0, h - 1)
    return np.stack([order_quad(q) for q in boxes])


#: the values a card read through shared boxes must give, clean, to be kept (a bank card's
#: holder and type are often not printed)
_CARD_VALUES = {"id_card_front": FIELDS["id_card_front"], "id_card_back": FIELDS["id_card_back"],
                "bank_card": ("card_number", "bank_name")}


def _in_doubt(lines: list[OcrLine], image: np.ndarray) -> bool:
    """Whether a card read in the working copy's boxes must be detected and read again on
    its own: it does not read as a card, or one of its values is missing or needs review.
    The working copy's boxes are coarser (the detector saw the card at up to half its
    resolution): a label's box can reach into its value (出生 + the 1 of 1976), and such a
    reading is flagged, never trusted; reading again gives the card's own detector pass
    back exactly where the shared one was not enough."""
    h, w = image.shape[:2]
    kind, _ = classify(lines, w, h)
    if kind not in _CARD_VALUES:
        return True
    fields = parse_fields(kind, ParseInput(lines=strip_stamps(lines).lines, images=[image], width=w, height=h,
                                           source="ocr"))
    # a bank card's type told by its BIN, not printed, is flagged "derived": not a reading's doubt
    return (any(n not in fields for n in _CARD_VALUES[kind])
            or any(f.needs_review and set(f.reasons) - {"derived"} for f in fields.values()))


def _evidence(lines: list[OcrLine], image: np.ndarray) -> float:
    """How clearly the lines say what the document is: the best kind's keyword points."""
    h, w = image.shape[:2]
    return max(kind_scores(lines, w, h).values())


def _reread_reduced(rect: Rectified, engine: OcrEngine, page: int,
                    lines: list[OcrLine]) -> tuple[Rectified, list[OcrLine], float] | None:
    """A blurred document read again on reduced copies, kept when they tell clearly more
    about what it is.

    Blur spreads each stroke over a fixed number of pixels; at half or a third of the
    size the strokes are sharp again and large print is still big enough to read, so the
    detector finds the labels it missed and the kind and orientation can be told. The
    quality gate's verdict (blur, an error) is unchanged: a clerk still asks for a
    retake, but knows what the document is. Boxes are scaled back onto ``rect``. Only
    seals are faded here: on a blurred colour card the printed blue labels can pass for
    hand-stamp ink, and the labels are what tell the kind.
    """
    best: tuple[float, Rectified, list[OcrLine], float] | None = None
    floor = _evidence(lines, rect.image) + defaults.BLUR_REREAD_MIN_GAIN
    for f in defaults.BLUR_REREAD_SCALES:
        small = cv2.resize(rect.image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        orient = get_orientation_detector().detect(small)
        turned = rect.rotated(orient.rotation)
        small = rotate_quarter(small, orient.rotation)
        got = [OcrLine(ln.text, ln.confidence, [[x / f, y / f] for x, y in ln.box], page)
               for ln in engine(suppress_seals(small))]
        e = _evidence(got, turned.image)
        if e >= floor and (best is None or e > best[0]):
            best = (e, turned, got, orient.confidence)
    return best[1:] if best else None


def text_at_edge(boxes: np.ndarray, shape: tuple[int, ...]) -> int:
    """Text lines that touch the photo's frame: the frame cut the document there."""
    if len(boxes) == 0:
        return 0
    h, w = shape[:2]
    m = defaults.EDGE_MARGIN * max(h, w)
    x0, x1 = boxes[:, :, 0].min(axis=1), boxes[:, :, 0].max(axis=1)
    y0, y1 = boxes[:, :, 1].min(axis=1), boxes[:, :, 1].max(axis=1)
    return int(((x0 <= m) | (y0 <= m) | (x1 >= w - 1 - m) | (y1 >= h - 1 - m)).sum())


def _cards_with_text(quads: list[np.ndarray], boxes: np.ndarray, work: np.ndarray,
                     image: np.ndarray, s: float, need: int = 1) -> list[np.ndarray]:
    """The card regions holding printed text: a grey shape without any (the portrait on
    an ID card, a logo) is not a document of its own.

    The lines are first counted among the boxes found on the whole working copy; a card
    with too few there is looked at again on its own, flattened at full resolution: on a
    reduced sheet the small print of a faint or stamped copy is often not found at all.
    Fewer than ``need`` regions can never make a sheet: none is looked at (on a photographed
    bank card the chip or the logo is one card-shaped region, not worth a detector pass).
    """
    if len(quads) < need:
        return []
    def lines_inside(quad: np.ndarray) -> int:
        contour = quad.reshape(-1, 1, 2).astype(np.float32)
        return sum(cv2.pointPolygonTest(contour, (float(b[:, 0].mean()), float(b[:, 1].mean())), False) >= 0
                   for b in boxes)

    def lines_on_card(quad: np.ndarray) -> int:
        part = DocumentOutline(quad=order_quad(quad), area_ratio=0.0, border_contact=0.0, method="split")
        return len(get_orientation_detector().boxes(rectify(work, part, original=image, scale=s).image))

    return [q for q in quads
            if lines_inside(q) >= defaults.MIN_PART_TEXT_LINES or lines_on_card(q) >= defaults.MIN_PART_TEXT_LINES]


def _text_outside(boxes: np.ndarray, quad: np.ndarray) -> float:
    """Share of detected text lying outside ``quad``: a document holds its own text."""
    if len(boxes) == 0:
        return 0.0
    contour = quad.reshape(-1, 1, 2).astype(np.float32)
    total = outside = 0.0
    for b in boxes:
        area = float(np.ptp(b[:, 0]) * np.ptp(b[:, 1]))
        cx, cy = float(b[:, 0].mean()), float(b[:, 1].mean())
        total += area
        if cv2.pointPolygonTest(contour, (cx, cy), False) < 0:
            outside += area
    return outside / total if total else 0.0


@dataclass
class Regions:
    """Where the documents are in one photo or page: the working copy, the outline and
    the flattened document, and the card regions (on the working copy) when it is a sheet."""

    work: np.ndarray
    scale: float  # input pixels × scale = working pixels
    outline: DocumentOutline
    rect: Rectified
    quads: list[np.ndarray]  # card regions on ``work``; empty: one document
    boxes: np.ndarray  # detector text boxes on ``work``


def find_regions(image: np.ndarray) -> Regions:
    """Find the document (or the several cards on a sheet) in a photo, without OCR."""
    work, s = reduce_for_search(image)
    outline = find_document(work)
    work_boxes = get_orientation_detector().boxes(work)
    if outline.quad is not None and _text_outside(work_boxes, outline.quad) > defaults.TEXT_OUTSIDE_MAX:
        # The "outline" is something on the document (its photo, a table), not the
        # document: the document fills the frame (a flat scan) or there are several.
        outline = DocumentOutline(quad=None, area_ratio=1.0, border_contact=0.0, method="frame")
    rect = rectify(work, outline, original=image, scale=s)
    # Cards lying on a sheet: one is enough on a page; elsewhere it takes two, since a
    # single card-shaped region inside a card-shaped document is the document itself.
    need = 1 if rect.shape_class == "page" else 2
    quads = _cards_with_text([np.asarray(rect.to_original(q), np.float32) for q in find_cards(rect.image)],
                             work_boxes, work, image, s, need)
    if len(quads) == 1 and _text_outside(work_boxes, quads[0]) > defaults.TEXT_OUTSIDE_MAX:
        quads = []  # a box on a page of text (a table, a photo), not a card copied onto a sheet
    if len(quads) < need:
        quads = _cards_with_text(find_cards(work), work_boxes, work, image, s, 2) if outline.area_ratio < 0.5 else []
        if len(quads) < 2:
            quads = []
    if (not quads and rect.shape_class == "card" and outline.quad is not None
            and frame_is_a4(*work.shape[1::-1]) and outline.area_ratio <= defaults.MAX_CARD_AREA):
        quads = [outline.quad]  # one card scanned on an A4 page: a card on a sheet, with its region
    return Regions(work, s, outline, rect, quads, work_boxes)


def _photo_documents(image: np.ndarray, engine: OcrEngine, timer: _Timer, page: int = 1) -> list[PageResult]:
    """One result per document in the photo: usually one, several on a copied sheet."""
    t = time.perf_counter()
    r = find_regions(image)
    if not r.quads:
        result = _read(r.rect, r.scale, engine, timer, page, t, r.boxes, max(r.work.shape[:2]))
        if r.outline.quad is not None and _lines_cut(result):
            result = _read_widened(r, image, engine, timer, page, result)
        if result.measured is not None:
            result.measured.text_at_edge = text_at_edge(r.boxes, r.work.shape)
        return [result]
    results = []
    for q in r.quads:
        part_outline = DocumentOutline(quad=order_quad(q), area_ratio=r.outline.area_ratio,
                                       border_contact=0.0, method="split")
        part_rect = rectify(r.work, part_outline, original=image, scale=r.scale)
        results.append(_read(part_rect, r.scale, engine, timer, page, t, r.boxes))
        t = time.perf_counter()
    return results


def _lines_cut(result: PageResult) -> list[OcrLine]:
    """Lines of the flattened document that touch its edge: the outline cut through them
    (a dark card on a dark desk, whose edge was found inside the card)."""
    if result.image is None or not result.lines:
        return []
    h, w = result.image.shape[:2]
    m = defaults.EDGE_MARGIN * max(h, w)
    return [ln for ln in result.lines if ln.x0 <= m or ln.y0 <= m or ln.x1 >= w - 1 - m or ln.y1 >= h - 1 - m]


def _read_widened(r: Regions, image: np.ndarray, engine: OcrEngine, timer: _Timer, page: int,
                  first: PageResult) -> PageResult:
    """Read again through an outline widened on every side; keep that reading when it cuts
    no line and reads at least as much text, else keep the first and mark the cut (``PageResult.cut_boxes``):
    fields read from those lines go to review (``cut_at_edge``). No quality issue is raised
    for it: as a ``document_cropped`` warning it added false alarms on both evaluation sets
    (eval-data 6 → 7, the unseen set 15 → 25) and caught no crop the gate missed."""
    t = time.perf_counter()
    quad = r.outline.quad.astype(np.float32)
    centre = quad.mean(axis=0)
    h, w = r.work.shape[:2]
    wide = centre + (quad - centre) * (1.0 + 2 * defaults.CUT_WIDEN)
    wide[:, 0] = np.clip(wide[:, 0], 0, w - 1)
    wide[:, 1] = np.clip(wide[:, 1], 0, h - 1)
    outline = DocumentOutline(quad=wide, area_ratio=r.outline.area_ratio, border_contact=r.outline.border_contact,
                              method=r.outline.method)
    second = _read(rectify(r.work, outline, original=image, scale=r.scale), r.scale, engine, timer, page, t, r.boxes,
                   max(r.work.shape[:2]))
    chars = lambda res: sum(len(ln.text.strip()) for ln in res.lines)  # noqa: E731
    if not _lines_cut(second) and chars(second) >= chars(first):
        second.notes["widened"] = True
        return second
    first.cut_boxes = [ln.box for ln in _lines_cut(first)]
    first.notes["cut_lines"] = len(first.cut_boxes)
    return first


def _text_layer_page(p: LoadedPage) -> PageResult:
    return PageResult(p.text_lines or [], p.image, None, 1.0, p.number, None, {"source": "text_layer"})


#: kinds whose documents run over several pages; cards never continue onto another unit
MULTI_PAGE_KINDS = {"court_judgment", "income_proof", "household_register", OTHER}


def _document(filename: str, sha: str, units: list[PageResult], timer: _Timer, engine_name: str,
              n_pages: int, kind: str, kind_conf: float) -> Extraction:
    """One document (one or more units of the same document) → its Extraction."""
    t = time.perf_counter()
    lines = [ln for u in units for ln in u.lines]
    first = units[0]
    h, w = first.image.shape[:2] if first.image is not None else (0, 0)
    issues: list[QualityIssue] = []
    for u in units:
        if u.measured is not None:
            for issue in assess(u.measured, kind):
                if issue.code not in {i.code for i in issues}:
                    issues.append(issue)
    if any(i.code == "not_a_document" for i in issues):
        kind, kind_conf = OTHER, max(kind_conf, 0.9)
    fields: dict[str, Field] = {}
    if kind != OTHER:
        source = "ocr" if any(u.rect is not None for u in units) else "text_layer"
        stamps = strip_stamps(lines)
        inp = ParseInput(lines=stamps.lines, images=[u.image for u in units if u.image is not None], width=w,
                         height=h, source=source)
        fields = parse_fields(kind, inp)
        flag_hidden_fields(fields, stamps.stamp_boxes)
        by_page = {u.page: u for u in units}
        _flag_fields_under_ink(fields, by_page)
        _flag_fields_cut(fields, by_page)
        if kind in SEALED_KINDS:
            _flag_fields_under_seal(fields, by_page)
        for f in fields.values():
            if f.box:
                f.box = by_page.get(f.page, first).to_input(f.box)
        if any(i.severity == ERROR for i in issues):
            # CONTRACT: an error-level quality issue means the fields cannot be trusted.
            for f in fields.values():
                if not f.needs_review:
                    f.needs_review = True
                    f.reasons.append("quality_error")
    timer.add("parse", t)
    ex = Extraction(
        file=filename, sha256=sha, kind=kind, kind_confidence=kind_conf, quality=Quality(issues),
        fields=fields, pages=n_pages, timings_ms=timer.ms, lines=lines,
        orientation=first.rect.upright_rotation() if first.rect is not None else None, engine=engine_name,
    )
    if first.is_split:
        hh, ww = first.image.shape[:2]
        ex.region = first.to_input([[0, 0], [ww - 1, 0], [ww - 1, hh - 1], [0, hh - 1]])
        ex.page = first.page
    if first.measured is not None:
        ex.measurements = {**first.measured.to_dict(), **first.notes}
    ex.transform = first.transform()
    ex.fingerprint = fingerprint.of_image(first.image)
    return ex


def _flag_fields_under_ink(fields: dict[str, Field], by_page: dict[int, PageResult]) -> None:
    """A value a hand stamp lay across may have lost strokes with the ink: review it."""
    for f in fields.values():
        u = by_page.get(f.page)
        if u is not None and ink_share_in(u.ink, f.box) >= defaults.INK_OVER_FIELD and "stamp_overlap" not in f.reasons:
            f.needs_review = True
            f.reasons.append("stamp_overlap")


def _flag_fields_cut(fields: dict[str, Field], by_page: dict[int, PageResult]) -> None:
    """A value on a line the crop cut through may be missing its start or end."""
    for page, u in by_page.items():
        flag_hidden_fields({k: f for k, f in fields.items() if f.page == page}, u.cut_boxes, "cut_at_edge")


#: kinds whose issuers seal them, often across the very values a clerk needs
SEALED_KINDS = {"income_proof", "court_judgment", "marriage_certificate", "divorce_certificate",
                "household_register"}
#: values whose check digit proves them whole even when a seal lies across them
_CHECKSUMMED = ("id_number", "holder_id_number", "spouse_id_number")


def _flag_fields_under_seal(fields: dict[str, Field], by_page: dict[int, PageResult]) -> None:
    """A value read through or beside a seal may have lost characters under it (the day
    of a date, a character of an employer's name): review it, unless its check digit
    proves it whole. The box is widened along its line by a line height at each end, as
    the lost part lies outside what was read."""
    masks: dict[int, np.ndarray | None] = {}
    for name, f in fields.items():
        if not f.box or name == "has_seal" or "seal_overlap" in f.reasons:
            continue
        if name in _CHECKSUMMED and not f.needs_review:
            continue
        u = by_page.get(f.page)
        if u is None or u.image is None:
            continue
        if f.page not in masks:
            masks[f.page] = seal_ink(u.image)
        mask = masks[f.page]
        if mask is None:
            continue
        xs, ys = [p[0] for p in f.box], [p[1] for p in f.box]
        h = max(ys) - min(ys)
        grown = [[min(xs) - h, min(ys)], [max(xs) + h, min(ys)], [max(xs) + h, max(ys)], [min(xs) - h, max(ys)]]
        if ink_share_in(mask, grown) >= defaults.SEAL_OVER_FIELD:
            f.needs_review = True
            f.reasons.append("seal_overlap")


def _assemble(filename: str, sha: str, units: list[PageResult], timer: _Timer, engine_name: str,
              n_pages: int) -> Extraction:
    """Group units (pages or card regions) into documents; several documents → ``multiple``."""
    t = time.perf_counter()
    groups: list[tuple[str, float, list[PageResult]]] = []
    for u in units:
        h, w = u.image.shape[:2] if u.image is not None else (0, 0)
        kind, conf = classify(u.lines, w, h)
        if groups and not u.is_split and not groups[-1][2][0].is_split:
            gk = groups[-1][0]
            if kind == gk and kind in MULTI_PAGE_KINDS or (kind == OTHER and gk in MULTI_PAGE_KINDS):
                groups[-1][2].append(u)
                continue
            if gk == OTHER and kind in MULTI_PAGE_KINDS:
                groups[-1] = (kind, conf, groups[-1][2] + [u])
                continue
        groups.append((kind, conf, [u]))
    timer.add("classify", t)
    pairs = [(_document(filename, sha, g, timer, engine_name, len({u.page for u in g}), k, c), g)
             for k, c, g in groups]
    # A region that holds no readable text is not a document: drop it rather than report a phantom.
    if len(pairs) > 1:
        real = [(d, g) for d, g in pairs if not (d.kind == OTHER and sum(len(ln.text) for ln in d.lines) < 10)]
        pairs = real or pairs[:1]
    docs = [d for d, _ in pairs]
    if len(docs) == 1:
        doc = docs[0]
        doc.pages = n_pages
        return doc
    issues: list[QualityIssue] = []
    for d in docs:
        for i in d.quality.issues:
            if (i.code, i.severity) not in {(j.code, j.severity) for j in issues}:
                issues.append(i)
    parent = Extraction(
        file=filename, sha256=sha, kind=MULTIPLE, kind_confidence=min(d.kind_confidence for d in docs),
        quality=Quality(issues), fields={}, pages=n_pages, timings_ms=timer.ms, lines=[], parts=docs,
        engine=engine_name,
    )
    for d, g in pairs:  # each part with its own units: a dropped phantom shifts nothing
        d.file, d.timings_ms = filename, {}
        d.page = g[0].page
    return parent


def extract(data: bytes, filename: str = "", engine: OcrEngine | None = None) -> Extraction:
    """Run the whole document pipeline on one file's bytes. Never raises for bad input."""
    timer = _Timer()
    t = time.perf_counter()
    sha = hashlib.sha256(data).hexdigest()
    try:
        loaded = load_bytes(data)
    except InputRejected as exc:
        return _unreadable(filename, sha, exc.code, str(exc), timer)
    timer.add("load", t)
    engine = engine or get_engine()
    units: list[PageResult] = []
    for p in loaded.pages:
        if p.text_lines:
            units.append(_text_layer_page(p))
        else:
            units.extend(_photo_documents(p.image, engine, timer, page=p.number))
    return fingerprint.attach(_assemble(filename, sha, units, timer, engine.name, len(loaded.pages)), data)


def extract_path(path: str | Path, engine: OcrEngine | None = None, display_name: str | None = None) -> Extraction:
    """``extract`` on a file; an unreadable path gives an ``unreadable`` extraction too."""
    path = Path(path)
    name = display_name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _unreadable(name, "", "corrupt_file", f"file could not be read: {exc.strerror or exc}", _Timer())
    return extract(data, name, engine)
