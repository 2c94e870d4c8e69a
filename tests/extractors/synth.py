"""Small deterministic test images for the geometry stages (not the labelled generator).

Rendering here keeps preprocessing tests independent of ``samples.generate``: a plain
card with known text, placed on a textured desk with a known homography.
"""

from __future__ import annotations

import numpy as np
import cv2
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}

CARD_ROWS = [
    "姓名  王建国",
    "性别  男   民族  汉",
    "出生  1985 年 3 月 7 日",
    "住址  北京市朝阳区建国路88号",
    "      院3号楼2单元501室",
]
CARD_NUMBER = "公民身份号码  110105198503071234"


def card(grey: bool = False) -> np.ndarray:
    font = ImageFont.truetype(FONT, 34)
    img = Image.new("RGB", (1012, 638), (226, 232, 240))
    d = ImageDraw.Draw(img)
    for i, row in enumerate(CARD_ROWS):
        d.text((60, 50 + i * 80), row, font=font, fill=(20, 20, 20))
    d.text((60, 540), CARD_NUMBER, font=font, fill=(10, 10, 10))
    d.rectangle((740, 80, 960, 380), fill=(190, 190, 200))
    d.rectangle((0, 0, 1011, 637), outline=(150, 150, 160), width=3)
    out = cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)
    if grey:
        out = cv2.cvtColor(cv2.cvtColor(out, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    return out


def rotate(img: np.ndarray, deg: int) -> np.ndarray:
    return img if deg % 360 == 0 else cv2.rotate(img, ROTATE[deg % 360])


def desk_photo(doc: np.ndarray, deg: int = 0, seed: int = 0, scale: float = 0.9,
               size: tuple[int, int] = (1600, 1200), offset: tuple[int, int] = (0, 0)) -> tuple[np.ndarray, np.ndarray]:
    """``doc`` tilted on a textured desk, then the whole photo turned ``deg`` clockwise.

    Returns the photo and the document's corners in it (TL, TR, BR, BL of the document).
    """
    rng = np.random.default_rng(seed)
    W, H = size
    bg = rng.normal(110, 25, (H, W, 3)).clip(0, 255).astype(np.uint8)
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = (bg * np.array([0.55, 0.75, 1.0])).astype(np.uint8)
    h, w = doc.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    cx, cy = W / 2 + offset[0], H / 2 + offset[1]
    j = rng.uniform(-30, 30, (4, 2))
    dst = np.float32([[cx - w * scale / 2, cy - h * scale / 2], [cx + w * scale / 2, cy - h * scale / 2],
                      [cx + w * scale / 2, cy + h * scale / 2], [cx - w * scale / 2, cy + h * scale / 2]]) + j.astype(np.float32)
    M = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(doc, M, (W, H))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), M, (W, H))
    out = np.where(mask[..., None] > 0, warped, bg)
    corners = dst
    if deg:
        out = rotate(out, deg)
        # map the corners with the same rotation
        if deg == 90:
            corners = np.stack([H - 1 - dst[:, 1], dst[:, 0]], axis=1)
        elif deg == 180:
            corners = np.stack([W - 1 - dst[:, 0], H - 1 - dst[:, 1]], axis=1)
        elif deg == 270:
            corners = np.stack([dst[:, 1], W - 1 - dst[:, 0]], axis=1)
    return out, corners


def a4_sheet(parts: list[tuple[np.ndarray, int, tuple[int, int]]], seed: int = 0) -> np.ndarray:
    """Grey A4 copy (1240×1754) with each part pasted at (x, y) turned ``deg`` clockwise."""
    page = np.full((1754, 1240, 3), 248, np.uint8)
    for img, deg, (x, y) in parts:
        g = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
        g = cv2.resize(g, (700, 441))
        g = rotate(g, deg)
        h, w = g.shape[:2]
        page[y:y + h, x:x + w] = g
    noise = np.random.default_rng(seed).normal(0, 5, page.shape)
    return np.clip(page + noise, 0, 255).astype(np.uint8)


def encode(img: np.ndarray, ext: str = ".jpg") -> bytes:
    ok, buf = cv2.imencode(ext, img)
    assert ok
    return buf.tobytes()
