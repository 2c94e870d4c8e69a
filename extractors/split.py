"""Several documents on one sheet: find every card-sized region, each its own way up.

A policy-servicing desk mostly receives photocopies or scans of an A4 sheet with the
front and back of an ID card (and often a bank card) copied side by side, each side
possibly upside down. We look for card-shaped quadrilaterals (ISO ID-1 aspect 1.586)
of a plausible size relative to the sheet: their copied borders give edges, and their
grey backgrounds stand out from white paper. Each region is then flattened on its own
and goes through orientation, OCR, classification and parsing as a document of its own.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from extractors import defaults
from extractors.preprocess import CARD_RATIO, order_quad

__all__ = ["find_cards"]


def _quad_props(quad: np.ndarray) -> tuple[float, float]:
    q = order_quad(quad)
    w = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    h = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return max(w, h) / max(min(w, h), 1.0), float(cv2.contourArea(q.reshape(-1, 1, 2)))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    pa, pb = a.reshape(-1, 1, 2).astype(np.float32), b.reshape(-1, 1, 2).astype(np.float32)
    inter, _ = cv2.intersectConvexConvex(pa, pb)
    union = cv2.contourArea(pa) + cv2.contourArea(pb) - inter
    return float(inter / union) if union > 0 else 0.0


def _rect_quads(mask: np.ndarray) -> list[tuple[np.ndarray, float]]:
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for cnt in contours:
        area = cv2.contourArea(cnt)
        if area < 50:
            continue
        rect = cv2.minAreaRect(cnt)
        quad = cv2.boxPoints(rect).astype(np.float32)
        qa = rect[1][0] * rect[1][1]
        if qa <= 0:
            continue
        fill = area / qa
        out.append((quad, fill))
    return out


def find_cards(image: np.ndarray) -> list[np.ndarray]:
    """Card-shaped regions (4×2 float32, TL TR BR BL) in ``image``, largest first."""
    h, w = image.shape[:2]
    scale = min(1.0, 1000 / max(h, w))
    small = cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else image
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    sh, sw = gray.shape
    img_area = float(sh * sw)
    cands: list[tuple[np.ndarray, float]] = []
    # 1) non-paper blobs: the card's tinted/grey background and its text, merged.
    bg = cv2.medianBlur(gray, 5)
    paper = float(np.percentile(bg, 90))
    ink = (bg < paper - 10).astype(np.uint8) * 255
    k = max(5, int(min(sh, sw) * 0.02)) | 1
    merged = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    merged = cv2.morphologyEx(merged, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    cands += _rect_quads(merged)
    # 2) edges: the copied border of the card, closed, filled, and opened with a kernel
    # wide enough to cut off what crosses the border (a hand stamp, a finger).
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 12, 36)
    closed = cv2.dilate(edges, np.ones((5, 5), np.uint8), iterations=2)
    # A flattened sheet keeps a sliver of the table along its edges: an edge loop all
    # round the frame that would make the whole sheet one "filled" region. Cards that
    # touch the frame are rejected below anyway, so the frame band holds no card border.
    band = max(2, int(defaults.FRAME_BAND * max(sh, sw)))
    closed[:band], closed[-band:], closed[:, :band], closed[:, -band:] = 0, 0, 0, 0
    outside = closed.copy()
    cv2.floodFill(outside, np.zeros((sh + 2, sw + 2), np.uint8), (0, 0), 255)
    filled = closed | cv2.bitwise_not(outside)
    for share in (0.04, 0.09):  # the wider kernel removes a stamp's filled frame stuck to a card
        k = max(9, int(min(sh, sw) * share)) | 1
        opened = cv2.morphologyEx(filled, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        contours, _ = cv2.findContours(opened, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for cnt in contours:
            rect = cv2.minAreaRect(cnt)
            qa = rect[1][0] * rect[1][1]
            if qa > 0:
                fill = min(1.0, cv2.contourArea(cnt) / qa)
                cands.append((cv2.boxPoints(rect).astype(np.float32), fill))
                if fill < 0.98:
                    trimmed = _trim_protrusions(cnt, rect)
                    if trimmed is not None:
                        cands.append((trimmed, 1.0))
    edge_map = cv2.dilate(closed, np.ones((7, 7), np.uint8))  # the rectangle sits at the band's outer rim
    good: list[tuple[float, np.ndarray]] = []
    margin = 0.01 * max(sh, sw)
    for quad, fill in cands:
        if (quad[:, 0].min() < margin or quad[:, 1].min() < margin
                or quad[:, 0].max() > sw - 1 - margin or quad[:, 1].max() > sh - 1 - margin):
            continue  # cut by the frame: a cropped document, not a card lying on a sheet
        aspect, area = _quad_props(quad)
        ratio = area / img_area
        if not (defaults.MIN_CARD_AREA <= ratio <= defaults.MAX_CARD_AREA):
            continue
        if abs(aspect - CARD_RATIO) > defaults.CARD_ASPECT_TOLERANCE or fill < 0.75:
            continue
        if not _looks_like_card(gray, edge_map, quad, paper):
            continue
        good.append((area * fill, order_quad(quad)))
    for quad in _line_quads(gray):
        aspect, area = _quad_props(quad)
        if defaults.MIN_CARD_AREA <= area / img_area <= defaults.MAX_CARD_AREA and abs(aspect - CARD_RATIO) <= defaults.CARD_ASPECT_TOLERANCE:
            good.append((area, order_quad(quad)))
    good.sort(key=lambda t: -t[0])
    chosen: list[np.ndarray] = []
    for _, quad in good:
        if all(_iou(quad, c) < defaults.MAX_OVERLAP for c in chosen) and not any(_inside(quad, c) for c in chosen):
            chosen.append(quad)
    # reading order: top to bottom, then left to right
    chosen.sort(key=lambda q: (round(float(q[:, 1].min()) / 50), float(q[:, 0].min())))
    return [order_quad(q / scale) for q in chosen]


def _merge_segments(segs: np.ndarray) -> list[tuple[float, float, list[tuple[float, float]]]]:
    """Straight border pieces → lines as (angle in degrees [0, 180), signed offset, the
    stretches along the line that pieces cover), the most drawn first.

    A hand stamp or a fold breaks a card's border into pieces; pieces on one line are one
    border. The offset is the distance of the line from the origin along its normal; a
    stretch is measured along the line's direction from the foot of that normal.
    """
    lines: list[list] = []  # angle, offset, weight, stretches
    lengths = np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])
    for i in np.argsort(-lengths):
        x0, y0, x1, y1 = segs[i]
        ang = float(np.degrees(np.arctan2(y1 - y0, x1 - x0))) % 180.0
        th = np.radians(ang)
        rho = float(-x0 * np.sin(th) + y0 * np.cos(th))
        for ln in lines:
            d = abs(ln[0] - ang)
            if min(d, 180 - d) < defaults.LINE_ANGLE_TOL:
                r = rho if d < 90 else -rho  # the same line seen across the 0/180 wrap
                if abs(ln[1] - r) < 4.0:
                    break
        else:
            ln = [ang, rho, 0.0, []]
            lines.append(ln)
        ln[2] += float(lengths[i])
        c, s_ = np.cos(np.radians(ln[0])), np.sin(np.radians(ln[0]))
        t0, t1 = sorted((x0 * c + y0 * s_, x1 * c + y1 * s_))
        ln[3].append((float(t0), float(t1)))
    lines.sort(key=lambda ln: -ln[2])  # most drawn first: a border outweighs a desk's grain
    return [(a, r, st) for a, r, _, st in lines]


def _covered(line: tuple[float, float, list[tuple[float, float]]], p: np.ndarray, q: np.ndarray) -> float:
    """Share of the side p→q (between its rounded corners) that the line's pieces cover."""
    th = np.radians(line[0])
    c, s = np.cos(th), np.sin(th)
    a, b = sorted((p[0] * c + p[1] * s, q[0] * c + q[1] * s))
    lo, hi = a + 0.1 * (b - a), b - 0.1 * (b - a)
    if hi <= lo:
        return 0.0
    got, end = 0.0, lo
    for t0, t1 in sorted(line[2]):
        t0, t1 = max(t0, end), min(t1, hi)
        if t1 > t0:
            got += t1 - t0
            end = t1
    return got / (hi - lo)


def _intersect(l1, l2) -> np.ndarray | None:
    """Where two lines (angle, offset, …) cross: -x·sin θ + y·cos θ = offset for both."""
    t1, t2 = math.radians(l1[0]), math.radians(l2[0])
    a1, b1, a2, b2 = -math.sin(t1), math.cos(t1), -math.sin(t2), math.cos(t2)
    det = a1 * b2 - a2 * b1
    if abs(det) < 1e-6:
        return None
    return np.array([(l1[1] * b2 - l2[1] * b1) / det, (a1 * l2[1] - a2 * l1[1]) / det])


def _support(edges: np.ndarray, a: np.ndarray, b: np.ndarray, t0: float, t1: float) -> float:
    """Share of the stretch ``t0..t1`` of segment a→b lying on an edge pixel."""
    n = max(8, int(np.linalg.norm(b - a) * (t1 - t0)))
    t = np.linspace(t0, t1, n)[:, None]
    pts = np.rint(a + (b - a) * t).astype(int)
    h, w = edges.shape
    ok = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
    if ok.sum() < n // 2:
        return 0.0
    return float((edges[pts[ok, 1], pts[ok, 0]] > 0).sum() / n)


def _line_quads(gray: np.ndarray) -> list[np.ndarray]:
    """Card outlines drawn by straight borders: four lines at right angles, in the card's
    proportions, each side on an edge along most of its length and ending at the corners.

    Fills and closed contours fail when a stamp's frame crosses the border or a grey copy
    leaves the border faint; the border's straight pieces are still there. A side that
    runs on past its corner belongs to a table or a frame, not a card lying on a sheet.
    """
    sh, sw = gray.shape
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 8, 24)
    band = max(2, int(defaults.FRAME_BAND * max(sh, sw)))
    edges[:band], edges[-band:], edges[:, :band], edges[:, -band:] = 0, 0, 0, 0
    min_len = int(defaults.LINE_MIN_LENGTH * min(sh, sw))
    segs = cv2.HoughLinesP(edges, 1, np.pi / 360, threshold=max(20, min_len // 2), minLineLength=min_len,
                           maxLineGap=max(4, min_len // 6))
    if segs is None:
        return []
    merged = _merge_segments(segs.reshape(-1, 4).astype(np.float64))[:defaults.LINE_MAX]
    if len(merged) < 4:
        return []
    lines = np.array([m[:2] for m in merged], np.float64)
    near = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    img_area = float(sh * sw)
    # parallel pairs (i, j): their angle and distance
    i, j = np.triu_indices(len(lines), 1)
    d = np.abs(lines[i, 0] - lines[j, 0])
    wrap = d >= 90
    par = np.minimum(d, 180 - d) < defaults.LINE_ANGLE_TOL
    dist = np.abs(lines[i, 1] - np.where(wrap, -lines[j, 1], lines[j, 1]))
    keep = par & (dist > 0.05 * min(sh, sw))
    pi, pj, pang, pdist = i[keep], j[keep], lines[i[keep], 0], dist[keep]
    out: list[tuple[float, np.ndarray]] = []
    tried = 0
    for a in range(len(pi)):
        if tried > defaults.LINE_MAX_CANDIDATES:
            break
        da = np.abs(pang[a] - pang) % 180
        perp = np.abs(np.minimum(da, 180 - da) - 90) <= defaults.LINE_ANGLE_TOL
        lo, hi = np.minimum(pdist[a], pdist), np.maximum(pdist[a], pdist)
        ok = perp & (np.abs(hi / np.maximum(lo, 1) - CARD_RATIO) <= defaults.CARD_ASPECT_TOLERANCE)
        area = pdist[a] * pdist / img_area
        ok &= (area >= defaults.MIN_CARD_AREA) & (area <= defaults.MAX_CARD_AREA)
        ok[: a + 1] = False
        for b in np.flatnonzero(ok):
            tried += 1
            if tried > defaults.LINE_MAX_CANDIDATES:
                break
            la, lb, lc, ld = (merged[pi[a]], merged[pj[a]], merged[pi[b]], merged[pj[b]])
            corners = [_intersect(la, lc), _intersect(lc, lb), _intersect(lb, ld), _intersect(ld, la)]
            if any(c is None for c in corners):
                continue
            # cheap first: the border pieces themselves must run along most of each side
            # (their own segments, before the edge map is sampled)
            sides = ((la, corners[3], corners[0]), (lc, corners[0], corners[1]),
                     (lb, corners[1], corners[2]), (ld, corners[2], corners[3]))
            if min(_covered(ln, p, q) for ln, p, q in sides) < defaults.LINE_PIECES_COVER:
                continue
            q = order_quad(np.array(corners, np.float32))
            score = _card_border(near, q)
            if score is not None:
                out.append((score, q))
    # of rectangles sharing a card, the one whose four sides are best drawn
    out.sort(key=lambda t: -t[0])
    kept: list[np.ndarray] = []
    for _, q in out:
        if all(_iou(q, k) < defaults.MAX_OVERLAP and not _inside(q, k) and not _inside(k, q) for k in kept):
            kept.append(q)
    return kept


def _card_border(near: np.ndarray, q: np.ndarray) -> float | None:
    """How well a card's border is drawn (the weakest side's share on an edge), or None
    unless every side lies on an edge between its rounded corners, with plain
    surroundings (a textured desk has edges everywhere), and few sides run on past a
    corner."""
    overhang = 0
    weakest = 1.0
    for s in range(4):
        a, b = q[s].astype(np.float64), q[(s + 1) % 4].astype(np.float64)
        on = _support(near, a, b, 0.1, 0.9)
        if on < defaults.LINE_SIDE_SUPPORT:
            return None
        weakest = min(weakest, on)
        normal = np.array([-(b - a)[1], (b - a)[0]]) / max(np.linalg.norm(b - a), 1e-6)
        off = [_support(near, a + k * normal, b + k * normal, 0.1, 0.9) for k in (-defaults.LINE_OFFSET, defaults.LINE_OFFSET)]
        if on - min(off) < defaults.LINE_CONTRAST:
            return None
        overhang += _support(near, a, b, -0.12, -0.04) > defaults.LINE_OVERHANG
        overhang += _support(near, a, b, 1.04, 1.12) > defaults.LINE_OVERHANG
    if overhang > 2 or _ruled_across(near, q):
        return None
    return weakest


def _ruled_across(near: np.ndarray, q: np.ndarray) -> bool:
    """A line drawn right across the inside, parallel to a side, from one side to the
    other: a table's rule, which no card has (its print is text, a portrait, a logo; a
    long bold number still leaves gaps and stops short of the border). A rule is thin: edges all along
    one row and not a few pixels to either side, where a textured or speckled surface
    (a dark bank card) has edges everywhere."""
    for s in range(2):
        a0, b0 = q[s].astype(np.float64), q[(s + 1) % 4].astype(np.float64)  # one side
        b3, a3 = q[(s + 2) % 4].astype(np.float64), q[(s + 3) % 4].astype(np.float64)  # its opposite
        across = float(np.linalg.norm(a3 - a0))
        if across < 4 * defaults.LINE_OFFSET:
            continue
        dt = defaults.LINE_OFFSET / across
        for t in np.arange(0.12, 0.88, 2.0 / across):
            row = [(a0 + (a3 - a0) * u, b0 + (b3 - b0) * u) for u in (t - dt, t, t + dt)]
            on = _support(near, *row[1], 0.03, 0.97)
            if on >= defaults.RULE_SUPPORT and on - min(_support(near, *row[0], 0.03, 0.97),
                                                        _support(near, *row[2], 0.03, 0.97)) >= defaults.LINE_CONTRAST:
                return True
    return False


def _trim_protrusions(cnt: np.ndarray, rect) -> np.ndarray | None:
    """The rectangle without what sticks out of it (a stamp's frame glued to a card side).

    In the rectangle's own frame, a card fills every column and row to nearly full
    height; columns or rows only partly covered belong to something attached to it.
    """
    (cx, cy), _, angle = rect
    m = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    pts = cv2.transform(cnt.reshape(-1, 1, 2).astype(np.float32), m).reshape(-1, 2)
    x0, y0 = np.floor(pts.min(axis=0)).astype(int)
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int)
    if x1 - x0 < 10 or y1 - y0 < 10:
        return None
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.uint8)
    cv2.fillPoly(mask, [(pts - [x0, y0]).astype(np.int32)], 1)
    cols, rows = mask.mean(axis=0), mask.mean(axis=1)
    keep_c = np.where(cols >= 0.85 * cols.max())[0]
    keep_r = np.where(rows >= 0.85 * rows.max())[0]
    if len(keep_c) < 10 or len(keep_r) < 10:
        return None
    a, b = keep_c[0] + x0, keep_c[-1] + x0
    c, d = keep_r[0] + y0, keep_r[-1] + y0
    box = np.array([[a, c], [b, c], [b, d], [a, d]], np.float32).reshape(-1, 1, 2)
    inv = cv2.invertAffineTransform(m)
    return cv2.transform(box, inv).reshape(4, 2).astype(np.float32)


def _looks_like_card(gray: np.ndarray, edges: np.ndarray, quad: np.ndarray, paper: float) -> bool:
    """A card copy differs from a block of text on paper: its background is tinted or
    grey, or its border is drawn all round. A paragraph has neither."""
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, order_quad(quad).astype(np.int32), 1)
    inside = gray[mask > 0]
    if inside.size and float(np.median(inside)) < paper - 8:
        return True
    q = order_quad(quad)
    sides = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        hits = []
        for t in np.linspace(0.05, 0.95, 40):
            x, y = (a + (b - a) * t).astype(int)
            if 0 <= y < edges.shape[0] and 0 <= x < edges.shape[1]:
                hits.append(edges[y, x] > 0)
        sides.append(float(np.mean(hits)) if hits else 0.0)
    # a border drawn all round, allowing one side lost to a stamp, a fold or the copier
    return sum(v > 0.8 for v in sides) >= 3


def _inside(a: np.ndarray, b: np.ndarray) -> bool:
    """True when quad ``a`` lies mostly inside quad ``b`` (a photo area within a card)."""
    pa, pb = a.reshape(-1, 1, 2).astype(np.float32), b.reshape(-1, 1, 2).astype(np.float32)
    inter, _ = cv2.intersectConvexConvex(pa, pb)
    return inter > 0.6 * min(cv2.contourArea(pa), cv2.contourArea(pb))
