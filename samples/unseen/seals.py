"""Ink marks laid over a page: round red seals, rectangular stamps, handwriting.

Everything is drawn on an RGBA layer and multiplied onto the page, the way ink darkens paper
without hiding the toner beneath it.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts
from .canvas import Box

SEAL_REDS = [(222, 38, 30), (230, 60, 40), (205, 20, 35), (214, 40, 70), (196, 24, 88),
             (235, 80, 50), (190, 30, 40), (225, 30, 60)]


def seal_colour(rng: random.Random):
    c = rng.choice(SEAL_REDS)
    return tuple(max(0, min(255, v + rng.randint(-10, 10))) for v in c)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill) -> None:
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=fill)


def _glyph(ch: str, font, colour) -> Image.Image:
    bbox = font.getbbox(ch)
    w, h = bbox[2] - bbox[0] + 4, bbox[3] - bbox[1] + 4
    im = Image.new("RGBA", (max(1, w), max(1, h)), (0, 0, 0, 0))
    ImageDraw.Draw(im).text((2 - bbox[0], 2 - bbox[1]), ch, font=font, fill=colour)
    return im


def _arc_text(layer: Image.Image, text: str, cx: float, cy: float, radius: float, font, colour,
              span_deg: float, bottom: bool = False) -> None:
    n = len(text)
    if n == 0:
        return
    step = span_deg / max(1, n - 1) if n > 1 else 0
    start = -90 - span_deg / 2 if not bottom else 90 + span_deg / 2
    for i, ch in enumerate(text):
        ang = start + (i * step if not bottom else -i * step)
        a = math.radians(ang)
        g = _glyph(ch, font, colour)
        rot = -(ang + 90) if not bottom else -(ang - 90)
        g = g.rotate(rot, resample=Image.BICUBIC, expand=True)
        x = cx + radius * math.cos(a) - g.width / 2
        y = cy + radius * math.sin(a) - g.height / 2
        layer.alpha_composite(g, (int(round(x)), int(round(y))))


def round_seal(rng: random.Random, arc: str, centre_text: str = "", *, diameter: int = 300,
               colour=None, code: str = "", ring: float | None = None, star: bool = True,
               oval: bool = False) -> Image.Image:
    """A Chinese company/authority seal: ring, arc text, star, optional horizontal text."""
    colour = colour or seal_colour(rng)
    d = int(diameter)
    layer = Image.new("RGBA", (d, d), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    ring_w = max(2, int(d * (ring if ring is not None else rng.uniform(0.025, 0.055))))
    pad = ring_w // 2 + 2
    draw.ellipse((pad, pad, d - pad, d - pad), outline=colour + (255,), width=ring_w)
    if rng.random() < 0.2:  # an inner thin ring
        q = pad + ring_w + max(2, d // 60)
        draw.ellipse((q, q, d - q, d - q), outline=colour + (255,), width=max(1, ring_w // 3))
    c = d / 2
    face = fonts.pick(rng, rng.choice(["serif_bold", "sans_bold", "serif", "kai"]))
    n = max(1, len(arc))
    span = min(260.0, 150 + 8 * n)
    arc_r = c - ring_w - d * 0.11
    size = min(d * 0.16, 2 * math.pi * arc_r * span / 360 / n * 0.92)
    f = fonts.font(face, size)
    _arc_text(layer, arc, c, c, arc_r, f, colour + (255,), span)
    if star:
        _star(draw, c, c, d * rng.uniform(0.13, 0.17), colour + (255,))
    if centre_text:
        f2 = fonts.font(face, min(d * 0.11, d * 0.62 / max(1, len(centre_text))))
        tw = f2.getlength(centre_text)
        draw.text((c - tw / 2, c + d * 0.23), centre_text, font=f2, fill=colour + (255,), anchor="ls")
    if code:
        f3 = fonts.font(fonts.pick(rng, "latin_sans"), d * 0.055)
        _arc_text(layer, code, c, c, c - ring_w - d * 0.05, f3, colour + (255,), 70, bottom=True)
    if oval:
        layer = layer.resize((d, int(d * 0.72)), Image.BICUBIC)
    return ink_texture(rng, layer)


def ink_texture(rng: random.Random, layer: Image.Image, faded: float | None = None) -> Image.Image:
    """Uneven ink: dropouts, pressure gradient and a slight bleed."""
    a = np.asarray(layer.getchannel("A")).astype(np.float32) / 255
    h, w = a.shape
    nrng = np.random.default_rng(rng.randrange(2**32))
    faded = rng.uniform(0.0, 0.55) if faded is None else faded
    small = nrng.random((max(2, h // 9), max(2, w // 9))).astype(np.float32)
    blotch = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    fine = nrng.random((h, w)).astype(np.float32)
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    ang = rng.uniform(0, 2 * math.pi)
    pressure = 0.5 + 0.5 * (gx * math.cos(ang) + gy * math.sin(ang))  # one side pressed harder
    keep = 1 - faded * (0.6 * blotch + 0.4 * pressure)
    keep = np.where(fine < 0.08 * (1 + 3 * faded), keep * 0.3, keep)
    a2 = np.clip(a * keep * rng.uniform(0.78, 0.97), 0, 1)
    a2 = cv2.GaussianBlur(a2, (0, 0), 0.6)
    out = layer.copy()
    out.putalpha(Image.fromarray((a2 * 255).astype(np.uint8)))
    return out


def stamp_box(rng: random.Random, text: str, *, height: int = 80, colour=None,
              lines: list[str] | None = None, double: bool | None = None) -> Image.Image:
    """A rectangular rubber stamp such as 复印无效 or 仅供XX保全使用."""
    colour = colour or seal_colour(rng)
    rows = lines or [text]
    face = fonts.pick(rng, rng.choice(["sans_bold", "serif_bold", "kai"]))
    f = fonts.font(face, height * (0.62 if len(rows) == 1 else 0.42))
    tw = max(f.getlength(r) for r in rows)
    pad = height * 0.22
    w = int(tw + 2 * pad)
    h = int(height if len(rows) == 1 else height * 1.1)
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    bw = max(2, height // 18)
    draw.rectangle((bw, bw, w - bw - 1, h - bw - 1), outline=colour + (255,), width=bw)
    if double if double is not None else rng.random() < 0.3:
        q = bw * 3
        draw.rectangle((q, q, w - q - 1, h - q - 1), outline=colour + (255,), width=max(1, bw // 2))
    step = h / (len(rows) + 1)
    for i, r in enumerate(rows):
        rw = f.getlength(r)
        draw.text(((w - rw) / 2, step * (i + 1)), r, font=f, fill=colour + (255,), anchor="lm")
    return ink_texture(rng, layer, faded=rng.uniform(0, 0.35))


def handwriting(rng: random.Random, text: str, *, size: int = 40, colour=None, slant: float | None = None) -> Image.Image:
    """A pen-written line: kaiti glyphs with jittered size, angle and baseline."""
    colour = colour or rng.choice([(25, 45, 140), (20, 20, 30), (30, 60, 170), (40, 40, 60)])
    face = fonts.pick(rng, "kai")
    glyphs = []
    for ch in text:
        s = size * rng.uniform(0.85, 1.15)
        g = _glyph(ch, fonts.font(face, s), colour + (255,)) if ch != " " else None
        if g is not None:
            g = g.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC, expand=True)
        glyphs.append((g, s))
    w = int(sum((g.width if g else s * 0.5) * 0.92 for g, s in glyphs) + size)
    h = int(size * 1.8)
    layer = Image.new("RGBA", (max(1, w), h), (0, 0, 0, 0))
    x = size * 0.3
    base = rng.uniform(-0.1, 0.1) * size
    drift = rng.uniform(-0.08, 0.08)
    for g, s in glyphs:
        if g is None:
            x += s * 0.5
            continue
        y = h / 2 - g.height / 2 + base + rng.uniform(-0.06, 0.06) * size
        layer.alpha_composite(g, (int(x), int(max(0, min(h - g.height, y)))))
        x += g.width * rng.uniform(0.82, 0.95)
        base += drift * s * 0.3
    slant = rng.uniform(-4, 4) if slant is None else slant
    layer = layer.rotate(slant, resample=Image.BICUBIC, expand=True)
    return layer.filter(ImageFilter.GaussianBlur(0.4))


def signature(rng: random.Random, name: str, size: int = 46) -> Image.Image:
    """A quick scribble of a name: cursive-ish glyphs squeezed together."""
    img = handwriting(rng, name, size=size, slant=rng.uniform(-12, 4))
    return img.resize((max(1, int(img.width * rng.uniform(0.7, 0.9))), img.height), Image.BICUBIC)


def apply_ink(page: Image.Image, ink: Image.Image, centre: tuple[float, float], angle: float = 0.0,
              strength: float = 1.0) -> Box:
    """Multiply `ink` (RGBA) onto `page` (RGB, modified in place) centred at `centre`.

    Returns the box of the ink's footprint in page pixels.
    """
    if angle:
        ink = ink.rotate(angle, resample=Image.BICUBIC, expand=True)
    x0 = int(round(centre[0] - ink.width / 2))
    y0 = int(round(centre[1] - ink.height / 2))
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(page.width, x0 + ink.width), min(page.height, y0 + ink.height)
    if px1 <= px0 or py1 <= py0:
        return (px0, py0, px0, py0)
    crop = ink.crop((px0 - x0, py0 - y0, px1 - x0, py1 - y0))
    arr = np.asarray(crop).astype(np.float32) / 255
    a = arr[..., 3:4] * strength
    col = arr[..., :3]
    region = np.asarray(page.crop((px0, py0, px1, py1))).astype(np.float32) / 255
    if region.ndim == 2:
        region = region[..., None].repeat(3, axis=2)
    out = region * (1 - a * (1 - col))
    page.paste(Image.fromarray((np.clip(out, 0, 1) * 255).astype(np.uint8)), (px0, py0))
    ys, xs = np.nonzero(arr[..., 3] > 0.15)
    if len(xs) == 0:
        return (px0, py0, px0, py0)
    return (px0 + xs.min(), py0 + ys.min(), px0 + xs.max() + 1, py0 + ys.max() + 1)


def ink_mask_box(page_size: tuple[int, int], ink: Image.Image, centre, angle: float = 0.0) -> np.ndarray:
    """Boolean mask (page size) of where an ink mark lands — to test what it covers."""
    if angle:
        ink = ink.rotate(angle, resample=Image.BICUBIC, expand=True)
    mask = np.zeros((page_size[1], page_size[0]), bool)
    x0 = int(round(centre[0] - ink.width / 2))
    y0 = int(round(centre[1] - ink.height / 2))
    a = np.asarray(ink.getchannel("A")) > 60
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(page_size[0], x0 + ink.width), min(page_size[1], y0 + ink.height)
    if px1 > px0 and py1 > py0:
        mask[py0:py1, px0:px1] = a[py0 - y0:py1 - y0, px0 - x0:px1 - x0]
    return mask


def covered_fraction(mask: np.ndarray, box: Box) -> float:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    sub = mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return float(sub.mean()) if sub.size else 0.0
