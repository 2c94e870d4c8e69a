"""Stylised head-and-shoulders portraits for ID cards and certificate photos (no real faces)."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw, ImageFilter

SKINS = [(236, 204, 180), (226, 190, 160), (214, 176, 146), (240, 214, 194), (200, 160, 128)]
HAIR = [(20, 18, 18), (35, 28, 24), (48, 36, 30), (60, 50, 44), (90, 88, 86)]
CLOTHES = [(30, 34, 50), (20, 20, 24), (240, 240, 240), (70, 80, 110), (120, 30, 40), (60, 60, 64)]


def draw_person(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[float, float, float, float],
                sex: str) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx = x0 + w * rng.uniform(0.47, 0.53)
    skin = rng.choice(SKINS)
    hair = rng.choice(HAIR)
    cloth = rng.choice(CLOTHES)
    fw, fh = w * rng.uniform(0.36, 0.42), h * rng.uniform(0.38, 0.44)
    fy = y0 + h * rng.uniform(0.16, 0.22)
    if sex == "女" and rng.random() < 0.8:  # long hair behind the shoulders
        draw.rounded_rectangle((cx - fw * 0.72, fy - fh * 0.08, cx + fw * 0.72, fy + fh * 1.35),
                               radius=fw * 0.5, fill=hair)
    # shoulders and neck
    draw.ellipse((x0 - w * 0.08, y0 + h * 0.74, x1 + w * 0.08, y1 + h * 0.5), fill=cloth)
    draw.rectangle((cx - fw * 0.2, fy + fh * 0.8, cx + fw * 0.2, y0 + h * 0.8), fill=skin)
    if cloth[0] < 100 and rng.random() < 0.6:  # white collar
        draw.polygon([(cx - fw * 0.35, y0 + h * 0.78), (cx, y0 + h * 0.9), (cx + fw * 0.35, y0 + h * 0.78),
                      (cx, y0 + h * 0.84)], fill=(245, 245, 245))
    draw.ellipse((cx - fw / 2, fy, cx + fw / 2, fy + fh), fill=skin)
    # ears
    draw.ellipse((cx - fw * 0.58, fy + fh * 0.38, cx - fw * 0.42, fy + fh * 0.6), fill=skin)
    draw.ellipse((cx + fw * 0.42, fy + fh * 0.38, cx + fw * 0.58, fy + fh * 0.6), fill=skin)
    # hair cap
    cap = fh * (0.32 if sex == "男" else 0.38)
    draw.chord((cx - fw * 0.54, fy - fh * 0.1, cx + fw * 0.54, fy + cap * 2), 180, 360, fill=hair)
    if rng.random() < 0.5:
        draw.pieslice((cx - fw * 0.54, fy - fh * 0.05, cx + fw * 0.2, fy + cap * 1.6), 180, 300, fill=hair)
    # features
    ey = fy + fh * 0.5
    for sx in (-1, 1):
        ex = cx + sx * fw * 0.2
        draw.line((ex - fw * 0.1, ey - fh * 0.07, ex + fw * 0.1, ey - fh * 0.08), fill=hair,
                  width=max(1, int(fh * 0.025)))
        draw.ellipse((ex - fw * 0.06, ey - fh * 0.02, ex + fw * 0.06, ey + fh * 0.03), fill=(40, 30, 30))
    draw.line((cx, ey + fh * 0.05, cx - fw * 0.04, ey + fh * 0.2), fill=tuple(int(v * 0.85) for v in skin),
              width=max(1, int(fh * 0.015)))
    draw.line((cx - fw * 0.12, fy + fh * 0.8, cx + fw * 0.12, fy + fh * 0.8), fill=(170, 90, 90),
              width=max(1, int(fh * 0.02)))


def portrait(rng: random.Random, w: int, h: int, sex: str, bg=None) -> Image.Image:
    bg = bg or rng.choice([(250, 250, 250), (236, 242, 250), (214, 230, 246), (255, 255, 255)])
    img = Image.new("RGB", (w, h), bg)
    draw_person(ImageDraw.Draw(img), rng, (0, 0, w, h), sex)
    return img.filter(ImageFilter.GaussianBlur(max(0.5, w / 300)))


def couple(rng: random.Random, w: int, h: int, sexes=("男", "女")) -> Image.Image:
    """The red-background joint photo of a marriage certificate."""
    bg = rng.choice([(200, 30, 40), (214, 44, 50), (190, 20, 30)])
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    draw_person(d, rng, (w * 0.02, h * 0.08, w * 0.54, h * 1.0), sexes[0])
    draw_person(d, rng, (w * 0.46, h * 0.12, w * 0.98, h * 1.0), sexes[1])
    return img.filter(ImageFilter.GaussianBlur(max(0.5, w / 400)))
