"""The quality gate: one function per check, each returning a ``QualityIssue`` or None.

Each check measures one physical property of the photo and compares it with a
threshold from ``extractors.defaults``; the thresholds are calibrated on the generated
evaluation set (``baoquan eval`` prints precision/recall per code) rather than guessed.
``error`` means the fields cannot be trusted (ask for a retake); ``warning`` means the
document is usable but a person should look twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors import defaults as D
from extractors.preprocess import DocumentOutline, Rectified
from extractors.ink import Chroma, base_chroma
from extractors.occlusion import occlusion_share
from extractors.types import ERROR, WARNING, OcrLine, QualityIssue

__all__ = ["Measurements", "measure", "assess", "CHECKS", "sharpness"]

UNREADABLE_CODES = ("blur", "too_dark", "overexposed", "low_resolution", "document_cropped")
COLOUR_KINDS = {"id_card_front", "id_card_back", "bank_card"}


@dataclass
class Measurements:
    sharpness: float
    glare_area: float
    mean_grey: float
    p95_grey: float
    chroma_p99: float  # 99th percentile of Lab chroma: the most colourful print on the document
    chroma_spread: float  # spread of Lab a/b: colour varies across a colour print, not on a grey copy
    text_contrast: float  # grey-level spread inside the text boxes (p95 - p5)
    text_height_px: float  # median line height in the original photo's pixels
    doc_short_px: float  # document's short side in the original photo's pixels
    border_contact: float
    area_ratio: float
    outline_method: str
    text_chars: int
    mean_confidence: float
    text_at_edge: int = 0  # text lines the photo's frame cuts through
    occlusion: float = 0.0  # share of the document under a finger-like blob inside its text band

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def sharpness(gray: np.ndarray, lines: list[OcrLine] | None = None) -> float:
    """Edge sharpness in [0, 1]: the steepest intensity steps relative to the contrast,
    in the *worst* of four directions.

    A sharp text stroke goes from paper to ink within about a pixel, so the strongest
    gradients are a large share of the contrast; defocus spreads every step, and motion
    spreads the steps along its direction only — hence the minimum over directions.
    Measured inside text boxes when there are any, so a smooth background does not
    read as blur.
    """
    g = gray.astype(np.float32)
    mask = np.zeros(gray.shape, np.uint8)
    for ln in lines or []:
        cv2.fillConvexPoly(mask, np.asarray(ln.box, np.int32), 1)
    if mask.sum() < 500:
        mask[:] = 1
    pix = g[mask > 0]
    contrast = float(np.percentile(pix, 98) - np.percentile(pix, 2))
    if contrast < 10:
        return 0.0
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)[mask > 0]
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)[mask > 0]
    worst = 1.0
    for theta in np.deg2rad([0.0, 45.0, 90.0, 135.0]):
        d = np.abs(gx * np.cos(theta) + gy * np.sin(theta))
        # A perfect step of height C gives a Sobel response of 4C across it.
        worst = min(worst, float(np.percentile(d, 99)) / (4.0 * contrast))
    return min(1.0, worst)


def _text_contrast(gray: np.ndarray, lines: list[OcrLine]) -> float:
    if not lines:
        return 0.0
    mask = np.zeros(gray.shape, np.uint8)
    for ln in lines:
        cv2.fillConvexPoly(mask, np.asarray(ln.box, np.int32), 1)
    vals = gray[mask > 0]
    if vals.size < 100:
        return 0.0
    return float(np.percentile(vals, 95) - np.percentile(vals, 5))


def _blob_share(mask: np.ndarray) -> float:
    """Share of the image in blobs of at least 0.2 % after removing specks and strokes."""
    mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    big = stats[1:, cv2.CC_STAT_AREA] if n > 1 else np.zeros(0)
    return float(big[big > 0.002 * mask.size].sum() / mask.size) if big.size else 0.0


def glare_area(img: np.ndarray, gray: np.ndarray | None = None, paper_pct: float = 50,
               plateau: bool = True) -> float:
    """Share of the document under a highlight: near-white, unsaturated blobs clearly
    brighter than the document's paper (its grey level at ``paper_pct``, the median; the
    glare calibration tries lower percentiles). On paper so bright that no highlight can be
    ``GLARE_DELTA`` above it, a solid clipped plateau of ``GLARE_PLATEAU_MIN`` counts instead
    (``plateau=False``: the clipped measure alone, for the glare calibration)."""
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if gray is None else gray
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[:, :, 1]
    paper = float(np.percentile(gray, paper_pct))
    clipped = (gray >= D.GLARE_LEVEL) & (gray.astype(np.int32) >= paper + D.GLARE_DELTA) & (sat < 40)
    share = _blob_share(clipped)
    if plateau and paper + D.GLARE_DELTA >= 255 and paper <= D.GLARE_PAPER_CLIPPED:
        solid = clipped_plateau_share(gray, sat, paper)
        if solid >= D.GLARE_PLATEAU_MIN:
            return max(share, solid)
    return share


def clipped_plateau_share(gray: np.ndarray, sat: np.ndarray, paper: float) -> float:
    """Share of the document in solid clipped plateaus: pixels at ≥ 252 and ≥
    ``GLARE_PLATEAU_RISE`` above the paper (after a 5-px median) that survive an opening
    4 % of the short side wide. Bright paper's noise reaches clipping between strokes and
    in thin stretches, which the rise and the opening remove; a highlight that erased the
    print under it is solid."""
    k = max(5, int(0.04 * min(gray.shape)))
    level = max(252.0, paper + D.GLARE_PLATEAU_RISE)
    mask = ((cv2.medianBlur(gray, 5) >= level) & (sat < 40)).astype(np.uint8)
    return _blob_share(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, k), np.uint8)))


def measure(rect: Rectified, lines: list[OcrLine], work_scale: float, chroma: Chroma | None = None) -> Measurements:
    """``chroma``: ``base_chroma(rect.image)`` when the caller measured it already."""
    img = rect.image
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    glare = glare_area(img, gray)
    # rectified px → original px: ratio of the outline's size in the photo to the warp
    src_w, src_h = rect.notes.get("source_px", (img.shape[1], img.shape[0]))
    rh, rw = img.shape[:2]
    if rect.rotation in (90, 270):
        rh, rw = rw, rh
    to_orig = (np.sqrt(src_w * src_h) / np.sqrt(rw * rh)) / work_scale
    heights = [min(np.ptp([p[1] for p in ln.box]), np.ptp([p[0] for p in ln.box])) for ln in lines if len(ln.text) >= 2]
    text_h = float(np.median(heights) * to_orig) if heights else 0.0
    chars = sum(len(ln.text.strip()) for ln in lines)
    conf = float(np.average([ln.confidence for ln in lines], weights=[len(ln.text) for ln in lines])) if lines else 0.0
    # Blur is judged at the photo's own scale: a small document upscaled by the warp
    # would otherwise look soft however sharp the photo was.
    native = min(1.0, to_orig)
    if native < 0.98:
        g_small = cv2.resize(gray, (max(1, int(gray.shape[1] * native)), max(1, int(gray.shape[0] * native))), interpolation=cv2.INTER_AREA)
        lines_small = [OcrLine(ln.text, ln.confidence, [[x * native, y * native] for x, y in ln.box]) for ln in lines]
    else:
        g_small, lines_small = gray, lines
    chroma = chroma or base_chroma(img)  # the copy's own colour, without a hand stamp's ink on it
    return Measurements(
        occlusion=occlusion_share(img, [ln.box for ln in lines]),
        sharpness=sharpness(g_small, lines_small),
        chroma_p99=chroma.p99,
        chroma_spread=chroma.spread,
        glare_area=glare,
        mean_grey=float(gray.mean()),
        p95_grey=float(np.percentile(gray, 95)),
        text_contrast=_text_contrast(gray, lines),
        text_height_px=text_h,
        doc_short_px=float(min(src_w, src_h) / work_scale),
        border_contact=rect.outline.border_contact,
        area_ratio=rect.outline.area_ratio,
        outline_method=rect.outline.method,
        text_chars=chars,
        mean_confidence=conf,
    )


def check_blur(m: Measurements, kind: str) -> QualityIssue | None:
    if m.sharpness < D.BLUR_SHARPNESS_ERROR:
        return QualityIssue("blur", ERROR, "照片模糊，文字无法可靠识别，请对焦后重拍", m.sharpness)
    return None


def check_glare(m: Measurements, kind: str) -> QualityIssue | None:
    if m.outline_method == "split":
        return None  # cards cut from a copied or scanned sheet: white there is paper, not glare
    if m.glare_area >= D.GLARE_MIN_AREA:
        sev = ERROR if m.glare_area >= 4 * D.GLARE_MIN_AREA else WARNING
        return QualityIssue("glare", sev, "证件有反光，部分文字可能被遮挡，请避开灯光重拍", m.glare_area)
    return None


def check_dark(m: Measurements, kind: str) -> QualityIssue | None:
    # The brightest parts, not the mean: a navy bank card is dark by design, yet its
    # printing and highlights stay bright in good light.
    if m.p95_grey < D.DARK_P95_ERROR:
        return QualityIssue("too_dark", ERROR, "照片过暗，请在光线充足处重拍", m.p95_grey)
    return None


def check_overexposed(m: Measurements, kind: str) -> QualityIssue | None:
    if m.sharpness < D.BLUR_SHARPNESS_ERROR:
        return None  # blur alone flattens the text's contrast
    if m.text_chars >= D.NOT_DOC_MAX_CHARS and m.mean_grey > D.OVEREXPOSED_MEAN and m.text_contrast < D.OVEREXPOSED_TEXT_CONTRAST:
        return QualityIssue("overexposed", ERROR, "照片过曝，文字发白，请降低亮度重拍", m.text_contrast)
    return None


def check_resolution(m: Measurements, kind: str) -> QualityIssue | None:
    if m.text_chars >= D.NOT_DOC_MAX_CHARS and 0 < m.text_height_px < D.LOW_RES_TEXT_PX:
        return QualityIssue("low_resolution", ERROR, "照片分辨率过低，请靠近证件重拍", m.text_height_px)
    return None


def check_cropped(m: Measurements, kind: str) -> QualityIssue | None:
    on_frame = m.border_contact >= D.CROPPED_BORDER_CONTACT
    # An outline from edges is the document's own border. One from colour clustering can
    # also follow a shadow to the frame: trust it when the frame also cuts text, when the
    # document fills the frame edge to edge, or when a small region runs far along the
    # frame (a shadow that reaches the frame spreads the region over most of the photo).
    segment_cut = m.outline_method == "segment" and (
        m.text_at_edge >= 1 or m.area_ratio >= D.CROPPED_FILLS_FRAME
        or (m.border_contact >= D.CROPPED_SEGMENT_CONTACT and m.area_ratio < D.CROPPED_SEGMENT_MAX_AREA))
    outline_cut = on_frame and (m.outline_method == "edges" or segment_cut)
    # Cards keep their text well inside their edges; pages and tables print close to them.
    text_cut = kind in COLOUR_KINDS and m.text_at_edge >= D.CROPPED_TEXT_AT_EDGE
    if outline_cut or text_cut:
        return QualityIssue("document_cropped", ERROR, "证件未完整拍入画面，请将证件四角全部拍入", m.border_contact)
    return None


def check_not_document(m: Measurements, kind: str) -> QualityIssue | None:
    if m.text_chars < D.NOT_DOC_MAX_CHARS and kind == "other":
        return QualityIssue("not_a_document", ERROR, "未在照片中找到证件或文件", float(m.text_chars))
    return None


def check_occluded(m: Measurements, kind: str) -> QualityIssue | None:
    if m.occlusion >= D.OCCLUDED_MIN_SHARE:
        sev = ERROR if m.occlusion >= D.OCCLUDED_ERROR_SHARE else WARNING
        return QualityIssue("occluded", sev, "手指或物体遮挡了证件内容，请移开后重拍", m.occlusion)
    return None


def _grey_copy(m: Measurements) -> bool:
    return m.chroma_spread < D.PHOTOCOPY_MAX_CHROMA_SPREAD and m.chroma_p99 < D.PHOTOCOPY_MAX_CHROMA_P99


def check_photocopy(m: Measurements, kind: str) -> QualityIssue | None:
    if kind in COLOUR_KINDS and _grey_copy(m):
        return QualityIssue("photocopy", WARNING, "该证件为复印件（黑白），请核对原件", m.chroma_spread)
    return None


CHECKS = (
    check_not_document,
    check_cropped,
    check_blur,
    check_glare,
    check_dark,
    check_overexposed,
    check_resolution,
    check_photocopy,
    check_occluded,
)
# screen_recapture is not reported, nor measured per document: the moiré score
# (``extractors.screen``, calibrated by ``bench.calibrate_screen``) separated screens on the
# seed-7 calibration sets, not on the evaluation set — ruled household pages and colour
# copies carry peaks in the same band.


def assess(m: Measurements, kind: str) -> list[QualityIssue]:
    issues = []
    for check in CHECKS:
        issue = check(m, kind)
        if issue is not None:
            issues.append(issue)
    nad = [i for i in issues if i.code == "not_a_document"]
    if not nad:
        return issues
    if m.outline_method == "frame":
        return nad  # no document outline and no text: nothing here is a document
    # a document outline with no readable text: report why it cannot be read
    unreadable = [i for i in issues if i.severity == ERROR and i.code in UNREADABLE_CODES]
    return unreadable or nad
