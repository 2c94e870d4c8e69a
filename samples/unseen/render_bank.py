"""Bank card fronts: Chinese UnionPay debit/credit cards and foreign-brand specimen cards."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts
from .canvas import Pen, Rendered, mix, quad, rounded_mask, union
from .identities import BANKS, card_number, pick_name

FOREIGN_ISSUERS = ["SPECIMEN BANK", "SAMPLE BANK N.A.", "GLOBAL TRUST BANK", "FIRST NATIONAL BANK",
                   "NORTHERN SAVINGS BANK", "ATLAS BANK", "HARBOUR BANK PLC", "MERIDIAN CREDIT UNION"]
ENGLISH_NAMES = ["JOHN A SMITH", "MARY JONES", "DAVID LEE", "ANNA K MILLER", "PETER BROWN", "LISA WONG",
                 "JAMES T CLARK", "EMMA WILSON", "TARO YAMADA", "HANAKO SATO"]


def _gradient(w: int, h: int, c1, c2, angle: float) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (x * math.cos(angle) + y * math.sin(angle))
    t = (t - t.min()) / max(1e-6, t.max() - t.min())
    return np.array(c1, np.float32) * (1 - t[..., None]) + np.array(c2, np.float32) * t[..., None]


def _decorate(img: Image.Image, rng: random.Random, accent, dark: bool) -> None:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    a = rng.randint(18, 45)
    style = rng.random()
    if style < 0.35:
        for _ in range(rng.randint(2, 5)):
            r = rng.uniform(0.2, 0.7) * w
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent + (a,))
    elif style < 0.7:
        freq = rng.uniform(2, 5)
        base0 = h * rng.uniform(0.3, 0.8)
        for k in range(rng.randint(6, 16)):
            pts = []
            base = base0 + k * h * 0.025
            amp, ph = h * rng.uniform(0.08, 0.16), k * 0.12
            for x in np.linspace(0, w, 80):
                pts.append((x, base + amp * math.sin(x / w * freq + ph)))
            d.line(pts, fill=accent + (a + 30,), width=max(1, w // 400))
    else:
        for _ in range(rng.randint(1, 3)):
            x0 = rng.uniform(-0.3, 0.9) * w
            d.polygon([(x0, 0), (x0 + w * 0.25, 0), (x0 + w * 0.05, h), (x0 - w * 0.2, h)], fill=accent + (a,))


def _chip(img: Image.Image, x: float, y: float, mm: float, rng: random.Random) -> None:
    d = ImageDraw.Draw(img)
    w, h = 11.5 * mm, 9.0 * mm
    gold = rng.choice([(214, 182, 110), (200, 170, 100), (190, 190, 190), (225, 195, 120)])
    d.rounded_rectangle((x, y, x + w, y + h), radius=1.6 * mm, fill=gold, outline=mix(gold, (0, 0, 0), 0.35),
                        width=max(1, int(mm * 0.2)))
    line = mix(gold, (0, 0, 0), 0.3)
    lw = max(1, int(mm * 0.18))
    d.line((x + w * 0.33, y, x + w * 0.33, y + h), fill=line, width=lw)
    d.line((x + w * 0.67, y, x + w * 0.67, y + h), fill=line, width=lw)
    for f in (0.33, 0.67):
        d.line((x, y + h * f, x + w * 0.33, y + h * f), fill=line, width=lw)
        d.line((x + w * 0.67, y + h * f, x + w, y + h * f), fill=line, width=lw)
    d.rounded_rectangle((x + w * 0.33, y + h * 0.25, x + w * 0.67, y + h * 0.75), radius=mm, outline=line, width=lw)


def _unionpay(img: Image.Image, x: float, y: float, mm: float, rng: random.Random) -> None:
    """Three slanted colour blocks (red, blue, teal) with 银联 / UnionPay in white."""
    w, h = 17.5 * mm, 11.5 * mm
    sk = 2.2 * mm
    lw, lh = int(w + 2 * sk + 2), int(h + 2)
    layer = Image.new("RGBA", (lw, lh), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    cols = [(224, 30, 40), (0, 76, 151), (0, 140, 140)]
    seg = w / 3
    for i, c in enumerate(cols):
        x0 = sk + i * seg * 0.9
        d.rounded_rectangle((x0, 0, x0 + seg * 1.15, h), radius=1.2 * mm, fill=c + (255,))
    # shear: the top edge leans right
    layer = layer.transform(layer.size, Image.AFFINE, (1, sk / h, -sk, 0, 1, 0), resample=Image.BICUBIC)
    d = ImageDraw.Draw(layer)
    f = fonts.font(fonts.pick(rng, "sans_bold"), 4.3 * mm)
    d.text((lw * 0.5, h * 0.47), "银联", font=f, fill=(255, 255, 255, 255), anchor="mm")
    f2 = fonts.font(fonts.pick(rng, "latin_sans"), 2.3 * mm)
    d.text((lw * 0.52, h * 0.85), "UnionPay", font=f2, fill=(255, 255, 255, 255), anchor="mm")
    img.paste(layer, (int(x), int(y)), layer)


def _visa(img: Image.Image, x: float, y: float, mm: float, rng: random.Random, colour) -> None:
    face = next((f for f in fonts.faces()["latin_sans"] if f.bold), fonts.pick(rng, "latin_sans"))
    f = fonts.font(face, 8.0 * mm)
    tmp = Image.new("L", (int(26 * mm), int(11 * mm)), 0)
    ImageDraw.Draw(tmp).text((1 * mm, 9 * mm), "VISA", font=f, fill=255, anchor="ls")
    tmp = tmp.transform(tmp.size, Image.AFFINE, (1, 0.25, -2 * mm, 0, 1, 0), resample=Image.BICUBIC)
    img.paste(Image.new("RGB", tmp.size, colour), (int(x), int(y)), tmp)


def _mastercard(img: Image.Image, x: float, y: float, mm: float, rng: random.Random) -> None:
    d = ImageDraw.Draw(img, "RGBA")
    r = 5.2 * mm
    d.ellipse((x, y, x + 2 * r, y + 2 * r), fill=(235, 0, 27, 255))
    d.ellipse((x + 1.25 * r, y, x + 3.25 * r, y + 2 * r), fill=(247, 158, 27, 230))
    f = fonts.font(fonts.pick(rng, "latin_sans"), 2.2 * mm)
    d.text((x + 1.62 * r, y + 2 * r + 2.2 * mm), "mastercard", font=f, fill=(250, 250, 250, 255), anchor="ms")


def _jcb(img: Image.Image, x: float, y: float, mm: float, rng: random.Random) -> None:
    d = ImageDraw.Draw(img)
    cols = [(0, 80, 160), (210, 20, 40), (0, 140, 70)]
    bw, bh = 5.4 * mm, 10.5 * mm
    f = fonts.font(next((f for f in fonts.faces()["latin_sans"] if f.bold), fonts.pick(rng, "latin_sans")), 5 * mm)
    for i, (c, ch) in enumerate(zip(cols, "JCB")):
        x0 = x + i * (bw + 0.4 * mm)
        d.rounded_rectangle((x0, y, x0 + bw, y + bh), radius=1.4 * mm, fill=c)
        d.text((x0 + bw / 2, y + bh * 0.55), ch, font=f, fill=(255, 255, 255), anchor="mm")


def group_number(rng: random.Random, number: str) -> list[str]:
    if len(number) == 16:
        return [number[i:i + 4] for i in range(0, 16, 4)]
    if len(number) == 19:
        if rng.random() < 0.45:
            return [number[:6], number[6:]]
        return [number[i:i + 4] for i in range(0, 16, 4)] + [number[16:]]
    return [number]


def _embossed(img: Image.Image, xy, text: str, font, colour, tracking: float, gap: float) -> tuple:
    """Raised characters: shadow below-right, highlight above-left, metallic face."""
    pen = Pen(img)
    off = max(1, int(font.size / 22))
    x, y = xy
    boxes = []
    shadow = mix(colour, (0, 0, 0), 0.75)
    light = mix(colour, (255, 255, 255), 0.7)
    for part in text.split(" "):
        pen.text((x + off, y + off), part, font, shadow, tracking)
        pen.text((x - off, y - off), part, font, light, tracking)
        boxes.append(pen.text((x, y), part, font, colour, tracking))
        x += pen.width(part, font, tracking) + gap
    return union(boxes)


def render_bank_card(rng: random.Random, *, foreign: bool = False) -> Rendered:
    w = rng.choice([960, 1012, 1100, 1200, 1280])
    h = int(round(w * 54 / 85.6))
    mm = w / 85.6
    fields: dict = {}
    boxes: dict = {}
    if foreign:
        issuer = rng.choice(FOREIGN_ISSUERS) if rng.random() < 0.85 else ""
        brand = rng.choice(["visa", "visa", "mastercard", "mastercard", "jcb"])
        if brand == "visa":
            number = card_number(rng, "4" + "".join(str(rng.randrange(10)) for _ in range(5)), 16)
        elif brand == "mastercard":
            pre = str(rng.randint(51, 55)) if rng.random() < 0.7 else str(rng.randint(2221, 2720))
            number = card_number(rng, pre, 16)
        else:
            number = card_number(rng, str(rng.randint(3528, 3589)), 16)
        ctype = rng.choice(["credit", "debit", "unknown", "unknown"])
        palette = rng.choice([((20, 40, 90), (60, 90, 160)), ((30, 30, 34), (80, 80, 90)),
                              ((200, 200, 205), (245, 245, 248)), ((120, 20, 40), (190, 60, 80)),
                              ((10, 90, 80), (40, 150, 130)), ((180, 150, 90), (230, 210, 160))])
        bank_name = None
        product = {"credit": "CREDIT", "debit": "DEBIT", "unknown": rng.choice(["", "PLATINUM", "CLASSIC", "GOLD"])}[ctype]
        holder = rng.choice(ENGLISH_NAMES) if rng.random() < 0.8 else None
    else:
        bank_name = rng.choice(sorted(BANKS))
        english, products, colours = BANKS[bank_name]
        bin_, length, ctype, product = rng.choice(products)
        number = card_number(rng, bin_, length)
        brand = "visa" if bin_.startswith("4") else "unionpay"
        c1 = rng.choice(colours)
        style = rng.random()
        if style < 0.45:
            palette = (c1, mix(c1, (0, 0, 0), rng.uniform(0.2, 0.5)))
        elif style < 0.75:
            palette = ((246, 246, 246), mix(c1, (255, 255, 255), rng.uniform(0.6, 0.85)))
        else:
            palette = (rng.choice([(22, 22, 26), (36, 34, 40), (18, 24, 40)]), (60, 60, 68))
        holder = None
        if ctype == "credit" or rng.random() < 0.08:
            holder = pick_name(rng, rng.choice(["男", "女"])).pinyin
    lum = sum(palette[0]) / 3 * 0.5 + sum(palette[1]) / 3 * 0.5
    dark = lum < 120
    bg = _gradient(w, h, palette[0], palette[1], rng.uniform(0, math.pi))
    img = Image.fromarray(np.clip(bg + np.random.default_rng(rng.randrange(2**32)).normal(0, 2, bg.shape),
                                  0, 255).astype(np.uint8))
    accent = (255, 255, 255) if dark else tuple(int(v) for v in palette[1])
    _decorate(img, rng, accent if not dark else (200, 200, 210), dark)
    pen = Pen(img)
    text_col = (250, 250, 250) if dark else rng.choice([(20, 20, 24), (40, 40, 50)])
    if not foreign:
        if not dark and palette[0] == (246, 246, 246):
            name_col = colours[0] if rng.random() < 0.6 else text_col
        else:
            name_col = text_col
        # logo: a ring with a square (generic, not any bank's real mark)
        lx, ly, lr = 5.0 * mm, 4.0 * mm, 3.6 * mm
        d = ImageDraw.Draw(img)
        d.ellipse((lx, ly, lx + 2 * lr, ly + 2 * lr), outline=name_col, width=max(2, int(mm * 0.6)))
        d.rectangle((lx + lr * 0.6, ly + lr * 0.6, lx + lr * 1.4, ly + lr * 1.4), fill=name_col)
        nf = fonts.font(fonts.pick(rng, rng.choice(["sans_bold", "serif_bold", "kai"])), rng.uniform(4.0, 5.0) * mm)
        boxes["bank_name"] = pen.text((lx + 2 * lr + 2.0 * mm, ly + lr + nf.size * 0.38), bank_name, nf, name_col)
        ef = fonts.font(fonts.pick(rng, "latin_sans"), 1.7 * mm)
        if rng.random() < 0.8:
            pen.text((lx + 2 * lr + 2.0 * mm, ly + 2 * lr + 2.1 * mm), english, ef, name_col)
        pf = fonts.font(fonts.pick(rng, rng.choice(["sans", "sans_bold", "serif_bold"])), rng.uniform(3.0, 3.8) * mm)
        pos = rng.random()
        if pos < 0.5 or holder:
            pen.right(w - 5 * mm, 8.5 * mm, product, pf, text_col)
        else:
            pen.text((5 * mm, 46.5 * mm), product, pf, text_col)
    else:
        if issuer:
            f = fonts.font(fonts.pick(rng, "latin_sans"), 3.4 * mm)
            pen.text((6 * mm, 9 * mm), issuer, f, text_col)
        if product:
            f = fonts.font(fonts.pick(rng, "latin_sans"), 2.6 * mm)
            pen.right(w - 6 * mm, 9 * mm, product, f, text_col)
        f = fonts.font(next((f for f in fonts.faces()["latin_sans"] if f.bold), fonts.pick(rng, "latin_sans")),
                       rng.uniform(5, 7.5) * mm)
        sp = Image.new("L", (w, h), 0)
        ImageDraw.Draw(sp).text((w * 0.5, h * 0.36), "SPECIMEN", font=f, fill=rng.randint(70, 140), anchor="mm")
        sp = sp.rotate(rng.uniform(-12, 12), resample=Image.BICUBIC, center=(w * 0.5, h * 0.36))
        img.paste(Image.new("RGB", (w, h), (255, 255, 255) if dark else (200, 30, 30)), (0, 0), sp)
    _chip(img, rng.uniform(7, 10) * mm, rng.uniform(15.5, 19) * mm, mm, rng)
    # card number
    groups = group_number(rng, number)
    embossed = holder is not None and rng.random() < 0.7 or rng.random() < 0.25
    nface = fonts.pick(rng, rng.choice(["latin_mono", "latin_mono", "latin_sans"]))
    size = rng.uniform(3.9, 4.8) * mm
    nf = fonts.font(nface, size)
    total_w = sum(nf.getlength(g) for g in groups)
    avail = w - 13 * mm
    gap = min(2.8 * mm, max(1.0 * mm, (avail - total_w) / max(1, len(groups) - 1) * 0.5))
    tracking = max(0.0, min(0.9 * mm, (avail - total_w - gap * (len(groups) - 1)) / max(1, len(number))))
    line_w = total_w + tracking * len(number) + gap * (len(groups) - 1)
    x0 = rng.uniform(6.0, max(6.2, (w - line_w) / mm - 6)) * mm
    y0 = rng.uniform(33.5, 37.0) * mm
    text = " ".join(groups)
    if embossed:
        metal = (230, 230, 232) if dark else rng.choice([(200, 200, 204), (215, 190, 120), (60, 60, 66)])
        boxes["card_number"] = _embossed(img, (x0, y0), text, nf, metal, tracking, gap)
    else:
        x = x0
        parts = []
        for g in groups:
            parts.append(pen.text((x, y0), g, nf, text_col, tracking))
            x += pen.width(g, nf, tracking) + gap + tracking
        boxes["card_number"] = union(parts)
    if holder or ctype == "credit":
        vf = fonts.font(fonts.pick(rng, "latin_mono"), 2.9 * mm)
        mm_yy = f"{rng.randint(1, 12):02d}/{rng.randint(25, 31)}"
        pen.text((x0 + 20 * mm, y0 + 5.0 * mm), "VALID THRU", fonts.font(fonts.pick(rng, "latin_sans"), 1.5 * mm), text_col)
        pen.text((x0 + 31 * mm, y0 + 5.2 * mm), mm_yy, vf, text_col)
    if holder:
        hf = fonts.font(fonts.pick(rng, "latin_mono"), rng.uniform(3.0, 3.5) * mm)
        hy = min(h - 4.5 * mm, y0 + 11.5 * mm)
        if embossed:
            boxes["holder_name"] = _embossed(img, (x0, hy), holder, hf, (230, 230, 232) if dark else (60, 60, 66),
                                             0.15 * mm, hf.getlength(" ") + 0.15 * mm)
        else:
            boxes["holder_name"] = pen.text((x0, hy), holder, hf, text_col)
    # brand mark, bottom right
    bx, by = w - 24 * mm, h - 13.2 * mm
    if brand == "unionpay":
        _unionpay(img, bx, by, mm, rng)
    elif brand == "visa":
        _visa(img, bx, by + 2 * mm, mm, rng, (255, 255, 255) if dark else (26, 31, 113))
        if not foreign:
            _unionpay(img, bx - 22 * mm, by, mm, rng) if rng.random() < 0.3 else None
    elif brand == "mastercard":
        _mastercard(img, bx + 1 * mm, by, mm, rng)
    else:
        _jcb(img, bx + 2 * mm, by, mm, rng)
    img = img.filter(ImageFilter.GaussianBlur(0.4))
    fields["card_number"] = number
    fields["bank_name"] = bank_name
    fields["card_type"] = ctype
    if holder:
        fields["holder_name"] = holder
    out_boxes = {k: quad(v) for k, v in boxes.items()}
    return Rendered(img, "bank_card", fields, out_boxes, paper="card", dark=dark,
                    mask=rounded_mask(w, h, 3.2 * mm))
