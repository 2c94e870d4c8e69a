"""Find the document in a photo, flatten it, and keep the transform.

Phone photos show a card or a page at an angle on a desk. We look for the document's
outline (edges first, then a colour/brightness segmentation for low-contrast desks),
warp it to a rectangle of a standard size for its shape, and keep the homography so
every OCR box maps back onto the photo the agent took. Orientation (0/90/180/270) is
decided later from the text itself (``extractors.orientation``) and composed into the
same transform.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from extractors import defaults

__all__ = ["Rectified", "find_document", "frame_is_a4", "rectify", "order_quad", "CARD_RATIO", "A4_RATIO"]

CARD_RATIO = 85.6 / 54.0  # ISO/IEC 7810 ID-1: ID cards and bank cards
A4_RATIO = 297.0 / 210.0


@dataclass
class DocumentOutline:
    quad: np.ndarray | None  # 4×2 float32 TL, TR, BR, BL in the input image's pixels
    area_ratio: float  # outline area / image area
    border_contact: float  # share of the outline's perimeter lying on the image border
    method: str  # "edges", "segment", or "frame" (no outline: the document fills the frame)
    mask: np.ndarray | None = None  # document mask at detection scale (for quality checks)


@dataclass
class Rectified:
    image: np.ndarray  # the flattened document, BGR
    matrix: np.ndarray  # 3×3: input-image pixels → rectified pixels
    outline: DocumentOutline
    shape_class: str  # "card", "page" or "free"
    rotation: int = 0  # degrees clockwise applied after warping (from orientation)
    notes: dict = field(default_factory=dict)

    def to_original(self, points) -> list[list[float]]:
        """Map points on the rectified image back onto the input image."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 1, 2)
        inv = np.linalg.inv(self.matrix)
        return cv2.perspectiveTransform(pts, inv).reshape(-1, 2).tolist()

    def upright_rotation(self) -> int:
        """Degrees the input must turn clockwise to read upright (0/90/180/270).

        Read off the transform rather than counted, since ordering the outline's corners
        can itself turn the document by a quarter.
        """
        h, w = self.image.shape[:2]
        a, b = self.to_original([[w / 2, h / 2], [w / 2 + 10, h / 2]])
        angle = np.degrees(np.arctan2(b[1] - a[1], b[0] - a[0]))
        input_rotation = int(round(angle / 90.0)) * 90 % 360
        return (360 - input_rotation) % 360

    def rotated(self, degrees: int) -> "Rectified":
        """The same document turned ``degrees`` clockwise (90/180/270), transform updated."""
        degrees %= 360
        if degrees == 0:
            return self
        h, w = self.image.shape[:2]
        codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
        image = cv2.rotate(self.image, codes[degrees])
        if degrees == 90:
            rot = np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64)
        elif degrees == 180:
            rot = np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64)
        else:
            rot = np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=np.float64)
        return Rectified(
            image=image,
            matrix=rot @ self.matrix,
            outline=self.outline,
            shape_class=self.shape_class,
            rotation=(self.rotation + degrees) % 360,
            notes=dict(self.notes),
        )


def order_quad(pts: np.ndarray) -> np.ndarray:
    """Order four points TL, TR, BR, BL (by angle around the centroid)."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # from -pi: TL-ish first when going clockwise in image coords
    # rotate so that the first point is the one with the smallest x+y
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def _quad_from_contour(cnt: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(cnt)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    rect = cv2.minAreaRect(hull)
    return cv2.boxPoints(rect).astype(np.float32)


def _border_contact(cnt: np.ndarray, w: int, h: int, margin: int = 3) -> float:
    pts = cnt.reshape(-1, 2)
    if len(pts) < 2:
        return 0.0
    on = (pts[:, 0] <= margin) | (pts[:, 0] >= w - 1 - margin) | (pts[:, 1] <= margin) | (pts[:, 1] >= h - 1 - margin)
    seg = np.roll(pts, -1, axis=0) - pts
    lengths = np.hypot(seg[:, 0], seg[:, 1])
    both = on & np.roll(on, -1)
    total = lengths.sum()
    return float(lengths[both].sum() / total) if total else 0.0


def _score(quad: np.ndarray, cnt_area: float, img_area: float) -> float:
    qa = cv2.contourArea(quad.reshape(-1, 1, 2))
    if qa <= 0:
        return 0.0
    ratio = qa / img_area
    if ratio < 0.08 or ratio > 0.995:
        return 0.0
    fill = min(cnt_area / qa, qa / max(cnt_area, 1))
    q = order_quad(quad)
    wtop, wbot = np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3])
    hl, hr = np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1])
    w, hgt = (wtop + wbot) / 2, (hl + hr) / 2
    if min(w, hgt) < 10:
        return 0.0
    aspect = max(w, hgt) / min(w, hgt)
    shape = 1.0 if aspect < 2.2 else 0.5
    parallel = min(wtop, wbot) / max(wtop, wbot) * min(hl, hr) / max(hl, hr)
    return ratio * fill * shape * (0.5 + 0.5 * parallel)


def _candidates_edges(gray: np.ndarray) -> list[np.ndarray]:
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    med = float(np.median(blur))
    lo, hi = int(max(0, 0.66 * med)), int(min(255, 1.33 * med))
    edges = cv2.Canny(blur, max(10, lo // 2), max(30, hi // 2))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2)
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return sorted(contours, key=cv2.contourArea, reverse=True)[:5]


def _candidates_segment(small: np.ndarray) -> list[np.ndarray]:
    """Documents are flatter and usually lighter or differently coloured than the desk:
    cluster Lab colours into two groups and take the group under the image centre."""
    h0, w0 = small.shape[:2]
    f = min(1.0, defaults.SEGMENT_LONG_SIDE / max(h0, w0))
    small = cv2.resize(small, (max(1, int(w0 * f)), max(1, int(h0 * f))), interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    # k-means++ seeds from OpenCV's per-thread generator: without a fixed seed the outline
    # of the same photo depended on what the process had done before (CLI vs worker)
    cv2.setRNGSeed(defaults.SEGMENT_SEED)
    _, labels, _ = cv2.kmeans(lab, 2, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    labels = labels.reshape(h, w).astype(np.uint8)
    cy, cx = h // 2, w // 2
    centre = labels[cy - h // 8 : cy + h // 8, cx - w // 8 : cx + w // 8]
    doc_label = int(np.bincount(centre.ravel(), minlength=2).argmax())
    mask = (labels == doc_label).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contours = sorted(contours, key=cv2.contourArea, reverse=True)[:3]
    return [(c.astype(np.float32) / f).astype(np.int32) for c in contours]


def find_document(image: np.ndarray) -> DocumentOutline:
    """The document's outline in ``image`` (or the whole frame when none stands out)."""
    h, w = image.shape[:2]
    scale = defaults.OUTLINE_DETECT_LONG_SIDE / max(h, w)
    small = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else image.copy()
    if scale >= 1:
        scale = 1.0
    sh, sw = small.shape[:2]
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    img_area = float(sh * sw)
    scored: list[tuple[float, np.ndarray, np.ndarray, str]] = []
    for method, cands in (("edges", _candidates_edges(gray)), ("segment", _candidates_segment(small))):
        for cnt in cands:
            area = cv2.contourArea(cnt)
            if area < 0.08 * img_area:
                continue
            quad = _quad_from_contour(cnt)
            s = _score(quad, area, img_area)
            if s > 0:
                scored.append((s, quad, cnt, method))
    if not scored:
        return DocumentOutline(quad=None, area_ratio=1.0, border_contact=0.0, method="frame")
    scored.sort(key=lambda t: -t[0])
    _, quad, cnt, method = scored[0]
    contact = _border_contact(cnt, sw, sh)
    if contact > 0.7:
        # The best region runs along the frame: a scan, a photo filled by the document, or
        # a busy desk clustered with the frame. A clean outline lying well inside the
        # frame is then the document (the caller checks that it holds the text).
        inside = [c for c in scored[1:] if c[0] >= defaults.FRAMED_MIN_SCORE and _border_contact(c[2], sw, sh) < 0.02
                  and cv2.contourArea(c[1].reshape(-1, 1, 2)) <= defaults.FRAMED_MAX_AREA * img_area]
        if inside:
            _, quad, cnt, method = inside[0]
            contact = _border_contact(cnt, sw, sh)
    if contact > 0.7 or (contact > 0.02 and _frame_is_document(w, h)):
        # Mostly along the frame: the region is the frame (a scan, or a photo filled by
        # the document), not a document lying in it.
        # Or a flat scan whose frame has the document's own proportions, and the "outline"
        # touching its edge is a region on the document.
        return DocumentOutline(quad=None, area_ratio=1.0, border_contact=0.0, method="frame")
    quad_full = order_quad(quad / scale)
    mask = np.zeros((sh, sw), np.uint8)
    cv2.drawContours(mask, [cnt], -1, 255, -1)
    return DocumentOutline(
        quad=quad_full,
        area_ratio=float(cv2.contourArea(quad.reshape(-1, 1, 2)) / img_area),
        border_contact=contact,
        method=method,
        mask=mask,
    )


def frame_is_a4(w: int, h: int) -> bool:
    """The frame itself has A4 proportions: a scan or a PDF page, not a photo."""
    return abs(max(w, h) / max(min(w, h), 1) - A4_RATIO) < 0.03


def _frame_is_document(w: int, h: int) -> bool:
    aspect = max(w, h) / max(min(w, h), 1)
    return abs(aspect - CARD_RATIO) < 0.05 or frame_is_a4(w, h)


def _target_size(w: float, h: float) -> tuple[int, int, str]:
    long_, short = max(w, h), min(w, h)
    aspect = long_ / max(short, 1.0)
    landscape = w >= h
    if abs(aspect - CARD_RATIO) < 0.16:
        L, S, cls = defaults.CARD_LONG_SIDE, int(round(defaults.CARD_LONG_SIDE / CARD_RATIO)), "card"
    elif abs(aspect - A4_RATIO) < 0.08:
        L, S, cls = defaults.PAGE_LONG_SIDE, int(round(defaults.PAGE_LONG_SIDE / A4_RATIO)), "page"
    else:
        L = int(min(max(long_, 1000), defaults.WORK_LONG_SIDE))
        S, cls = int(round(L / aspect)), "free"
    return (L, S, cls) if landscape else (S, L, cls)


def rectify(image: np.ndarray, outline: DocumentOutline | None = None, *,
            original: np.ndarray | None = None, scale: float = 1.0) -> Rectified:
    """Warp the document to an upright-or-rotated rectangle of a standard size.

    ``image`` is the working copy the outline was found on. When the photo itself is
    given as ``original`` (with ``image = original`` resized by ``scale``), the pixels are
    taken from it: a card on a copied sheet in a 12-megapixel photo keeps its small print,
    which the working copy has already averaged away. ``matrix`` still maps working-copy
    points, so everything downstream is unchanged.
    """
    outline = outline or find_document(image)
    h, w = image.shape[:2]
    if outline.quad is None:
        quad = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    else:
        quad = outline.quad.astype(np.float32)
    q = quad
    width = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    height = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    tw, th, cls = _target_size(width, height)
    if outline.quad is None and cls == "free":
        # No outline: a flat scan or a screenshot. Keep its own scale, within bounds.
        s = min(1.0, defaults.WORK_LONG_SIDE / max(w, h))
        if max(w, h) * s < 1000:
            s = 1000 / max(w, h)
        tw, th = int(round(w * s)), int(round(h * s))
    dst = np.array([[0, 0], [tw - 1, 0], [tw - 1, th - 1], [0, th - 1]], dtype=np.float32)
    # sample from the photo when given: work → rect equals photo → rect after ×(1/k)
    src, k = (original, scale) if original is not None and scale < 1.0 else (image, 1.0)
    m_src = cv2.getPerspectiveTransform((quad / k).astype(np.float32), dst)
    interp = cv2.INTER_AREA if tw * th < width * height / (k * k) else cv2.INTER_CUBIC
    warped = cv2.warpPerspective(src, m_src, (tw, th), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    m = m_src @ np.diag([1.0 / k, 1.0 / k, 1.0])
    m /= m[2, 2]
    return Rectified(image=warped, matrix=m.astype(np.float64), outline=outline, shape_class=cls,
                     notes={"source_px": (float(width), float(height))})
