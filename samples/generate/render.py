"""Clean renders of every CONTRACT document kind, in layouts modelled on the real ones.

``render_document(kind, rng, identity=None, **overrides) -> (bgr, truth)``; for
``court_judgment`` the image is page 1 and ``truth["pages_bgr"]`` is not set: use
``render_pages`` to get every page (and the text lines for a PDF text layer).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts
from . import identities as ids
from .canvas import Page, draw_seal, guilloche, paper, quad, star, to_bgr

__all__ = ["render_document", "render_pages", "KIND_RENDERERS", "ID_SIZE", "A4"]

ID_SIZE = (1012, 638)   # 85.6 × 54 mm at 300 dpi
A4 = (1240, 1754)       # 210 × 297 mm at 150 dpi
LABEL_BLUE = (52, 104, 156)
INK = (22, 22, 24)


def _d(v) -> dt.date:
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def _truth(kind: str, fields: dict, page: Page, **extra) -> dict:
    t = {"kind": kind, "fields": fields,
         "boxes": {k: quad(b) for k, b in page.boxes.items() if k in fields},
         "size": list(page.size)}
    t.update(extra)
    return t


def _mono_font(size: int, rng: random.Random):
    for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf"):
        if os.path.exists(p) and rng.random() < 0.5:
            from PIL import ImageFont
            return ImageFont.truetype(p, size)
    return fonts.font("mono", size, rng)


# ====================================================================== ID card front

def _silhouette(img: Image.Image, box, rng: random.Random) -> None:
    x0, y0, x1, y1 = [int(v) for v in box]
    full = img
    img = full.crop((x0, y0, x1, y1))
    _silhouette_draw(img, (0, 0, x1 - x0, y1 - y0), rng)
    full.paste(img, (x0, y0))


def _silhouette_draw(img: Image.Image, box, rng: random.Random) -> None:
    x0, y0, x1, y1 = box
    d = ImageDraw.Draw(img)
    g = rng.randint(150, 185)
    w, h = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2 + rng.uniform(-8, 8)
    d.ellipse((cx - w * 0.42, y0 + h * 0.68, cx + w * 0.42, y1 + h * 0.35), fill=(g, g, g + 4))
    d.rectangle((cx - w * 0.11, y0 + h * 0.52, cx + w * 0.11, y0 + h * 0.74), fill=(g + 10, g + 10, g + 12))
    d.ellipse((cx - w * 0.23, y0 + h * 0.13, cx + w * 0.23, y0 + h * 0.62), fill=(g + 15, g + 15, g + 17))
    d.chord((cx - w * 0.25, y0 + h * 0.08, cx + w * 0.25, y0 + h * 0.45), 180, 360, fill=(g - 90, g - 90, g - 88))


def _id_background(rng: random.Random) -> Image.Image:
    w, h = ID_SIZE
    img = paper(w, h, rng, base=(rng.randint(236, 246), rng.randint(240, 248), rng.randint(240, 250)), noise=2.0)
    guilloche(img, rng, [(150, 190, 215), (215, 180, 190), (190, 205, 170)], n=55, alpha=55)
    # soft rainbow tint band like the real card
    arr = np.asarray(img, np.float32)
    xx = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    arr[..., 0] += 6 * np.sin(xx * 3.1 + rng.uniform(0, 3))
    arr[..., 2] += 6 * np.cos(xx * 2.3 + rng.uniform(0, 3))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return img


def _wrap(s: str, ft, width: float) -> list[str]:
    out, cur = [], ""
    for c in s:
        if ft.getlength(cur + c) > width and cur:
            out.append(cur)
            cur = ""
        cur += c
    if cur:
        out.append(cur)
    return out


def render_id_front(rng: random.Random, identity: ids.Identity | None = None, *, name=None, sex=None,
                    ethnicity=None, birth_date=None, address=None, id_number=None,
                    inconsistent: str | None = None, label_ink=LABEL_BLUE, **_):
    """``label_ink``: the labels' colour; near the background's, they vanish as on a
    light copy (the values stay where the layout puts them)."""
    p = identity or ids.make_identity(rng)
    name = name or p.name
    sex = sex or p.sex
    eth = ethnicity or p.ethnicity
    bd = _d(birth_date or p.birth_date)
    addr = address or p.address
    num = id_number or p.id_number
    extra: dict = {}
    if inconsistent == "birth_date":
        bd = bd + dt.timedelta(days=rng.choice((-400, -31, -1, 1, 30, 365)))
        extra["inconsistent"] = "birth_date"
    elif inconsistent == "sex":
        sex = "女" if sex == "男" else "男"
        extra["inconsistent"] = "sex"
    elif inconsistent in ("id_17", "id_number_length"):
        k = rng.randrange(6, 17)
        num = num[:k] + num[k + 1:]
        extra["inconsistent"] = "id_number_length"
    elif inconsistent == "check_digit":
        last = num[-1]
        num = num[:-1] + rng.choice([c for c in "0123456789X" if c != last])
        extra["inconsistent"] = "check_digit"
    img = _id_background(rng)
    pg = Page(img)
    style_val = rng.choice(("sans", "sans", "song", "serif"))
    face = fonts.pick_face(style_val, rng, name + addr + eth)
    fl = fonts.font("sans", 25, rng, "姓名性别民族出生住址公民身份号码年月日")
    fv = fonts.font(style_val, 34, face=face)
    lx, vx = 70, 170
    jitter = lambda: rng.uniform(-3, 3)  # noqa: E731
    y = 78 + jitter()
    pg.text((lx, y + 6), "姓  名", fl, label_ink)
    pg.text((vx, y), name, fv, INK, "name")
    y = 152 + jitter()
    pg.text((lx, y + 6), "性  别", fl, label_ink)
    pg.text((vx, y), sex, fv, INK, "sex")
    pg.text((lx + 255, y + 6), "民  族", fl, label_ink)
    pg.text((lx + 355, y), eth, fv, INK, "ethnicity")
    y = 226 + jitter()
    pg.text((lx, y + 6), "出  生", fl, label_ink)
    x = vx
    for val, lab, gap in ((str(bd.year), "年", 14), (str(bd.month), "月", 14), (str(bd.day), "日", 0)):
        b = pg.text((x, y), val, fv, INK, "birth_date")
        x = b[2] + 8
        lb = pg.text((x, y + 6), lab, fl, label_ink)
        x = lb[2] + 8 + gap
    y = 300 + jitter()
    pg.text((lx, y + 6), "住  址", fl, label_ink)
    lines = _wrap(addr, fv, 12 * 34 - 10)
    for i, ln in enumerate(lines[:4]):
        pg.text((vx, y + i * 46), ln, fv, INK, "address")
    y = 520 + jitter()
    pg.text((lx, y + 8), "公民身份号码", fl, label_ink)
    fn = _mono_font(40, rng)
    sp = rng.choice((2, 4, 5))
    while fn.getlength(num) + sp * len(num) > 600 and fn.size > 28:
        fn = fn.font_variant(size=fn.size - 2)
    pg.text((lx + 265, y - 2), num, fn, INK, "id_number", spacing=sp)
    _silhouette(img, (660, 60, 950, 470), rng)
    fields = {"name": name, "sex": sex, "ethnicity": eth, "birth_date": bd.isoformat(),
              "address": addr, "id_number": num.upper()}
    return to_bgr(img), _truth("id_card_front", fields, pg, fonts=[face.name], **extra)


# ====================================================================== ID card back

def _emblem(img: Image.Image, center, r: int, rng: random.Random) -> None:
    d = ImageDraw.Draw(img)
    cx, cy = center
    red = (205, 30, 35)
    gold = (235, 190, 60)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=gold)
    d.ellipse((cx - r * 0.86, cy - r * 0.86, cx + r * 0.86, cy + r * 0.86), fill=red)
    star(d, cx, cy - r * 0.35, r * 0.22, gold)
    for k in range(4):
        a = math.radians(-150 + k * 40)
        star(d, cx + r * 0.42 * math.cos(a) + r * 0.1, cy - r * 0.35 + r * 0.42 * math.sin(a) + r * 0.25,
             r * 0.07, gold, rot=-90 + k * 15)
    # Tiananmen silhouette
    d.rectangle((cx - r * 0.45, cy + r * 0.15, cx + r * 0.45, cy + r * 0.35), fill=gold)
    d.polygon([(cx - r * 0.55, cy + r * 0.15), (cx, cy - r * 0.02), (cx + r * 0.55, cy + r * 0.15)], fill=gold)
    d.rectangle((cx - r * 0.6, cy + r * 0.42, cx + r * 0.6, cy + r * 0.5), fill=gold)
    for k in range(9):
        a = math.radians(200 + k * 17)
        d.ellipse((cx + r * 0.72 * math.cos(a) - 5, cy - r * 0.72 * math.sin(a) - 5,
                   cx + r * 0.72 * math.cos(a) + 5, cy - r * 0.72 * math.sin(a) + 5), fill=gold)


def render_id_back(rng: random.Random, identity: ids.Identity | None = None, *, issuing_authority=None,
                   valid_from=None, valid_until=None, **_):
    p = identity or ids.make_identity(rng)
    auth = issuing_authority or p.issuing_authority
    vf = _d(valid_from or p.issue_date)
    vu = valid_until if valid_until is not None else p.valid_until
    vu = vu if (isinstance(vu, str) and vu == "长期") else _d(vu)
    img = _id_background(rng)
    guilloche(img, rng, [(200, 170, 120), (170, 190, 215)], n=25, alpha=45, box=(0, 330, ID_SIZE[0], 638))
    pg = Page(img)
    _emblem(img, (160, 150), 92, rng)
    ft1 = fonts.font("bold", 52, rng, "中华人民共和国")
    pg.text((310, 78), "中华人民共和国", ft1, INK, spacing=16)
    ft2 = fonts.font("bold", 78, rng, "居民身份证")
    pg.text((300, 170), "居民身份证", ft2, INK, spacing=28)
    fl = fonts.font("sans", 25, rng, "签发机关有效期限")
    fv = fonts.font(rng.choice(("sans", "song")), 31, rng, auth)
    y = 455 + rng.uniform(-4, 4)
    pg.text((210, y + 5), "签发机关", fl, LABEL_BLUE)
    pg.text((350, y), auth, fv, INK, "issuing_authority")
    y = 530 + rng.uniform(-4, 4)
    pg.text((210, y + 5), "有效期限", fl, LABEL_BLUE)
    until_s = vu if isinstance(vu, str) else f"{vu:%Y.%m.%d}"
    b1 = pg.text((350, y), f"{vf:%Y.%m.%d}", fv, INK, "valid_from")
    b2 = pg.text((b1[2] + 2, y), "-", fv, INK)
    pg.text((b2[2] + 2, y), until_s, fv, INK, "valid_until")
    fields = {"issuing_authority": auth, "valid_from": vf.isoformat(),
              "valid_until": vu if isinstance(vu, str) else vu.isoformat()}
    return to_bgr(img), _truth("id_card_back", fields, pg)


# ====================================================================== bank card

def _group(num: str, rng: random.Random) -> str:
    n = len(num)
    if n == 16:
        parts = [4, 4, 4, 4]
    elif n == 19:
        parts = rng.choice(([4, 4, 4, 4, 3], [6, 13]))
    elif n == 18:
        parts = rng.choice(([6, 12], [4, 4, 4, 4, 2]))
    else:
        parts = [n]
    out, i = [], 0
    for k in parts:
        out.append(num[i:i + k])
        i += k
    return " ".join(out)


def _unionpay(img: Image.Image, box, rng: random.Random) -> None:
    x0, y0, x1, y1 = box
    d = ImageDraw.Draw(img)
    w = (x1 - x0) / 3
    for i, col in enumerate(((220, 30, 40), (0, 70, 150), (0, 140, 130))):
        xa = x0 + i * w * 0.92
        d.rounded_rectangle((xa, y0, xa + w, y1), radius=8, fill=col)
    ft = fonts.font("bold", int((y1 - y0) * 0.36), rng, "银联")
    d.text(((x0 + x1) / 2, y0 + (y1 - y0) * 0.36), "银联", font=ft, fill=(255, 255, 255), anchor="mm")
    fe = fonts.font("bold", int((y1 - y0) * 0.2), rng)
    d.text(((x0 + x1) / 2, y0 + (y1 - y0) * 0.76), "UnionPay", font=fe, fill=(255, 255, 255), anchor="mm")


def render_bank_card(rng: random.Random, identity: ids.Identity | None = None, *, card=None,
                     card_number=None, bank_name=None, card_type=None, holder_name=None,
                     print_holder: bool | None = None, holder_style: str | None = None,
                     print_type: bool | None = None, unionpay: bool | None = None, **_):
    if card is None:
        card = ids.make_bank_card(rng, bank_name=bank_name, card_type=card_type, number=card_number)
    bank = bank_name or card.bank_name
    ctype = card_type or card.card_type
    info = ids.BANKS.get(bank, {"en": "", "color": (90, 90, 110)})
    w, h = ID_SIZE
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    base = np.array(info["color"], np.float32)
    light = rng.random() < 0.3
    c1 = base if not light else 0.25 * base + 0.75 * 240
    c2 = np.clip(base * rng.uniform(0.4, 0.8) + rng.uniform(0, 60), 0, 255) if not light else 0.1 * base + 0.9 * 250
    t = (np.linspace(0, 1, w, dtype=np.float32)[None, :] * 0.7 + np.linspace(0, 1, h, dtype=np.float32)[:, None] * 0.3)
    arr = c1[None, None, :] * (1 - t[..., None]) + c2[None, None, :] * t[..., None]
    arr += nrng.normal(0, 2.0, (h, w, 1))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img, "RGBA")
    for _ in range(rng.randint(2, 5)):  # decorative arcs / circles
        r = rng.randint(150, 500)
        cx, cy = rng.randint(0, w), rng.randint(0, h)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(255, 255, 255, rng.randint(20, 50)),
                  width=rng.randint(8, 40))
    fg = (250, 250, 250) if not light else (30, 30, 40)
    pg = Page(img)
    # logo + bank name
    lc = info["color"] if light else (255, 255, 255)
    d.ellipse((48, 40, 118, 110), outline=lc, width=7)
    d.rectangle((70, 62, 96, 88), outline=lc, width=5)
    fb = fonts.font("bold", rng.randint(44, 52), rng, bank)
    pg.text((135, 42), bank, fb, fg, "bank_name")
    if info.get("en"):
        fe = fonts.font("sans", 18, rng)
        pg.text((137, 108), info["en"], fe, fg, record=False)
    if print_type is None:
        print_type = rng.random() < 0.6
    if print_type:
        lab = "信用卡" if ctype == "credit" else rng.choice(("借记卡", "储蓄卡", "借记卡"))
        ft = fonts.font("bold", 32, rng, lab)
        pg.text((w - 60 - ft.getlength(lab), 48), lab, ft, fg, "card_type")
    # chip
    if rng.random() < 0.8:
        d.rounded_rectangle((95, 215, 215, 305), radius=14, fill=(212, 180, 95), outline=(150, 120, 50), width=2)
        for yy in (245, 275):
            d.line((95, yy, 215, yy), fill=(150, 120, 50), width=2)
        d.line((155, 215, 155, 305), fill=(150, 120, 50), width=2)
    # number
    grouped = _group(card.number if card_number is None else card_number, rng)
    num_plain = grouped.replace(" ", "")
    fsize = 54 if len(grouped) <= 19 else 46
    fn = _mono_font(fsize, rng)
    nx = 80 if len(grouped) > 19 else 95
    embossed = rng.random() < 0.5 and not light
    if embossed:
        pg.text((nx + 2, 370 + 2), grouped, fn, (60, 60, 60), record=False)
        pg.text((nx, 370), grouped, fn, (235, 225, 200), "card_number")
    else:
        pg.text((nx, 370), grouped, fn, fg, "card_number")
    if ctype == "credit":
        fv = fonts.font("mono", 24, rng)
        pg.text((420, 460), f"VALID THRU {rng.randint(1, 12):02d}/{rng.randint(27, 31)}", fv, fg)
    if print_holder is None:
        print_holder = rng.random() < 0.55
    hold_val = None
    if print_holder:
        person = identity.name if identity else ids.make_name(rng, rng.choice("男女"))
        style = holder_style or rng.choice(("pinyin", "pinyin", "chinese"))
        hold_val = holder_name or (ids.name_pinyin(person) if style == "pinyin" else person)
        fh = fonts.font("sans", 34, rng, hold_val)
        pg.text((95, 515), hold_val, fh, fg, "holder_name")
    if unionpay is None:
        unionpay = rng.random() < 0.8
    if unionpay:
        _unionpay(img, (w - 215, h - 150, w - 45, h - 40), rng)
    fields = {"card_number": num_plain, "bank_name": bank, "card_type": ctype}
    extra = {"card_type_printed": bool(print_type)}
    if hold_val:
        fields["holder_name"] = hold_val
    else:
        extra["absent_fields"] = ["holder_name"]
    return to_bgr(img), _truth("bank_card", fields, pg, **extra)


# ====================================================================== income proof

def render_income_proof(rng: random.Random, identity: ids.Identity | None = None, *, name=None,
                        id_number=None, employer=None, position=None, department=None,
                        monthly_income=None, annual_income=None, issue_date=None,
                        has_seal: bool | None = None, **_):
    p = identity or ids.make_identity(rng)
    name = name or p.name
    idn = id_number or p.id_number
    employer = employer or ids.make_employer(rng, p.region)
    dept, pos = ids.make_position(rng)
    pos = position or pos
    dept = department if department is not None else (dept if rng.random() < 0.6 else "")
    if monthly_income is None and annual_income is not None:
        monthly_income = float(annual_income) / 12
    m, a = ids.make_income(rng, monthly_income)
    if annual_income is not None:
        a = ids.money_str(annual_income)
    issue = _d(issue_date) if issue_date else ids.random_date(rng, ids.REF_DATE - dt.timedelta(days=150),
                                                               ids.REF_DATE - dt.timedelta(days=3))
    if has_seal is None:
        has_seal = rng.random() < 0.85
    w, h = A4
    img = paper(w, h, rng, base=(rng.randint(246, 252),) * 3)
    pg = Page(img)
    style = rng.choice(("song", "serif", "kai", "sans"))
    ft_title = fonts.font("bold", 66, rng, "收入证明")
    title = "收入证明"
    tw = sum(ft_title.getlength(c) for c in title) + 3 * 30
    pg.text(((w - tw) / 2, 200), title, ft_title, INK, spacing=30)
    fb = fonts.font(style, 34, rng, name + employer + pos + dept)
    start = ids.random_date(rng, max(dt.date(2005, 1, 1), ids._add_years(p.birth_date, 18)),
                            issue - dt.timedelta(days=400))
    mf = f"{float(m):,.2f}"
    af = f"{float(a):,.2f}"
    runs = [("兹证明", None), (name, "name"), ("（身份证号：", None), (idn, "id_number"),
            ("）系我单位员工，自", None), (ids.cn_date(start), None), ("起在我单位工作至今，现任", None),
            (dept, None), (pos, "position"), ("职务。该员工月收入为人民币", None), (mf, "monthly_income"),
            ("元（大写：" + ids.money_upper(m) + "），年收入为人民币", None), (af, "annual_income"),
            ("元（大写：" + ids.money_upper(a) + "）。", None)]
    y = pg.paragraph(150, 400, w - 300, runs, fb, INK, line_h=68)
    y = pg.paragraph(150, y + 10, w - 300, [("本证明仅用于办理保险业务，我单位对本证明的真实性负责，不作任何担保。", None)],
                     fb, INK, line_h=68)
    y = pg.paragraph(150, y + 10, w - 300, [("特此证明。", None)], fb, INK, line_h=68)
    if rng.random() < 0.5:
        y = pg.paragraph(150, y + 20, w - 300, [("单位联系人：" + ids.make_name(rng, rng.choice("男女"))
                                                  + "    联系电话：" + ids.make_phone(rng), None)], fb, INK, line_h=68, indent=0)
    ey = max(y + 140, 1200) + rng.randint(-20, 60)
    lab = rng.choice(("单位名称（盖章）：", "", "证明单位（盖章）："))
    ex = w - 160 - fb.getlength(lab + employer)
    if lab:
        b = pg.text((ex, ey), lab, fb, INK)
        pg.text((b[2] + 4, ey), employer, fb, INK, "employer")
    else:
        pg.text((w - 160 - fb.getlength(employer), ey), employer, fb, INK, "employer")
    ds = ids.cn_date(issue)
    dx = w - 160 - fb.getlength(ds) - rng.randint(0, 80)
    pg.text((dx, ey + 80), ds, fb, INK, "issue_date")
    seal_box = None
    if has_seal:
        eb = pg.boxes["employer"]
        cx = (eb[0] + eb[2]) / 2 + rng.uniform(-60, 60)
        cy = ey + 60 + rng.uniform(-40, 40)
        seal_box = draw_seal(img, (cx, cy), rng.randint(115, 135), employer, rng,
                             bottom_text=rng.choice(("", "人事专用章", "财务专用章", "")))
    fields = {"name": name, "id_number": idn, "employer": employer, "position": pos,
              "monthly_income": ids.money_str(m), "annual_income": ids.money_str(a),
              "issue_date": issue.isoformat(), "has_seal": "true" if has_seal else "false"}
    t = _truth("income_proof", fields, pg, department=dept, employment_start=start.isoformat(),
               printed_position=dept + pos)
    if seal_box:
        t["boxes"]["has_seal"] = quad(seal_box)
    return to_bgr(img), t


# ====================================================================== marriage / divorce

def render_marriage(rng: random.Random, identity: ids.Identity | None = None, *, spouse=None,
                    registration_date=None, certificate_number=None, divorce: bool = False,
                    holder_is_first: bool | None = None, **_):
    a = identity or ids.make_identity(rng, age=(25, 60))
    other_sex = "女" if a.sex == "男" else "男"
    b = spouse or ids.make_identity(rng, sex=other_sex, birth_date=ids.random_date(
        rng, a.birth_date - dt.timedelta(days=2500), a.birth_date + dt.timedelta(days=2500)))
    youngest = max(a.birth_date, b.birth_date)
    reg = _d(registration_date) if registration_date else ids.random_date(
        rng, max(ids._add_years(youngest, 22), dt.date(2005, 1, 1)), ids.REF_DATE - dt.timedelta(days=10))
    office_region = a.region if rng.random() < 0.7 else b.region
    cert = certificate_number or ids.make_certificate_number(rng, office_region, reg.year, divorce)
    holder, spouse_p = a, b
    man, woman = (a, b) if a.sex == "男" else (b, a)
    w, h = 1240, 880
    bg = (250, 236, 232) if not divorce else (238, 242, 236)
    img = paper(w, h, rng, base=bg)
    guilloche(img, rng, [(235, 190, 190)] if not divorce else [(190, 210, 190)], n=30, alpha=50)
    pg = Page(img)
    d = ImageDraw.Draw(img)
    d.rectangle((30, 30, w - 30, h - 30), outline=(200, 120, 120) if not divorce else (120, 160, 120), width=3)
    fl = fonts.font(rng.choice(("song", "sans")), 30, rng, "持证人登记日期结婚证字号离婚证备注姓名性别国籍出生日期身份证件号")
    names = holder.name + spouse_p.name
    fv = fonts.font(rng.choice(("sans", "song", "kai")), 32, rng, names)
    word = "离婚证字号" if divorce else "结婚证字号"
    y = 90
    bl = pg.text((80, y), "持证人", fl, (60, 60, 60))
    pg.text((bl[2] + 40, y - 2), holder.name, fv, INK, "holder_name")
    y += 70
    bl = pg.text((80, y), "登记日期", fl, (60, 60, 60))
    pg.text((bl[2] + 40, y - 2), ids.cn_date(reg, pad=True), fv, INK, "registration_date")
    y += 70
    bl = pg.text((80, y), word, fl, (60, 60, 60))
    pg.text((bl[2] + 40, y - 2), cert, fv, INK, "certificate_number")
    y += 70
    pg.text((80, y), "备注", fl, (60, 60, 60))
    # photo (two people on red / blue background)
    px0, py0, px1, py1 = 820, 70, 1150, 300
    d.rectangle((px0, py0, px1, py1), fill=(200, 40, 45) if not divorce else (60, 110, 190))
    _silhouette(img, (px0 + 10, py0 + 20, px0 + 160, py1), rng)
    _silhouette(img, (px0 + 170, py0 + 20, px1 - 10, py1), rng)
    # persons
    y0 = 450
    first, second = (man, woman)
    for col, person in enumerate((first, second)):
        x = 80 + col * 560
        fn = "holder" if person is holder else "spouse"
        rows = [("姓名", person.name, f"{fn}_name"), ("性别", person.sex, None), ("国籍", "中国", None),
                ("出生日期", ids.cn_date(person.birth_date, pad=True), None),
                ("身份证件号", person.id_number, f"{fn}_id_number")]
        for i, (lab, val, f) in enumerate(rows):
            yy = y0 + i * 66
            lb = pg.text((x, yy), lab, fl, (60, 60, 60))
            pg.text((max(lb[2] + 24, x + 170), yy - 2), val, fv, INK, f)
    office = (office_region.city or office_region.province) + office_region.county + "民政局"
    sb = draw_seal(img, (px0 + rng.uniform(-20, 60), py1 + rng.uniform(-30, 10)), 105, office, rng,
                   bottom_text=("离婚登记专用章" if divorce else "婚姻登记专用章"))
    kind = "divorce_certificate" if divorce else "marriage_certificate"
    fields = {"holder_name": holder.name, "holder_id_number": holder.id_number,
              "spouse_name": spouse_p.name, "spouse_id_number": spouse_p.id_number,
              "registration_date": reg.isoformat(), "certificate_number": cert}
    t = _truth(kind, fields, pg, has_seal="true")
    t["boxes"]["seal"] = quad(sb)
    return to_bgr(img), t


def render_divorce(rng, identity=None, **kw):
    kw["divorce"] = True
    return render_marriage(rng, identity, **kw)


# ====================================================================== household register

_REL_M = ("户主", "子", "长子", "次子", "夫", "父", "孙子", "兄")
_REL_F = ("户主", "妻", "女", "长女", "次女", "母", "孙女", "妹")


def render_household(rng: random.Random, identity: ids.Identity | None = None, *,
                     relationship_to_head=None, **_):
    p = identity or ids.make_identity(rng, age=(1, 80))
    rel = relationship_to_head or rng.choice(_REL_M if p.sex == "男" else _REL_F)
    w, h = 1240, 900
    img = paper(w, h, rng, base=(rng.randint(240, 248), rng.randint(243, 250), rng.randint(246, 252)))
    guilloche(img, rng, [(200, 215, 230)], n=20, alpha=35)
    pg = Page(img)
    d = ImageDraw.Draw(img)
    ft_t = fonts.font("bold", 46, rng, "常住人口登记卡")
    tt = "常住人口登记卡"
    pg.text(((w - ft_t.getlength(tt) - 6 * 12) / 2, 38), tt, ft_t, (40, 40, 40), spacing=12)
    fl = fonts.font("song", 24, rng, "姓名户主或与户主关系曾用名性别出生地民族籍贯出生日期住址宗教信仰公民身份证件编号身高血型文化程度婚姻状况兵役状况服务处所职业何时由何地迁来本市县址登记日期承办人签章")
    fv = fonts.font(rng.choice(("kai", "song", "sans")), 28, rng, p.name + p.address + p.ethnicity + rel)
    X0, X1, Y0 = 50, w - 50, 120
    rh = 64
    c = [X0, 210, 560, 780, X1]  # column edges
    line = (90, 90, 110)
    birthplace = p.region.province + (p.region.city or "") + p.region.county
    rows = [
        [("姓名", 0, 1), (p.name, 1, 2, "name"), ("户主或与户主关系", 2, 3), (rel, 3, 4, "relationship_to_head")],
        [("曾用名", 0, 1), ("", 1, 2), ("性别", 2, 3), (p.sex, 3, 4, "sex")],
        [("出生地", 0, 1), (birthplace, 1, 2), ("民族", 2, 3), (p.ethnicity + "族", 3, 4, "ethnicity")],
        [("籍贯", 0, 1), (p.region.province + (p.region.city or p.region.county), 1, 2), ("出生日期", 2, 3),
         (ids.cn_date(p.birth_date, pad=True), 3, 4, "birth_date")],
        [("住址", 0, 1), (p.address, 1, 4, "address")],
        [("宗教信仰", 0, 1), ("", 1, 2), ("公民身份证件编号", 2, 3), (p.id_number, 3, 4, "id_number")],
        [("身高", 0, 1), (f"{rng.randint(150, 185)}厘米", 1, 2), ("血型", 2, 3), (rng.choice("ABO") + "型", 3, 4)],
        [("文化程度", 0, 1), (rng.choice(("大学本科", "高中", "初中", "大学专科", "研究生")), 1, 2),
         ("婚姻状况", 2, 3), (rng.choice(("已婚", "未婚", "已婚")), 3, 4)],
        [("服务处所", 0, 1), ("", 1, 2), ("职业", 2, 3), ("", 3, 4)],
        [("何时由何地迁来本市（县）", 0, 2), ("", 2, 4)],
        [("何时由何地迁来本址", 0, 2), ("", 2, 4)],
    ]
    # wider label column for long labels
    for r, row in enumerate(rows):
        y = Y0 + r * rh
        d.line((X0, y, X1, y), fill=line, width=2)
        for cell in row:
            text, a, b_ = cell[0], cell[1], cell[2]
            f = cell[3] if len(cell) > 3 else None
            xa, xb = c[a], c[b_]
            if a > 0:
                d.line((xa, y, xa, y + rh), fill=line, width=2)
            if not text:
                continue
            is_label = f is None and (a in (0, 2)) and not (r in (9, 10) and a == 2) and text not in (birthplace,)
            if r == 2 and a == 1 or r == 3 and a == 1 or r in (6, 7) and a in (1, 3):
                is_label = False
            fnt = fl if is_label else fv
            if is_label and fnt.getlength(text) > xb - xa - 12:
                fnt = fonts.font("song", 18, rng, text)
            if not is_label and fnt.getlength(text) > xb - xa - 16:
                fnt = fonts.font("kai", max(16, int(28 * (xb - xa - 16) / fnt.getlength(text))), rng, text)
            asc, desc = fnt.getmetrics()
            ty = y + (rh - asc - desc) / 2
            tx = xa + (xb - xa - fnt.getlength(text)) / 2 if is_label else xa + 12
            pg.text((tx, ty), text, fnt, (50, 50, 60) if is_label else INK, f)
    yb = Y0 + len(rows) * rh
    d.line((X0, yb, X1, yb), fill=line, width=2)
    d.rectangle((X0, Y0, X1, yb), outline=line, width=3)
    reg_date = ids.random_date(rng, max(p.birth_date, dt.date(2000, 1, 1)), ids.REF_DATE - dt.timedelta(days=30))
    pg.text((X1 - 520, yb + 30), "登记日期  " + ids.cn_date(reg_date, pad=True), fl, (50, 50, 60))
    pg.text((X0 + 20, yb + 30), "承办人签章：", fl, (50, 50, 60))
    auth = ids.issuing_authority(p.region) + rng.choice(_STATIONS) + "派出所"
    seal_y = min(yb - 10 + rng.uniform(-30, 30), img.height - 95 - 12)  # a long card keeps its seal on the page
    sb = draw_seal(img, (X1 - 200 + rng.uniform(-40, 20), seal_y), 95, auth, rng, bottom_text="户口专用章")
    fields = {"name": p.name, "relationship_to_head": rel, "sex": p.sex, "ethnicity": p.ethnicity,
              "birth_date": p.birth_date.isoformat(), "id_number": p.id_number, "address": p.address}
    t = _truth("household_register", fields, pg, registration_date=reg_date.isoformat())
    t["boxes"]["seal"] = quad(sb)
    return to_bgr(img), t


_STATIONS = ("城关", "东街", "新华", "城南", "建设路", "滨江", "北关", "中心")


# ====================================================================== court judgment

_INSURERS = ("中国人寿保险股份有限公司", "中国平安人寿保险股份有限公司", "新华人寿保险股份有限公司",
             "太平洋人寿保险股份有限公司", "泰康人寿保险有限责任公司", "太平人寿保险有限公司")


def render_pages(rng: random.Random, identity: ids.Identity | None = None, *, court=None,
                 case_number=None, judgment_date=None, policy_numbers=None, mediation: bool | None = None,
                 other_party: ids.Identity | None = None, **_):
    """Court judgment / mediation: returns (list of Page, truth)."""
    p = identity or ids.make_identity(rng, age=(28, 65))
    q = other_party or ids.make_identity(rng, sex="女" if p.sex == "男" else "男", age=(28, 65))
    court_name, court_region = (court, p.region) if court else ids.make_court(rng, p.region)
    jd = _d(judgment_date) if judgment_date else ids.random_date(rng, dt.date(2021, 1, 1),
                                                                 ids.REF_DATE - dt.timedelta(days=20))
    caseno = case_number or ids.make_case_number(rng, court_region, jd.year if rng.random() < 0.6 else jd.year - 1)
    if policy_numbers is None:
        policy_numbers = [ids.make_policy_number(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
    if mediation is None:
        mediation = rng.random() < 0.35
    insurer = rng.choice(_INSURERS)
    with_insurer = rng.random() < 0.5
    parties = [p.name, q.name] + ([insurer] if with_insurer else [])
    title = "民事调解书" if mediation else "民事判决书"
    w, h = A4
    style = rng.choice(("song", "serif", "song"))
    fb = fonts.font(style, 32, rng, p.name + q.name + p.address + q.address + court_name)
    lh = 60
    top, bottom, left, right = 150, h - 170, 150, w - 150
    pages: list[Page] = []

    def new_page() -> Page:
        pg = Page(paper(w, h, rng, base=(252, 252, 250), noise=1.5), page_no=len(pages) + 1)
        pages.append(pg)
        return pg

    def brk(pg: Page, y: float, line_h: float):
        if y + line_h > bottom:
            pg = new_page()
            return pg, top
        return pg, y

    pg = new_page()
    fc = fonts.font("bold", 44, rng, court_name)
    pg.text(((w - fc.getlength(court_name)) / 2, 150), court_name, fc, INK, "court")
    ftl = fonts.font("bold", 58, rng, title)
    tw = sum(ftl.getlength(c) for c in title) + 4 * 20
    pg.text(((w - tw) / 2, 235), title, ftl, INK, spacing=20)
    pg.text((right - fb.getlength(caseno), 345), caseno, fb, INK, "case_number")
    y = 440.0

    def para(runs, indent=2):
        nonlocal pg, y
        r = pg.paragraph(left, y, right - left, runs, fb, INK, line_h=lh, indent=indent, page_break=brk)
        if isinstance(r, tuple):
            pg, y = r
        else:
            y = r

    def person_desc(role: str, x: ids.Identity, field_tag: str):
        para([(f"{role}：", None), (x.name, field_tag), (f"，{x.sex}，{ids.cn_date(x.birth_date)}出生，"
              f"{x.ethnicity}族，住{x.address}。", None)])

    person_desc("原告", p, "parties")
    if rng.random() < 0.5:
        para([(f"委托诉讼代理人：{ids.make_name(rng, rng.choice('男女'))}，{rng.choice(('北京', '上海', '广东', '江苏'))}"
               f"{rng.choice(('明德', '正义', '金诚', '中伦'))}律师事务所律师。", None)])
    person_desc("被告", q, "parties")
    if with_insurer:
        para([("第三人：", None), (insurer, "parties"), ("，住所地" + ids.make_address(rng, court_region, 1) + "。", None)])
        para([(f"负责人：{ids.make_name(rng, '男')}，该公司总经理。", None)])
    cause = rng.choice(("离婚后财产纠纷", "离婚纠纷", "人身保险合同纠纷", "共有纠纷"))
    proc = "简易程序" if rng.random() < 0.6 else "普通程序"
    filed = jd - dt.timedelta(days=rng.randint(40, 200))
    para([(f"原告{p.name}与被告{q.name}{cause}一案，本院于{ids.cn_date(filed)}立案后，依法适用{proc}，"
           f"公开开庭进行了审理。原告{p.name}、被告{q.name}到庭参加诉讼。本案现已审理终结。", None)])
    pol_runs = []
    for i, pn in enumerate(policy_numbers):
        pol_runs += [("、" if i else "", None), ("保单号" if i == 0 else "", None), (pn, f"policy_{i}")]
    para([(f"原告{p.name}向本院提出诉讼请求：1.判令", None)] + [("原、被告婚姻关系存续期间以被告名义投保的", None)]
         + pol_runs + [(f"人寿保险合同的投保人变更为原告{p.name}；2.本案诉讼费用由被告负担。事实和理由：原、被告于"
                        f"{ids.cn_date(filed - dt.timedelta(days=rng.randint(2000, 6000)))}登记结婚，婚姻关系存续期间，"
                        f"被告以夫妻共同财产向{insurer}投保人寿保险，现双方已解除婚姻关系，对上述保险合同的权益分割未能协商一致，"
                        "故诉至法院。", None)])
    para([(f"被告{q.name}辩称，对原告所述保险合同的投保事实无异议，但认为保险费系其个人婚前财产所缴纳，"
           "不同意原告的诉讼请求。", None)])
    para([("本院经审理认定事实如下：双方当事人围绕诉讼请求依法提交了证据，本院组织当事人进行了证据交换和质证。"
           "对当事人无异议的证据，本院予以确认并在卷佐证。上述保险合同合法有效，保险费均于双方婚姻关系存续期间缴纳，"
           "现保单处于有效状态。", None)])
    if mediation:
        para([("本案审理过程中，经本院主持调解，双方当事人自愿达成如下协议：", None)])
    else:
        para([("本院认为，婚姻关系存续期间以夫妻共同财产投保的人寿保险合同，其保单现金价值属于夫妻共同财产。"
               "依照《中华人民共和国民法典》第一千零六十二条、第一千零八十七条，《中华人民共和国保险法》第十五条、"
               "第二十条，《中华人民共和国民事诉讼法》第六十七条之规定，判决如下：", None)])
    para([("一、", None)] + [(pn if i == 0 else "、" + pn, None) for i, pn in enumerate(policy_numbers)]
         + [(f"号保险合同的投保人变更为{p.name}，{q.name}应于本判决生效之日起十日内协助办理投保人变更手续；", None)])
    para([(f"二、{p.name}于本判决生效之日起十日内向{q.name}支付保单现金价值折价款人民币"
           f"{rng.randint(10, 300) * 1000:,}元；", None)])
    para([("三、驳回原告的其他诉讼请求。" if not mediation else "三、双方再无其他争议。", None)])
    para([(f"案件受理费{rng.randint(5, 80) * 50}元，减半收取{rng.randint(3, 40) * 25}元，由原告负担。", None)])
    if not mediation:
        para([(f"如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，"
               f"上诉于{court_region.province}{court_region.city or ''}中级人民法院。", None)])
    else:
        para([("上述协议，不违反法律规定，本院予以确认。本调解书经双方当事人签收后，即具有法律效力。", None)])
    # signatures block
    y += 60
    if y + 5 * lh > bottom:
        pg, y = new_page(), float(top)
    judge = ids.make_name(rng, rng.choice("男女"))
    clerk = ids.make_name(rng, rng.choice("男女"))
    sx = right - 380
    pg.text((sx, y), f"审 判 员  {judge}", fb, INK)
    y += lh * 2
    ds = ids.cn_date_upper(jd)
    pg.text((sx, y), ds, fb, INK, "judgment_date")
    sb = draw_seal(pg.img, (sx + 150 + rng.uniform(-30, 30), y + 10 + rng.uniform(-20, 20)), 125, court_name, rng)
    y += lh * 1.5
    pg.text((sx - 60, y), "本件与原本核对无异", fb, INK)
    y += lh * 1.5
    pg.text((sx, y), f"书 记 员  {clerk}", fb, INK)
    # footers
    fp = fonts.font("song", 24, rng)
    for pgx in pages:
        s = f"第 {pgx.page_no} 页 共 {len(pages)} 页"
        pgx.text(((w - fp.getlength(s)) / 2, h - 110), s, fp, (90, 90, 90))
    fields = {"court": court_name, "case_number": caseno, "parties": parties,
              "judgment_date": jd.isoformat(), "mentions_policy_numbers": list(policy_numbers)}
    boxes, box_pages = {}, {}
    for pgx in pages:
        for k, b in pgx.boxes.items():
            key = "mentions_policy_numbers" if k.startswith("policy_") else k
            if key not in boxes:
                boxes[key] = quad(b)
                box_pages[key] = pgx.page_no
    truth = {"kind": "court_judgment", "fields": fields, "boxes": boxes, "box_pages": box_pages,
             "pages": len(pages), "size": [w, h], "title": title, "seal_page": pages[-1].page_no,
             "seal_box": quad(sb)}
    return pages, truth


def render_court(rng: random.Random, identity=None, **kw):
    pages, truth = render_pages(rng, identity, **kw)
    t = dict(truth)
    t["note"] = ("the image is page 1 of a multi-page document (render_pages / save_judgment_pdf give "
                 "every page); fields_on_image lists the fields printed on it")
    t["fields_on_image"] = sorted(k for k, pg in truth["box_pages"].items() if pg == 1)
    t["boxes"] = {k: v for k, v in truth["boxes"].items() if truth["box_pages"].get(k) == 1}
    return to_bgr(pages[0].img), t


# ====================================================================== other

_SHOPS = ("好又多超市", "便利蜂", "罗森便利店", "永辉超市", "全家FamilyMart", "物美超市", "沃尔玛")
_GOODS = ("矿泉水", "牛奶", "面包", "苹果", "大米5kg", "洗衣液", "纸巾", "酸奶", "鸡蛋", "方便面", "可乐", "香蕉")


def render_other(rng: random.Random, identity=None, *, subtype: str | None = None, **_):
    subtype = subtype or rng.choice(("scene", "receipt", "notice", "scene"))
    if subtype == "scene":
        w, h = rng.choice(((1200, 900), (900, 1200)))
        nrng = np.random.default_rng(rng.randrange(2 ** 32))
        base = np.array([rng.randint(40, 200) for _ in range(3)], np.float32)
        noise = nrng.normal(0, 1, (h // 16 + 1, w // 16 + 1, 3)).astype(np.float32)
        import cv2
        noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)
        arr = base + noise * 25 + nrng.normal(0, 4, (h, w, 3))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(img)
        for _ in range(rng.randint(3, 9)):
            col = tuple(rng.randint(0, 255) for _ in range(3))
            x0, y0 = rng.randint(0, w), rng.randint(0, h)
            x1, y1 = x0 + rng.randint(60, 400), y0 + rng.randint(60, 400)
            if rng.random() < 0.5:
                d.ellipse((x0, y0, x1, y1), fill=col)
            else:
                d.rounded_rectangle((x0, y0, x1, y1), radius=rng.randint(0, 40), fill=col)
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2)))
        return to_bgr(img), {"kind": "other", "fields": {}, "boxes": {}, "size": [w, h], "subtype": "scene"}
    if subtype == "receipt":
        w, h = 640, 1300
        img = paper(w, h, rng, base=(250, 250, 246))
        pg = Page(img)
        ft = fonts.font("mono", 28, rng)
        fbig = fonts.font("bold", 40, rng)
        shop = rng.choice(_SHOPS)
        pg.text(((w - fbig.getlength(shop)) / 2, 40), shop, fbig, INK)
        y = 120
        when = ids.random_date(rng, dt.date(2025, 1, 1), ids.REF_DATE)
        for s in (f"门店：{rng.choice(('朝阳', '海淀', '浦东', '天河'))}店", f"日期：{when:%Y-%m-%d} {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}",
                  f"单号：{rng.randint(10 ** 11, 10 ** 12 - 1)}", "-" * 30, "商品        数量   金额"):
            pg.text((40, y), s, ft, INK)
            y += 42
        total = 0.0
        for _ in range(rng.randint(3, 12)):
            g = rng.choice(_GOODS)
            qn = rng.randint(1, 4)
            price = rng.randint(150, 6000) / 100
            total += qn * price
            pg.text((40, y), f"{g}", ft, INK)
            pg.text((330, y), f"{qn}", ft, INK)
            pg.text((440, y), f"{qn * price:.2f}", ft, INK)
            y += 42
        for s in ("-" * 30, f"合计：{total:.2f}", f"实收：{total:.2f}", "支付方式：微信支付", "谢谢惠顾，欢迎再次光临"):
            pg.text((40, y), s, ft, INK)
            y += 42
        img = img.crop((0, 0, w, min(h, int(y) + 60)))
        return to_bgr(img), {"kind": "other", "fields": {}, "boxes": {}, "size": list(img.size), "subtype": "receipt"}
    w, h = A4
    img = paper(w, h, rng)
    pg = Page(img)
    title = rng.choice(("停水通知", "物业管理通知", "关于开展消防安全检查的通知", "会议通知"))
    ft = fonts.font("bold", 56, rng, title)
    pg.text(((w - ft.getlength(title)) / 2, 180), title, ft, INK)
    fb = fonts.font(rng.choice(("song", "sans")), 34, rng)
    when = ids.random_date(rng, dt.date(2025, 1, 1), ids.REF_DATE)
    y = pg.paragraph(150, 340, w - 300, [("各位业主、住户：", None)], fb, INK, line_h=64, indent=0)
    y = pg.paragraph(150, y, w - 300, [(f"因市政管网维修需要，定于{ids.cn_date(when)}上午8:00至下午18:00对本小区"
                                        "进行停水作业，请各位业主提前做好储水准备，给您带来的不便敬请谅解。如有疑问请联系物业服务中心。", None)],
                     fb, INK, line_h=64)
    pg.text((w - 520, y + 120), rng.choice(_ESTATES_OFFICE), fb, INK)
    pg.text((w - 450, y + 190), ids.cn_date(when - dt.timedelta(days=3)), fb, INK)
    return to_bgr(img), {"kind": "other", "fields": {}, "boxes": {}, "size": [w, h], "subtype": "notice"}


_ESTATES_OFFICE = ("阳光花园物业服务中心", "翠湖苑物业管理处", "锦绣华庭业主委员会")

KIND_RENDERERS = {
    "id_card_front": render_id_front,
    "id_card_back": render_id_back,
    "bank_card": render_bank_card,
    "income_proof": render_income_proof,
    "marriage_certificate": render_marriage,
    "divorce_certificate": render_divorce,
    "household_register": render_household,
    "court_judgment": render_court,
    "other": render_other,
}


def render_document(kind: str, rng: random.Random | int, identity: ids.Identity | None = None, **overrides):
    """Render one clean document: returns (BGR uint8 image, truth dict).

    ``rng`` is a ``random.Random`` (or an int seed).  ``identity`` fixes the person on the
    document; keyword ``overrides`` fix individual printed values (see samples/README.md).
    """
    if isinstance(rng, int):
        rng = random.Random(rng)
    if kind not in KIND_RENDERERS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KIND_RENDERERS)}")
    return KIND_RENDERERS[kind](rng, identity, **overrides)
