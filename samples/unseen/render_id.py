"""Second-generation resident ID card (居民身份证), 85.6 × 54 mm, both faces."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts
from .canvas import Pen, Rendered, blend, guilloche, quad, rounded_mask, union
from .identities import Person, id_validity, pick_person
from .portrait import portrait

CARD_MM = (85.6, 54.0)

LABEL_BLUES = [(38, 132, 196), (60, 150, 205), (88, 160, 205), (110, 170, 205), (130, 180, 210),
               (150, 192, 215), (118, 150, 170), (165, 200, 220)]
VALUE_INKS = [(10, 10, 12), (24, 22, 26), (36, 36, 40), (0, 0, 0), (48, 44, 46)]


def _card_base(rng: random.Random, w: int, h: int, back: bool) -> Image.Image:
    tint = rng.choice([(246, 245, 238), (242, 244, 240), (248, 246, 240), (238, 242, 244), (244, 240, 236)])
    img = Image.new("RGB", (w, h), tint)
    arr = np.asarray(img).astype(np.float32)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    # soft colour wash: bluish at one side, warm at the other
    wash_a = np.array(rng.choice([(214, 232, 240), (226, 236, 226), (236, 228, 222)]), np.float32)
    wash_b = np.array(rng.choice([(246, 236, 222), (238, 240, 246), (232, 240, 236)]), np.float32)
    t = np.clip((x / w) * 0.7 + (y / h) * 0.3, 0, 1)[..., None]
    arr = arr * 0.55 + (wash_a * (1 - t) + wash_b * t) * 0.45
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    palette = [(150, 190, 215), (210, 170, 170), (180, 200, 170), (200, 185, 150), (170, 180, 210)]
    alpha, col = guilloche(rng, w, h, palette, families=rng.randint(2, 4), density=rng.uniform(0.7, 1.4),
                           thickness=rng.uniform(0.03, 0.06))
    img = blend(img, alpha * rng.uniform(0.35, 0.8), col)
    if back and rng.random() < 0.85:
        _great_wall(img, rng)
    return img


def _great_wall(img: Image.Image, rng: random.Random) -> None:
    """A faint mountain ridge with crenellated wall across the lower half of the back."""
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    base = h * rng.uniform(0.68, 0.8)
    pts = [(0, h)]
    xs = np.linspace(0, w, 40)
    phase = rng.uniform(0, 6)
    ridge = [base - h * (0.08 * math.sin(x / w * 5 + phase) + 0.05 * math.sin(x / w * 13 + phase * 2))
             for x in xs]
    pts += list(zip(xs, ridge)) + [(w, h)]
    colour = rng.choice([(190, 200, 215, 70), (205, 190, 190, 60), (190, 205, 195, 70)])
    d.polygon(pts, fill=colour)
    step = w / 60
    for x, r in zip(xs[::1], ridge):
        for k in range(2):
            d.rectangle((x + k * step, r - h * 0.025, x + k * step + step * 0.5, r), fill=colour)


def emblem(size: int, rng: random.Random) -> Image.Image:
    """A simplified national emblem: red disc, gold ring, stars, gate and gear."""
    s = size
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = rng.choice([(214, 28, 30), (200, 22, 28), (222, 44, 40)])
    gold = rng.choice([(236, 190, 40), (226, 176, 30), (240, 200, 60)])
    d.ellipse((0, 0, s - 1, s - 1), fill=gold)
    d.ellipse((s * 0.09, s * 0.09, s * 0.91, s * 0.91), fill=red)
    # wheat ears as short gold strokes around the inner ring
    for i in range(36):
        a = math.radians(100 + i * 340 / 36)
        r0, r1 = s * 0.41, s * 0.47
        d.line((s / 2 + r0 * math.cos(a), s / 2 + r0 * math.sin(a),
                s / 2 + r1 * math.cos(a + 0.1), s / 2 + r1 * math.sin(a + 0.1)), fill=gold,
               width=max(1, s // 60))

    def star(cx, cy, r, rot=0.0):
        pts = []
        for i in range(10):
            ang = -math.pi / 2 + rot + i * math.pi / 5
            rr = r if i % 2 == 0 else r * 0.38
            pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
        d.polygon(pts, fill=gold)

    star(s * 0.5, s * 0.3, s * 0.11)
    for k, (ox, oy) in enumerate([(-0.19, -0.13), (-0.24, 0.0), (0.19, -0.13), (0.24, 0.0)]):
        star(s * (0.5 + ox), s * (0.3 + oy), s * 0.045, rot=0.3 * (1 if ox > 0 else -1))
    # Tiananmen gate: roof, body and five arches
    d.polygon([(s * 0.26, s * 0.55), (s * 0.74, s * 0.55), (s * 0.68, s * 0.5), (s * 0.32, s * 0.5)], fill=gold)
    d.rectangle((s * 0.3, s * 0.55, s * 0.7, s * 0.66), fill=gold)
    for i in range(5):
        cx = s * (0.36 + i * 0.07)
        d.rectangle((cx - s * 0.015, s * 0.6, cx + s * 0.015, s * 0.66), fill=red)
    d.rectangle((s * 0.24, s * 0.66, s * 0.76, s * 0.69), fill=gold)
    # gear and ribbon
    d.ellipse((s * 0.42, s * 0.7, s * 0.58, s * 0.86), fill=gold)
    d.ellipse((s * 0.47, s * 0.75, s * 0.53, s * 0.81), fill=red)
    d.polygon([(s * 0.2, s * 0.8), (s * 0.42, s * 0.84), (s * 0.4, s * 0.9), (s * 0.16, s * 0.86)], fill=red)
    d.polygon([(s * 0.8, s * 0.8), (s * 0.58, s * 0.84), (s * 0.6, s * 0.9), (s * 0.84, s * 0.86)], fill=red)
    return img.filter(ImageFilter.GaussianBlur(max(0.3, s / 400)))


def split_address(rng: random.Random, address: str, per_line: int) -> list[str]:
    """Cut an address into the 1-3 printed lines of the card (11 chars each on a real card)."""
    lines = [address[i:i + per_line] for i in range(0, len(address), per_line)]
    return lines[:3] if len(lines) <= 3 else [address[:per_line], address[per_line:2 * per_line],
                                              address[2 * per_line:]]


def render_front(rng: random.Random, person: Person | None = None, width: int | None = None,
                 label_colour=None) -> Rendered:
    person = person or pick_person(rng)
    w = width or rng.choice([860, 960, 1012, 1080, 1200])
    h = int(round(w * CARD_MM[1] / CARD_MM[0]))
    mm = w / CARD_MM[0]
    img = _card_base(rng, w, h, back=False)
    pen = Pen(img)
    label_c = label_colour or rng.choice(LABEL_BLUES)
    ink = rng.choice(VALUE_INKS)
    lab_face = fonts.pick(rng, rng.choice(["sans", "sans", "sans_bold"]))
    val_face = fonts.pick(rng, rng.choice(["sans", "sans", "sans_bold", "serif"]))
    num_face = fonts.pick(rng, rng.choice(["latin_mono", "latin_sans", "latin_mono"]))
    lab = fonts.font(lab_face, 2.9 * mm * rng.uniform(0.93, 1.05))
    val = fonts.font(val_face, 3.25 * mm * rng.uniform(0.94, 1.06))
    big = fonts.font(val_face, 3.6 * mm * rng.uniform(0.95, 1.05))
    stroke = 1 if (rng.random() < 0.3 and w >= 1000) else 0
    dx, dy = rng.uniform(-1.2, 1.2) * mm, rng.uniform(-1.0, 1.0) * mm  # print registration
    lx = 5.2 * mm + dx
    vx = 15.2 * mm + dx
    boxes: dict = {}

    def label(x, y, s):
        return pen.text((x, y), s, lab, label_c, tracking=(lab.size * 0.9 if len(s) == 2 else 0))

    y = 10.6 * mm + dy
    label(lx, y, "姓名")
    boxes["name"] = pen.text((vx, y), person.name.text, big, ink, stroke=stroke)
    y = 17.2 * mm + dy
    label(lx, y, "性别")
    boxes["sex"] = pen.text((vx, y), person.sex, val, ink, stroke=stroke)
    label(lx + 23.8 * mm, y, "民族")
    boxes["ethnicity"] = pen.text((lx + 34.0 * mm, y), person.ethnicity, val, ink, stroke=stroke)
    y = 23.6 * mm + dy
    label(lx, y, "出生")
    b = person.birth
    parts = [pen.text((vx, y), str(b.year), val, ink, stroke=stroke)]
    x = parts[0][2] + 1.2 * mm
    label(x, y, "年")
    x += lab.getlength("年") + 1.6 * mm
    parts.append(pen.text((x, y), str(b.month), val, ink, stroke=stroke))
    x = max(parts[-1][2], x + val.getlength("0")) + 1.2 * mm
    label(x, y, "月")
    x += lab.getlength("月") + 1.6 * mm
    parts.append(pen.text((x, y), str(b.day), val, ink, stroke=stroke))
    x = max(parts[-1][2], x + val.getlength("0")) + 1.2 * mm
    label(x, y, "日")
    boxes["birth_date"] = union(parts)
    y = 30.4 * mm + dy
    label(lx, y, "住址")
    per_line = max(8, int((52.0 * mm - vx) // val.getlength("国")))
    per_line = min(per_line, rng.choice([10, 11, 11, 12]))
    lines = split_address(rng, person.address, per_line)
    lh = 4.7 * mm * rng.uniform(0.97, 1.04)
    addr_boxes = []
    for i, line in enumerate(lines):
        addr_boxes.append(pen.text((vx, y + i * lh), line, val, ink, stroke=stroke))
    boxes["address"] = union(addr_boxes)
    y = 48.8 * mm + dy
    label(lx, y, "公民身份号码")
    num = fonts.font(num_face, 3.9 * mm * rng.uniform(0.95, 1.05))
    span = rng.uniform(48.5, 52.5) * mm
    nx = lx + 22.0 * mm + rng.uniform(-0.5, 0.8) * mm
    track = (span - num.getlength(person.id_number)) / 17
    boxes["id_number"] = pen.text((nx, y), person.id_number, num, ink, tracking=track,
                                  stroke=1 if num_face.bold is False and rng.random() < 0.5 else 0)
    # portrait at the right
    pw, ph = int(26 * mm), int(32.5 * mm)
    px, py = int(53.8 * mm + dx * 0.3), int(4.8 * mm + dy * 0.3)
    face = portrait(rng, pw, ph, person.sex)
    fmask = Image.new("L", (pw, ph), 0)
    ImageDraw.Draw(fmask).rectangle((0, 0, pw, ph), fill=255)
    fmask = fmask.filter(ImageFilter.GaussianBlur(mm * 0.8))
    img.paste(face, (px, py), fmask)
    fields = {
        "name": person.name.text, "sex": person.sex, "ethnicity": person.ethnicity,
        "birth_date": person.birth.isoformat(), "address": person.address, "id_number": person.id_number,
    }
    return Rendered(img, "id_card_front", fields, {k: quad(v) for k, v in boxes.items()}, paper="card",
                    mask=rounded_mask(w, h, 3.2 * mm))


def validity_text(start: dt.date, until: dt.date | None, sep: str = ".") -> str:
    a = f"{start.year}{sep}{start.month:02d}{sep}{start.day:02d}"
    b = "长期" if until is None else f"{until.year}{sep}{until.month:02d}{sep}{until.day:02d}"
    return f"{a}-{b}"


def render_back(rng: random.Random, person: Person | None = None, width: int | None = None,
                label_colour=None, today: dt.date | None = None) -> Rendered:
    person = person or pick_person(rng)
    today = today or dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))
    start, until = id_validity(rng, person.birth, today)
    w = width or rng.choice([860, 960, 1012, 1080, 1200])
    h = int(round(w * CARD_MM[1] / CARD_MM[0]))
    mm = w / CARD_MM[0]
    img = _card_base(rng, w, h, back=True)
    em = emblem(int(15.5 * mm), rng)
    img.paste(em, (int(4.6 * mm), int(4.2 * mm)), em)
    pen = Pen(img)
    title_face = fonts.pick(rng, rng.choice(["serif_bold", "sans_bold", "serif_bold"]))
    t1 = fonts.font(title_face, 4.6 * mm * rng.uniform(0.95, 1.05))
    t2 = fonts.font(title_face, 7.0 * mm * rng.uniform(0.95, 1.05))
    dark = rng.choice([(20, 20, 20), (40, 36, 36), (30, 30, 40)])
    pen.text((25.5 * mm, 12.0 * mm), "中华人民共和国", t1, dark, tracking=2.1 * mm)
    pen.text((25.0 * mm, 24.0 * mm), "居民身份证", t2, dark, tracking=3.4 * mm)
    label_c = label_colour or rng.choice(LABEL_BLUES)
    ink = rng.choice(VALUE_INKS)
    lab = fonts.font(fonts.pick(rng, "sans"), 2.9 * mm * rng.uniform(0.93, 1.05))
    val_face = fonts.pick(rng, rng.choice(["sans", "sans", "sans_bold", "serif"]))
    val = fonts.font(val_face, 3.2 * mm * rng.uniform(0.94, 1.06))
    dx, dy = rng.uniform(-1.0, 1.0) * mm, rng.uniform(-0.8, 0.8) * mm
    lx, vx = 14.6 * mm + dx, 30.2 * mm + dx
    pen.text((lx, 41.8 * mm + dy), "签发机关", lab, label_c)
    authority = person.region.police()
    boxes = {"issuing_authority": pen.text((vx, 41.8 * mm + dy), authority, val, ink)}
    pen.text((lx, 49.2 * mm + dy), "有效期限", lab, label_c)
    a = validity_text(start, until).split("-")[0]
    z = validity_text(start, until).split("-")[1]
    y = 49.2 * mm + dy
    box_a = pen.text((vx, y), a, val, ink)
    x = vx + val.getlength(a) + rng.choice([0, 0, 0.3 * mm])
    pen.text((x, y), "-", val, ink)
    x += val.getlength("-") + rng.choice([0, 0, 0.3 * mm])
    box_z = pen.text((x, y), z, val, ink)
    boxes["valid_from"], boxes["valid_until"] = box_a, box_z
    fields = {"issuing_authority": authority, "valid_from": start.isoformat(),
              "valid_until": "长期" if until is None else until.isoformat()}
    return Rendered(img, "id_card_back", fields, {k: quad(v) for k, v in boxes.items()}, paper="card",
                    mask=rounded_mask(w, h, 3.2 * mm))
