"""Several documents in one file: both ID sides photocopied on one A4 page, an ID card
beside a bank card, a two-page scan with one side per page.

Truth: ``{"kind": "multiple", "fields": {}, "parts": [{"kind", "fields", "boxes",
"region", "orientation", "upright_rotation", "page"}], "degradations": [...]}``; a part's
``region`` lists the document's own corners (its top-left, top-right, bottom-right,
bottom-left) in page pixels, so it also tells the part's orientation.
"""

from __future__ import annotations

import copy
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import fonts
from . import identities as ids
from .photo import map_points, photocopy
from .render import render_document

__all__ = ["render_sheet", "render_two_page_scan", "SHEET_LAYOUTS"]

SHEET_LAYOUTS = ("id_both", "id_bank")
A4_150 = (1240, 1754)


def _rot(img: np.ndarray, orientation: int):
    """Rotate clockwise by orientation; returns image and the 3x3 point transform."""
    h, w = img.shape[:2]
    k = (orientation // 90) % 4
    out = np.ascontiguousarray(np.rot90(img, -k))
    if k == 0:
        M = np.eye(3)
    elif k == 1:   # clockwise 90: (x, y) -> (h - y, x)
        M = np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], float)
    elif k == 2:
        M = np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float)
    else:          # 270: (x, y) -> (y, w - x)
        M = np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], float)
    return out, M


def _place(page: np.ndarray, doc: np.ndarray, truth: dict, x: int, y: int, scale: float, orientation: int,
           page_no: int = 1) -> dict:
    h, w = doc.shape[:2]
    nw, nh = int(round(w * scale)), int(round(h * scale))
    small = cv2.resize(doc, (nw, nh), interpolation=cv2.INTER_AREA)
    rot, R = _rot(small, orientation)
    rh, rw = rot.shape[:2]
    # a copied card shows as a slightly grey rounded rectangle with a visible edge
    rot = (rot.astype(np.float32) * 0.94).astype(np.uint8)
    page[y:y + rh, x:x + rw] = rot
    r = max(6, int(min(rw, rh) * 0.05))
    cv2.rectangle(page, (x + r, y), (x + rw - r, y + rh - 1), (150, 150, 150), 2)
    cv2.rectangle(page, (x, y + r), (x + rw - 1, y + rh - r), (150, 150, 150), 2)
    for cx_, cy_, a0 in ((x + r, y + r, 180), (x + rw - r - 1, y + r, 270), (x + rw - r - 1, y + rh - r - 1, 0),
                         (x + r, y + rh - r - 1, 90)):
        cv2.ellipse(page, (cx_, cy_), (r, r), a0, 0, 90, (150, 150, 150), 2)
    page[y + 3:y + rh - 3, x + 3:x + rw - 3] = rot[3:-3, 3:-3]
    corner = np.zeros((rh, rw), np.uint8)
    cv2.rectangle(corner, (r, 0), (rw - r, rh), 1, -1)
    cv2.rectangle(corner, (0, r), (rw, rh - r), 1, -1)
    for cx_, cy_ in ((r, r), (rw - r - 1, r), (rw - r - 1, rh - r - 1), (r, rh - r - 1)):
        cv2.circle(corner, (cx_, cy_), r, 1, -1)
    sub = page[y:y + rh, x:x + rw]
    sub[corner == 0] = 250
    S = np.diag([nw / w, nh / h, 1.0])
    T = np.array([[1, 0, x], [0, 1, y], [0, 0, 1]], float)
    M = T @ R @ S
    part = {"kind": truth["kind"], "fields": copy.deepcopy(truth["fields"]),
            "boxes": {k: map_points(v, M) for k, v in truth.get("boxes", {}).items()},
            "region": map_points([[0, 0], [w, 0], [w, h], [0, h]], M),
            "orientation": orientation, "upright_rotation": (360 - orientation) % 360, "page": page_no}
    for k in ("absent_fields", "inconsistent", "card_type_printed"):
        if k in truth:
            part[k] = truth[k]
    return part


#: hand-stamp inks (RGB): mostly red or blue pads; grey when the stamped page was copied again
STAMP_INKS = {"red": ((200, 40, 40), (190, 30, 60)), "blue": ((40, 60, 180),), "grey": ((110, 110, 110),)}
STAMP_INK_WEIGHTS = {"red": 0.5, "blue": 0.2, "grey": 0.3}


def _stamp(page_rgb: Image.Image, rng: random.Random, part: dict, over_address: bool, ink: str | None = None) -> dict:
    text = rng.choice(("复印无效", "仅供办理保全使用", "再复印无效", "仅供办理保全业务使用 他用无效"))
    ink = ink or rng.choices(list(STAMP_INK_WEIGHTS), weights=list(STAMP_INK_WEIGHTS.values()))[0]
    color = rng.choice(STAMP_INKS[ink])
    reg = np.asarray(part["region"], float)
    if over_address and "address" in part["boxes"]:
        c = np.asarray(part["boxes"]["address"], float).mean(axis=0)
    else:
        c = reg.mean(axis=0) + rng.uniform(-0.15, 0.15) * (reg.max(axis=0) - reg.min(axis=0))
    side = float(np.linalg.norm(reg[1] - reg[0]))
    size = int(max(28, side * 0.9 / max(4, len(text))))
    ft = fonts.font(rng.choice(("bold", "kai", "sans")), size, rng, text)
    tw = int(ft.getlength(text)) + 20
    layer = Image.new("L", (tw + 20, size * 2 + 20), 0)
    d = ImageDraw.Draw(layer)
    d.text((20, size // 2 + 10), text, font=ft, fill=255)
    if rng.random() < 0.6:
        d.rectangle((6, 6, tw + 14, size * 2 + 14), outline=255, width=max(3, size // 12))
    ang = rng.uniform(-35, 35)
    layer = layer.rotate(ang, expand=True, resample=Image.BICUBIC)
    a = np.asarray(layer, np.float32) / 255 * rng.uniform(0.55, 0.8)
    x0, y0 = int(c[0] - layer.width / 2), int(c[1] - layer.height / 2)
    arr = np.asarray(page_rgb, np.float32).copy()
    H, W = arr.shape[:2]
    sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(W, x0 + layer.width), min(H, y0 + layer.height)
    if sx1 > sx0 and sy1 > sy0:
        aa = a[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0, None]
        reg_ = arr[sy0:sy1, sx0:sx1]
        reg_[:] = reg_ * (1 - aa) + np.minimum(reg_, np.array(color, np.float32)) * aa
    page_rgb.paste(Image.fromarray(arr.clip(0, 255).astype(np.uint8)))
    box = [[x0, y0], [x0 + layer.width, y0], [x0 + layer.width, y0 + layer.height], [x0, y0 + layer.height]]
    return {"text": text, "color": ink, "angle_deg": round(ang, 1),
            "box": [[float(x), float(y)] for x, y in box], "over_address": bool(over_address and "address" in part["boxes"])}


def _layout_slots(rng: random.Random, sizes: list[tuple[int, int]], W: int, H: int):
    """Random non-overlapping positions for rotated card sizes (top half / bottom half)."""
    out = []
    n = len(sizes)
    band = H / n
    for i, (w, h) in enumerate(sizes):
        y_lo = int(band * i + 40)
        y_hi = int(band * (i + 1) - h - 40)
        x = rng.randint(60, max(60, W - w - 60))
        y = rng.randint(y_lo, max(y_lo, y_hi))
        out.append((x, y))
    return out


def render_sheet(rng: random.Random | int, identity: ids.Identity | None = None, *, layout: str | None = None,
                 stamp: bool | None = None, grey: bool | None = None, orientations=None, card=None,
                 scale: float | None = None, stamp_over_address: bool | None = None,
                 stamp_part: int | None = None, stamp_ink: str | None = None):
    """An A4 photocopy with two documents on it: returns (BGR page, truth).

    The copy is made first and the hand stamp goes on the copy, as at a servicing desk;
    ``stamp_ink`` is ``red``, ``blue`` or ``grey`` (a stamped page copied again).
    ``stamp_over_address`` / ``stamp_part`` / ``stamp_ink`` pin the stamp (tests use them).
    """
    if isinstance(rng, int):
        rng = random.Random(rng)
    layout = layout or rng.choice(SHEET_LAYOUTS)
    p = identity or ids.make_identity(rng)
    docs = [render_document("id_card_front", rng, p)]
    if layout == "id_both":
        docs.append(render_document("id_card_back", rng, p))
    else:
        docs.append(render_document("bank_card", rng, p, card=card, print_holder=rng.random() < 0.5))
    if rng.random() < 0.5 and layout == "id_bank" and rng.random() < 0.3:
        docs.reverse()  # the bank card on top
    W, H = A4_150
    if orientations is None:
        orientations = [rng.choice((0, 0, 0, 90, 180, 270)) for _ in docs]
    scale = scale or rng.uniform(0.55, 0.78)  # the 1012-px card (300 dpi) → 150 dpi is 0.5
    sizes = []
    for (img, _t), o in zip(docs, orientations):
        h, w = img.shape[:2]
        w2, h2 = int(round(w * scale)), int(round(h * scale))
        sizes.append((w2, h2) if o in (0, 180) else (h2, w2))
    slots = _layout_slots(rng, sizes, W, H)
    page = np.full((H, W, 3), 250, np.uint8)
    parts = [_place(page, img, t, x, y, scale, o) for (img, t), o, (x, y) in zip(docs, orientations, slots)]
    extra: dict = {}
    if stamp is None:
        stamp = rng.random() < 0.5
    if grey is None:
        grey = rng.random() < 0.8
    degs = []
    if grey:  # copied first, then stamped by hand on the copy
        page = photocopy(page, rng)
        degs.append("photocopy")
    if stamp:
        pil = Image.fromarray(page[:, :, ::-1])
        target = rng.randrange(len(parts)) if stamp_part is None else stamp_part
        over = rng.random() < 0.5 if stamp_over_address is None else stamp_over_address
        extra["stamp"] = _stamp(pil, rng, parts[target], over_address=over, ink=stamp_ink)
        extra["stamp"]["part"] = target
        page = np.asarray(pil)[:, :, ::-1].copy()
    truth = {"kind": "multiple", "fields": {}, "parts": parts, "layout": layout, "size": [W, H],
             "degradations": degs, "degradation_params": {d: {"strength": "strong"} for d in degs},
             "expected_quality": ["photocopy"] if grey else [], "orientation": 0, "upright_rotation": 0,
             "document_quad": [[0.0, 0.0], [float(W), 0.0], [float(W), float(H)], [0.0, float(H)]],
             "source": "scan"}
    truth.update(extra)
    return page, truth


def render_two_page_scan(rng: random.Random | int, identity: ids.Identity | None = None, *, grey: bool | None = None):
    """ID front on page 1, back on page 2 (each on an A4 copy): returns ([BGR pages], truth)."""
    if isinstance(rng, int):
        rng = random.Random(rng)
    p = identity or ids.make_identity(rng)
    pages, parts = [], []
    if grey is None:
        grey = rng.random() < 0.7
    W, H = A4_150
    for i, kind in enumerate(("id_card_front", "id_card_back")):
        img, t = render_document(kind, rng, p)
        o = rng.choice((0, 0, 0, 180, 90))
        scale = rng.uniform(0.6, 0.9)
        h, w = img.shape[:2]
        sz = (int(w * scale), int(h * scale)) if o in (0, 180) else (int(h * scale), int(w * scale))
        x = rng.randint(80, W - sz[0] - 80)
        y = rng.randint(100, H // 2)
        page = np.full((H, W, 3), 250, np.uint8)
        parts.append(_place(page, img, t, x, y, scale, o, page_no=i + 1))
        if grey:
            page = photocopy(page, rng)
        pages.append(page)
    truth = {"kind": "multiple", "fields": {}, "parts": parts, "layout": "two_page_scan", "pages": 2, "dpi": 150,
             "size": [W, H], "degradations": ["photocopy"] if grey else [],
             "degradation_params": {"photocopy": {"strength": "strong"}} if grey else {},
             "expected_quality": ["photocopy"] if grey else [], "source": "scan"}
    return pages, truth
