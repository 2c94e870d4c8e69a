"""Photocopy sheets: ID cards copied (small) onto an A4 page, with stamps and pen notes."""

from __future__ import annotations

import datetime as dt
import math
import random

import cv2
import numpy as np
from PIL import Image

from . import seals
from .artefacts import map_points, photocopy
from .canvas import Rendered

INSURERS = ["国寿", "平安人寿", "太平洋人寿", "泰康人寿", "新华保险", "太平人寿", "友邦", "人保寿险"]


def _stamp_text(rng: random.Random) -> list[str]:
    ins = rng.choice(INSURERS)
    return rng.choice([
        ["复印无效"],
        ["仅供保全使用"],
        [f"仅供{ins}保全使用"],
        [f"仅供办理{ins}业务使用", "他用无效"],
        ["此复印件仅供", "保险业务使用"],
        ["与原件核对无误"],
    ])


def _note_text(rng: random.Random, name: str, when: dt.date) -> list[str]:
    ins = rng.choice(INSURERS)
    first = rng.choice(["与原件一致", "本复印件与原件相符", f"仅供{ins}保全变更使用", "此件仅用于办理保险业务",
                        "复印件仅供保单变更使用"])
    lines = [first]
    if rng.random() < 0.8:
        lines.append(f"{name}  {when.year}.{when.month}.{when.day}")
    return lines


def _placement(rng: random.Random, page_w: int, page_h: int, card_w: float, card_h: float, n: int,
               rots: list[int]) -> list[tuple[float, float]]:
    """Centres of n cards on the page; vertical stack, side by side, or scattered."""
    style = rng.random() if n == 2 else 0.0
    bw = [card_h if r % 180 else card_w for r in rots]
    bh = [card_w if r % 180 else card_h for r in rots]
    if n == 1:
        return [(page_w * rng.uniform(0.3, 0.7), page_h * rng.uniform(0.18, 0.45))]
    if style < 0.6:  # one above the other, the usual copy-shop layout
        cx = page_w * rng.uniform(0.35, 0.65)
        top = page_h * rng.uniform(0.08, 0.2) + bh[0] / 2
        gap = page_h * rng.uniform(0.03, 0.12)
        return [(cx + rng.uniform(-0.03, 0.03) * page_w, top),
                (cx + rng.uniform(-0.03, 0.03) * page_w, top + bh[0] / 2 + gap + bh[1] / 2)]
    if style < 0.85:  # side by side
        cy = page_h * rng.uniform(0.15, 0.35)
        gap = page_w * rng.uniform(0.03, 0.1)
        total = bw[0] + bw[1] + gap
        x0 = (page_w - total) / 2 + rng.uniform(-0.05, 0.05) * page_w
        return [(x0 + bw[0] / 2, cy + rng.uniform(-0.02, 0.02) * page_h),
                (x0 + bw[0] + gap + bw[1] / 2, cy + rng.uniform(-0.02, 0.02) * page_h)]
    return [(page_w * rng.uniform(0.25, 0.45), page_h * rng.uniform(0.12, 0.25)),
            (page_w * rng.uniform(0.55, 0.75), page_h * rng.uniform(0.45, 0.62))]


def _affine(card_w: int, card_h: int, scale: float, deg: float, centre) -> np.ndarray:
    """card pixels -> page pixels: scale, rotate `deg` clockwise about the card centre, move."""
    t = math.radians(deg)
    c, s = math.cos(t), math.sin(t)
    A = np.array([[c * scale, -s * scale, 0], [s * scale, c * scale, 0], [0, 0, 1]])
    A[:2, 2] = np.array(centre) - A[:2, :2] @ np.array([card_w / 2, card_h / 2])
    return A


def copy_sheet(rng: random.Random, cards: list[Rendered], *, kind: str, today: dt.date,
               owner_name: str = "", crop: bool = False) -> Rendered:
    dpi = rng.choice([150, 150, 200, 200, 240])
    W, H = int(round(210 / 25.4 * dpi)), int(round(297 / 25.4 * dpi))
    page = np.full((H, W, 3), 255, np.uint8)
    mask_total = np.zeros((H, W), np.float32)
    frac = rng.uniform(0.26, 0.36) if len(cards) > 1 else rng.uniform(0.36, 0.48)
    card_w = W * frac
    card_h = card_w * 54 / 85.6
    rots = [rng.choices([0, 180, 90, 270], weights=[92, 5, 2, 1])[0] for _ in cards]
    centres = _placement(rng, W, H, card_w, card_h, len(cards), rots)
    placed = []
    for card, rot, centre in zip(cards, rots, centres):
        cw, ch = card.image.size
        scale = card_w / cw
        deg = rot + rng.uniform(-2.5, 2.5)
        A = _affine(cw, ch, scale, deg, centre)
        # downsample first with area averaging so small copies keep their legibility
        src = np.asarray(card.image.convert("RGB"))
        small = cv2.resize(src, (max(1, int(cw * scale)), max(1, int(ch * scale))), interpolation=cv2.INTER_AREA)
        S = np.diag([small.shape[1] / cw, small.shape[0] / ch, 1.0])
        A2 = A @ np.linalg.inv(S)
        corners = np.array(map_points(A, [[0, 0], [cw, 0], [cw, ch], [0, ch]]))
        x0, y0 = (max(0, int(v) - 2) for v in corners.min(axis=0))
        x1, y1 = (int(v) + 3 for v in corners.max(axis=0))
        x1, y1 = min(W, x1), min(H, y1)
        A3 = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]]) @ A2
        bw_, bh_ = x1 - x0, y1 - y0
        warped = cv2.warpAffine(small, A3[:2], (bw_, bh_), flags=cv2.INTER_LINEAR)
        m = np.asarray(card.mask) if card.mask is not None else np.full((ch, cw), 255, np.uint8)
        m_small = cv2.resize(m, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
        mw = cv2.warpAffine(m_small, A3[:2], (bw_, bh_), flags=cv2.INTER_LINEAR).astype(np.float32) / 255
        sub = page[y0:y1, x0:x1].astype(np.float32)
        page[y0:y1, x0:x1] = (sub * (1 - mw[..., None]) + warped * mw[..., None]).astype(np.uint8)
        mask_total[y0:y1, x0:x1] = np.maximum(mask_total[y0:y1, x0:x1], mw)
        placed.append((card, rot, A))
    # the card's edge prints as a dark outline on a copy
    edge = cv2.morphologyEx((mask_total > 0.5).astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    edge = cv2.GaussianBlur(edge.astype(np.float32), (0, 0), 0.8)
    page = (page.astype(np.float32) * (1 - rng.uniform(0.4, 0.8) * np.clip(edge * 2, 0, 1))[..., None]).astype(np.uint8)
    page = photocopy(page, rng)
    img = Image.fromarray(page)
    notes = ["toner_speckle"]
    parts = []
    for card, rot, A in placed:
        cw, ch = card.image.size
        corners = map_points(A, [[0, 0], [cw, 0], [cw, ch], [0, ch]])
        boxes = {k: map_points(A, q) for k, q in card.boxes.items()}
        parts.append({"kind": card.kind, "fields": dict(card.fields), "corners": corners, "rotation": rot,
                      "boxes": boxes, "obscured": {}})
    # a rubber stamp across one of the cards
    stamped = rng.random() < 0.55
    if stamped:
        target = rng.randrange(len(parts))
        part = parts[target]
        ink = seals.stamp_box(rng, "", lines=_stamp_text(rng), height=int(card_h * rng.uniform(0.16, 0.26)))
        if part["kind"] == "id_card_front" and rng.random() < 0.45:
            q = np.array(part["boxes"]["id_number"])
            centre = q.mean(axis=0) + np.array([rng.uniform(-0.15, 0.15) * card_w, rng.uniform(-0.04, 0.04) * card_h])
        else:
            c = np.array(part["corners"]).mean(axis=0)
            centre = c + np.array([rng.uniform(-0.2, 0.2) * card_w, rng.uniform(-0.25, 0.25) * card_h])
        angle = rng.uniform(-25, 25)
        mask = seals.ink_mask_box((W, H), ink, tuple(centre), angle)
        seals.apply_ink(img, ink, tuple(centre), angle)
        for part2 in parts:
            for fname, q in part2["boxes"].items():
                qa = np.array(q)
                box = (qa[:, 0].min(), qa[:, 1].min(), qa[:, 0].max(), qa[:, 1].max())
                if seals.covered_fraction(mask, box) > 0.12:
                    part2["obscured"][fname] = "stamp"
        if any(p["obscured"] for p in parts):
            notes.append("stamp_over_text")
    if rng.random() < 0.4:
        lines = _note_text(rng, owner_name, today - dt.timedelta(days=rng.randint(0, 30)))
        bottom = max(np.array(p["corners"])[:, 1].max() for p in parts)
        y = bottom + H * rng.uniform(0.03, 0.08)
        size = int(H * rng.uniform(0.014, 0.022))
        for line in lines:
            ink = seals.handwriting(rng, line, size=size)
            cx = W * rng.uniform(0.35, 0.6)
            if y + ink.height < H * 0.97:
                seals.apply_ink(img, ink, (cx, y + ink.height / 2))
            y += ink.height * 1.05
        notes.append("handwriting")
    if rng.random() < 0.3:  # the sheet was scanned in grey
        img = img.convert("L").convert("RGB")
    offset = np.eye(3)
    if crop:
        allc = np.array([c for p in parts for c in p["corners"]])
        m = card_w * rng.uniform(0.05, 0.25)
        x0, y0 = max(0, int(allc[:, 0].min() - m)), max(0, int(allc[:, 1].min() - m))
        x1, y1 = min(W, int(allc[:, 0].max() + m)), min(H, int(allc[:, 1].max() + m))
        img = img.crop((x0, y0, x1, y1))
        offset = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64)
        for p in parts:
            p["corners"] = map_points(offset, p["corners"])
            p["boxes"] = {k: map_points(offset, q) for k, q in p["boxes"].items()}
    if kind == "multiple":
        return Rendered(img, "multiple", {}, {}, {}, notes, paper="a4" if not crop else "page", parts=parts, copy=True)
    p = parts[0]
    return Rendered(img, kind, p["fields"], p["boxes"], p["obscured"], notes, paper="a4" if not crop else "page",
                    copy=True, rotation=p["rotation"])
