"""Shared pieces of printed A4 documents: the sheet, date wording, seals over signature blocks."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image, ImageDraw

from . import seals
from .canvas import Box, paper
from .identities import cn_date


def a4(rng: random.Random, width: int | None = None) -> tuple[Image.Image, float]:
    w = width or rng.choice([1240, 1400, 1654, 1654])
    h = int(round(w * 297 / 210))
    tint = rng.choice([(253, 253, 251), (250, 250, 246), (255, 255, 255), (248, 247, 242)])
    img = paper(np.random.default_rng(rng.randrange(2**32)), w, h, tint, grain=rng.uniform(0.5, 2.5))
    return img, w / 210


def date_text(rng: random.Random, d: dt.date, styles: tuple[str, ...] = ("ymd", "ymd", "ymd0", "cn", "dash", "dot")) -> str:
    style = rng.choice(styles)
    if style == "ymd":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "ymd0":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "cn":
        return cn_date(d)
    if style == "dash":
        return d.isoformat()
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


def seal_over(img: Image.Image, rng: random.Random, seal: Image.Image, centre: tuple[float, float],
              boxes: dict[str, Box], angle: float | None = None, threshold: float = 0.12) -> dict[str, str]:
    """Stamp `seal` at `centre`; returns {field: "seal"} for recorded boxes it covers."""
    angle = rng.uniform(-25, 25) if angle is None else angle
    mask = seals.ink_mask_box(img.size, seal, centre, angle)
    seals.apply_ink(img, seal, centre, angle)
    out = {}
    for name, box in boxes.items():
        if seals.covered_fraction(mask, box) > threshold:
            out[name] = "seal"
    return out


def line(img: Image.Image, xy, fill, width: int) -> None:
    ImageDraw.Draw(img).line(xy, fill=fill, width=width)


def grid(img: Image.Image, xs: list[float], ys: list[float], colour=(30, 30, 30), width: int = 2,
         spans: dict[int, list[tuple[int, int]]] | None = None) -> None:
    """A ruled table: vertical lines at xs, horizontal at ys; `spans` removes inner verticals per row."""
    d = ImageDraw.Draw(img)
    for y in ys:
        d.line((xs[0], y, xs[-1], y), fill=colour, width=width)
    for r in range(len(ys) - 1):
        skip = set()
        for a, b in (spans or {}).get(r, []):
            skip.update(range(a + 1, b))
        for i, x in enumerate(xs):
            if i in skip:
                continue
            d.line((x, ys[r], x, ys[r + 1]), fill=colour, width=width)
