"""Drawing helpers shared by the renderers: a page that records where each field's value
was drawn, CJK paragraph layout, official red seals and security-print backgrounds."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts

__all__ = ["Page", "quad", "draw_seal", "guilloche", "paper", "to_bgr", "union"]


def quad(b) -> list[list[float]]:
    x0, y0, x1, y1 = b
    return [[float(x0), float(y0)], [float(x1), float(y0)], [float(x1), float(y1)], [float(x0), float(y1)]]


def union(a, b):
    if a is None:
        return tuple(b)
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def to_bgr(img: Image.Image) -> np.ndarray:
    arr = np.asarray(img.convert("RGB"))
    return np.ascontiguousarray(arr[:, :, ::-1])


class Page:
    """A PIL page plus the boxes of drawn field values and the text lines drawn
    (for building a PDF text layer)."""

    def __init__(self, img: Image.Image, page_no: int = 1):
        self.img = img
        self.draw = ImageDraw.Draw(img)
        self.boxes: dict[str, tuple] = {}
        self.lines: list[dict] = []  # {"chars": [(ch, x)], "baseline": y, "size": s, "face": FontFace}
        self.page_no = page_no

    @property
    def size(self):
        return self.img.size

    def box(self, field: str, b) -> None:
        self.boxes[field] = union(self.boxes.get(field), b)

    def text(self, xy, s: str, ft, fill=(20, 20, 20), field: str | None = None, spacing: float = 0.0,
             record: bool = True):
        """Draw s with its top-left at xy (ascender line); returns the ink bbox."""
        x, y = xy
        asc = ft.getmetrics()[0]
        base = y + asc
        chars = []
        bb = None
        if spacing:
            cx = x
            for ch in s:
                self.draw.text((cx, base), ch, font=ft, fill=fill, anchor="ls")
                cb = self.draw.textbbox((cx, base), ch, font=ft, anchor="ls")
                if ch.strip():
                    bb = union(bb, cb)
                chars.append((ch, cx))
                cx += ft.getlength(ch) + spacing
        else:
            self.draw.text((x, base), s, font=ft, fill=fill, anchor="ls")
            bb = self.draw.textbbox((x, base), s, font=ft, anchor="ls")
            cx = x
            for ch in s:
                chars.append((ch, cx))
                cx += ft.getlength(ch)
        if bb is None:
            bb = (x, y, x + 1, y + 1)
        if field:
            self.box(field, bb)
        if record and s.strip():
            self.lines.append({"chars": chars, "baseline": base, "size": ft.size, "font": ft})
        return bb

    def paragraph(self, x: float, y: float, width: float, runs, ft, fill=(20, 20, 20),
                  line_h: float | None = None, indent: int = 2, align: str = "left",
                  page_break=None):
        """Lay out CJK text char by char (no word breaks), runs = [(text, field|None)].

        Returns the y below the paragraph.  ``page_break(y) -> (page, y)`` is called when
        the next line would fall below the page's bottom margin (multi-page documents)."""
        line_h = line_h or ft.size * 1.75
        em = ft.getlength("国")
        chars: list[tuple[str, str | None]] = [(c, f) for text, f in runs for c in text]
        # units: an ASCII word/number (policy numbers, amounts, dates) never breaks across lines
        units: list[list[tuple[str, str | None]]] = []
        for c, f in chars:
            if units and c.isascii() and c.isalnum() and units[-1][-1][0].isascii() and (
                    units[-1][-1][0].isalnum() or units[-1][-1][0] in ",.-"):
                units[-1].append((c, f))
            elif units and c in ",.-" and units[-1][-1][0].isascii() and units[-1][-1][0].isalnum():
                units[-1].append((c, f))
            else:
                units.append([(c, f)])
        lines: list[list[tuple[str, str | None]]] = []
        cur: list = []
        cur_w = indent * em
        for unit in units:
            if len(unit) > 1:
                uw = sum(ft.getlength(c) for c, _ in unit)
                if cur_w + uw > width and cur:
                    lines.append(cur)
                    cur, cur_w = [], 0.0
                cur.extend(unit)
                cur_w += uw
                continue
            c, f = unit[0]
            w = ft.getlength(c)
            if not cur and lines and c in "，。、；：）！？”":
                lines[-1].append((c, f))
                continue
            if cur_w + w > width and cur:
                # keep closing punctuation on the line (避头点)
                if c in "，。、；：）！？”" and cur_w + w <= width + em:
                    cur.append((c, f))
                    lines.append(cur)
                    cur, cur_w = [], 0.0
                    continue
                lines.append(cur)
                cur, cur_w = [], 0.0
            cur.append((c, f))
            cur_w += w
        if cur:
            lines.append(cur)
        page = self
        for i, ln in enumerate(lines):
            if page_break is not None:
                page, y = page_break(page, y, line_h)
            cx = x + (indent * em if i == 0 else 0)
            if align == "justify" and i < len(lines) - 1:
                total = sum(ft.getlength(c) for c, _ in ln)
                avail = width - (indent * em if i == 0 else 0)
                gap = (avail - total) / max(1, len(ln) - 1) if avail > total else 0
            else:
                gap = 0
            base = y + ft.getmetrics()[0]
            rec = []
            for c, f in ln:
                page.draw.text((cx, base), c, font=ft, fill=fill, anchor="ls")
                if f and c.strip():
                    page.box(f, page.draw.textbbox((cx, base), c, font=ft, anchor="ls"))
                rec.append((c, cx))
                cx += ft.getlength(c) + gap
            page.lines.append({"chars": rec, "baseline": base, "size": ft.size, "font": ft})
            y += line_h
        return y if page is self else (page, y)


def paper(w: int, h: int, rng: random.Random, base=(248, 247, 243), noise: float = 2.5) -> Image.Image:
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    arr = np.empty((h, w, 3), np.float32)
    arr[:] = base
    arr += nrng.normal(0, noise, (h, w, 1))
    # slow variation of tint
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    arr += (2.0 * np.sin(xx / w * math.pi * rng.uniform(0.5, 2)) * np.cos(yy / h * math.pi * rng.uniform(0.5, 2)))[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def guilloche(img: Image.Image, rng: random.Random, colors, n: int = 40, width: int = 1, alpha: int = 70,
              box=None) -> None:
    """Fine sine-wave security print over the image (or a box of it)."""
    w, h = img.size
    x0, y0, x1, y1 = box or (0, 0, w, h)
    over = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(over)
    for i in range(n):
        col = tuple(colors[i % len(colors)]) + (alpha,)
        amp = rng.uniform(6, 30)
        per = rng.uniform(80, 300)
        ph = rng.uniform(0, 6.3)
        yb = y0 + (y1 - y0) * i / n
        pts = [(x, yb + amp * math.sin(x / per * 2 * math.pi + ph) + 0.4 * amp * math.sin(x / per * 5.1 + ph * 2))
               for x in range(x0, x1 + 8, 8)]
        d.line(pts, fill=col, width=width)
    img.paste(Image.alpha_composite(img.convert("RGBA"), over).convert("RGB"))


def _arc_text_mask(size: int, r: float, text: str, ft, start_deg: float, end_deg: float) -> Image.Image:
    """Characters on an arc (angles in degrees, 0 = top, clockwise), upright toward centre."""
    m = Image.new("L", (size, size), 0)
    c = size / 2
    n = len(text)
    for i, ch in enumerate(text):
        a = start_deg + (end_deg - start_deg) * (i / max(1, n - 1) if n > 1 else 0.5)
        rad = math.radians(a)
        px = c + r * math.sin(rad)
        py = c - r * math.cos(rad)
        s = int(ft.size * 1.6)
        ci = Image.new("L", (s, s), 0)
        ImageDraw.Draw(ci).text((s / 2, s / 2), ch, font=ft, fill=255, anchor="mm")
        ci = ci.rotate(-a, resample=Image.BICUBIC)
        m.paste(255, (int(px - s / 2), int(py - s / 2)), ci)
    return m


def draw_seal(img: Image.Image, center, radius: int, arc_text: str, rng: random.Random,
              bottom_text: str = "", color=(215, 30, 35), style: str = "round", opacity: float = 0.82) -> tuple:
    """A red official seal (圆章: ring, star, name around the arc); returns its bbox."""
    size = int(radius * 2 + 8)
    m = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(m)
    c = size / 2
    ring = max(3, radius // 18)
    d.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    # five-pointed star
    rs = radius * 0.30
    pts = []
    for k in range(10):
        rr = rs if k % 2 == 0 else rs * 0.382
        a = math.radians(-90 + k * 36)
        pts.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    d.polygon(pts, fill=255)
    n = max(1, len(arc_text))
    span = min(250.0, 22.0 * n + 30)
    fsize = radius * 0.26
    for _ in range(3):  # the font size that fits n characters on the arc inside the ring
        r_text = radius - ring - fsize * 0.72
        per_char = r_text * math.radians(span) / max(1, n - 1)
        fsize = min(radius * 0.26, per_char * 0.92)
    ft = fonts.font("bold", max(8, int(fsize)), rng, arc_text)
    arc = _arc_text_mask(size, radius - ring - fsize * 0.72, arc_text, ft, -span / 2, span / 2)
    m.paste(255, (0, 0), arc)
    if bottom_text:
        fb = fonts.font("bold", int(radius * 0.17), rng, bottom_text)
        d.text((c, c + radius * 0.55), bottom_text, font=fb, fill=255, anchor="mm")
    m = m.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    # ink texture: uneven pressure and small voids
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    a = np.asarray(m, np.float32) / 255.0
    tex = nrng.uniform(0.55, 1.0, a.shape).astype(np.float32)
    tex = np.asarray(Image.fromarray((tex * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2)),
                     np.float32) / 255
    grad = np.linspace(rng.uniform(0.6, 1.0), rng.uniform(0.8, 1.0), size, dtype=np.float32)[None, :]
    a = np.clip(a * tex * grad * opacity * 1.25, 0, opacity)
    x0, y0 = int(center[0] - c), int(center[1] - c)
    base = np.asarray(img, np.float32)
    H, W = base.shape[:2]
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(W, x0 + size), min(H, y0 + size)
    if sx1 <= sx0 or sy1 <= sy0:
        return (x0, y0, x0 + size, y0 + size)
    aa = a[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0, None]
    region = base[sy0:sy1, sx0:sx1]
    col = np.array(color, np.float32)
    # ink multiplies with what is below (text stays visible through the seal)
    region[:] = region * (1 - aa) + np.minimum(region, col) * aa
    img.paste(Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)))
    return (x0, y0, x0 + size, y0 + size)


def star(d: ImageDraw.ImageDraw, cx, cy, r, fill, rot=-90.0):
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.382
        a = math.radians(rot + k * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)
