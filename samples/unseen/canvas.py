"""Drawing helpers shared by the renderers: tracked text, boxes, wrapping, paper textures."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Quad = list[list[float]]

NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")


def quad(box: Box) -> Quad:
    x0, y0, x1, y1 = box
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass
class Rendered:
    """One document as drawn, before any camera/scanner artefact."""

    image: Image.Image
    kind: str
    fields: dict
    boxes: dict[str, Quad] = field(default_factory=dict)
    obscured: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # content artefacts, e.g. seal_over_text
    paper: str = "a4"  # "card", "a4", "receipt", "booklet"
    dark: bool = False  # a dark card design
    mask: Image.Image | None = None  # "L": where the document is (rounded card corners)
    parts: list[dict] | None = None  # for a sheet holding several documents (kind "multiple")
    copy: bool = False  # already a photocopy (toner, grey)
    rotation: int = 0  # degrees the document is already turned clockwise inside `image`


def rounded_mask(w: int, h: int, radius: float) -> Image.Image:
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).rounded_rectangle((0, 0, w - 1, h - 1), radius=radius, fill=255)
    return m


class Pen:
    """ImageDraw plus text measured in ink: every call returns the ink box it drew."""

    def __init__(self, img: Image.Image):
        self.img = img
        self.draw = ImageDraw.Draw(img)

    def text(self, xy: tuple[float, float], s: str, font: ImageFont.FreeTypeFont, fill,
             tracking: float = 0.0, stroke: int = 0, anchor: str = "ls") -> Box:
        """Draw `s` with its baseline-left (anchor "ls") at xy; returns the ink box."""
        x, y = xy
        if not s:
            return (x, y, x, y)
        if tracking == 0:
            self.draw.text((x, y), s, font=font, fill=fill, anchor=anchor, stroke_width=stroke,
                           stroke_fill=fill)
            return self.draw.textbbox((x, y), s, font=font, anchor=anchor, stroke_width=stroke)
        boxes = []
        for ch in s:
            if ch != " ":
                self.draw.text((x, y), ch, font=font, fill=fill, anchor=anchor, stroke_width=stroke,
                               stroke_fill=fill)
                boxes.append(self.draw.textbbox((x, y), ch, font=font, anchor=anchor,
                                                stroke_width=stroke))
            x += font.getlength(ch) + tracking
        return union(boxes) if boxes else (xy[0], xy[1], x, xy[1])

    def width(self, s: str, font: ImageFont.FreeTypeFont, tracking: float = 0.0) -> float:
        return font.getlength(s) + tracking * max(0, len(s) - 1)

    def centred(self, cx: float, y: float, s: str, font, fill, tracking: float = 0.0,
                stroke: int = 0) -> Box:
        w = self.width(s, font, tracking)
        return self.text((cx - w / 2, y), s, font, fill, tracking, stroke)

    def right(self, rx: float, y: float, s: str, font, fill, tracking: float = 0.0,
              stroke: int = 0) -> Box:
        w = self.width(s, font, tracking)
        return self.text((rx - w, y), s, font, fill, tracking, stroke)


def wrap(s: str, font: ImageFont.FreeTypeFont, width: float, first_width: float | None = None) -> list[str]:
    """Character wrapping for Chinese text; keeps closing punctuation off a line start."""
    lines, cur = [], ""
    limit = first_width if first_width is not None else width
    for ch in s:
        if cur and font.getlength(cur + ch) > limit and ch not in NO_LINE_START:
            lines.append(cur)
            cur = ""
            limit = width
        cur += ch
    if cur:
        lines.append(cur)
    return lines


def _tokens(text: str) -> list[str]:
    """Latin letters/digits stay together (a word processor never breaks a number); CJK goes char by char."""
    out, cur = [], ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in "-.*/"):
            cur += ch
            continue
        if cur:
            out.append(cur)
            cur = ""
        out.append(ch)
    if cur:
        out.append(cur)
    return out


def flow(pen: Pen, segments: list[tuple[str, str | None]], font, fill, x0: float, y0: float,
         width: float, line_h: float, indent: float = 0.0, tracking: float = 0.0,
         fills: dict[str, tuple] | None = None) -> tuple[float, dict[str, list[Box]]]:
    """Lay out a paragraph made of (text, tag) segments; returns (next y, {tag: [ink boxes]}).

    Boxes of a tagged run that wraps are returned per line.
    """
    x, y = x0 + indent, y0
    found: dict[str, list[Box]] = {}
    for text, tag in segments:
        run: list[Box] = []
        colour = (fills or {}).get(tag or "", fill)
        for tok in _tokens(text):
            w = font.getlength(tok) + tracking * len(tok)
            if x + w > x0 + width + 0.5 and tok not in NO_LINE_START and x > x0 + 1:
                if run and tag:
                    found.setdefault(tag, []).append(union(run))
                run = []
                x, y = x0, y + line_h
            if tok.strip():
                pen.draw.text((x, y), tok, font=font, fill=colour, anchor="ls")
                run.append(pen.draw.textbbox((x, y), tok, font=font, anchor="ls"))
            x += w
        if tag and run:
            found.setdefault(tag, []).append(union(run))
    return y + line_h, found


# --------------------------------------------------------------------------- textures

def guilloche(rng: random.Random, w: int, h: int, colours: list[tuple], families: int = 3,
              density: float = 1.0, thickness: float = 0.035) -> tuple[np.ndarray, np.ndarray]:
    """Security-print line pattern: returns (alpha (h, w) in [0,1], colour (h, w, 3))."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    alpha = np.zeros((h, w), np.float32)
    col = np.zeros((h, w, 3), np.float32)
    for _ in range(families):
        c = np.array(rng.choice(colours), np.float32)
        kind = rng.random()
        period = rng.uniform(9, 22) / density * (w / 1000)
        amp = rng.uniform(0.5, 3.0)
        wav = rng.uniform(60, 260) * (w / 1000)
        phi = rng.uniform(0, 6.3)
        if kind < 0.4:  # wavy horizontal bands
            v = (y + amp * period * np.sin(2 * np.pi * x / wav + phi)) / period
        elif kind < 0.7:  # concentric rings around a point
            cx, cy = rng.uniform(-0.2, 1.2) * w, rng.uniform(-0.2, 1.2) * h
            r = np.hypot(x - cx, y - cy)
            v = (r + amp * period * np.sin(np.arctan2(y - cy, x - cx) * rng.randint(6, 24))) / period
        else:  # diagonal moire
            a = rng.uniform(0.3, 1.2)
            v = (x * np.cos(a) + y * np.sin(a) + amp * period * np.sin(2 * np.pi * (x - y) / wav)) / period
        frac = np.abs(v - np.round(v))
        line = np.clip(1 - frac / thickness, 0, 1)
        alpha = np.maximum(alpha, line * rng.uniform(0.35, 0.8))
        col = np.where(line[..., None] > 0.01, c, col)
    return alpha, col


def blend(img: Image.Image, alpha: np.ndarray, colour: np.ndarray) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    out = arr * (1 - alpha[..., None]) + colour * alpha[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def noise_field(rng: np.random.Generator, h: int, w: int, scale: int) -> np.ndarray:
    """Smooth noise in [0, 1] of shape (h, w): random grid upsampled with bicubic."""
    import cv2

    gh, gw = max(2, h // scale + 2), max(2, w // scale + 2)
    g = rng.random((gh, gw)).astype(np.float32)
    f = cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(f, 0, 1)


def paper(rng: np.random.Generator, w: int, h: int, tint=(252, 251, 247), grain: float = 3.0) -> Image.Image:
    base = np.empty((h, w, 3), np.float32)
    base[:] = tint
    base += rng.normal(0, grain, (h, w, 1)).astype(np.float32)
    base += (noise_field(rng, h, w, 180)[..., None] - 0.5) * grain * 2
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def mix(c1, c2, t: float) -> tuple[int, int, int]:
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(c1, c2))


def jitter_colour(rng: random.Random, c, amount: int = 12) -> tuple[int, int, int]:
    return tuple(max(0, min(255, v + rng.randint(-amount, amount))) for v in c)
