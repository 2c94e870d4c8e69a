"""Civil-status papers: marriage and divorce certificate inner pages, 常住人口登记卡."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts, seals
from .canvas import Pen, Rendered, blend, guilloche, paper, quad, wrap
from .identities import Person, add_years, pick_person, random_date
from .page import grid, seal_over
from .portrait import couple, portrait


def _ymd(d: dt.date, zero: bool = True) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日" if zero else f"{d.year}年{d.month}月{d.day}日"


def _pink_page(rng: random.Random, w: int, h: int) -> Image.Image:
    tint = rng.choice([(250, 236, 232), (248, 240, 236), (252, 244, 240), (246, 232, 228)])
    img = paper(np.random.default_rng(rng.randrange(2**32)), w, h, tint, grain=1.5)
    alpha, col = guilloche(rng, w, h, [(236, 170, 170), (230, 190, 160), (240, 200, 200)],
                           families=rng.randint(2, 3), density=rng.uniform(0.8, 1.3))
    return blend(img, alpha * rng.uniform(0.3, 0.6), col)


def _couple_people(rng: random.Random, today: dt.date) -> tuple[Person, Person, dt.date]:
    man = pick_person(rng, sex="男", born=(1960, 1999))
    region = man.region if rng.random() < 0.6 else None
    woman = pick_person(rng, sex="女", born=(max(1960, man.birth.year - 6), min(2001, man.birth.year + 6)), region=region)
    earliest = max(add_years(man.birth, 22), add_years(woman.birth, 20), dt.date(2004, 10, 1))
    reg = random_date(rng, earliest, today - dt.timedelta(days=30)) if earliest < today - dt.timedelta(days=60) \
        else today - dt.timedelta(days=40)
    return man, woman, reg


def render_certificate(rng: random.Random, today: dt.date, divorce: bool = False) -> Rendered:
    man, woman, married = _couple_people(rng, today)
    if divorce:
        reg = random_date(rng, married + dt.timedelta(days=300), today - dt.timedelta(days=5)) \
            if married < today - dt.timedelta(days=400) else today - dt.timedelta(days=10)
    else:
        reg = married
    holder, other = (man, woman) if rng.random() < 0.5 else (woman, man)
    office_region = holder.region
    serial = f"{'L' if divorce else 'J'}{office_region.code}-{reg.year}-{rng.randint(1, 12000):06d}"
    pw = rng.choice([1100, 1250, 1400])
    ph = int(pw * 127 / 90)
    mm = pw / 90
    page = _pink_page(rng, pw, ph)
    d = ImageDraw.Draw(page)
    frame_col = rng.choice([(200, 60, 60), (190, 90, 70), (170, 40, 50)])
    d.rectangle((4 * mm, 4 * mm, pw - 4 * mm, ph - 4 * mm), outline=frame_col, width=max(2, int(mm * 0.5)))
    d.rectangle((5.2 * mm, 5.2 * mm, pw - 5.2 * mm, ph - 5.2 * mm), outline=frame_col, width=max(1, int(mm * 0.15)))
    pen = Pen(page)
    lab_col = rng.choice([(120, 40, 40), (90, 30, 30), (60, 40, 40), (140, 60, 50)])
    ink = rng.choice([(10, 10, 10), (30, 30, 36), (20, 20, 60)])
    lab = fonts.font(fonts.pick(rng, rng.choice(["serif", "sans", "kai"])), 3.3 * mm)
    vface = fonts.pick(rng, rng.choice(["serif", "sans", "serif_bold", "kai"]))
    val = fonts.font(vface, 3.5 * mm)
    boxes: dict = {}
    x_l, x_v = 12 * mm, 33 * mm
    dx, dy = rng.uniform(-1.5, 1.5) * mm, rng.uniform(-1.2, 1.2) * mm  # value print offset
    y = 14 * mm
    step = 6.4 * mm
    pen.text((x_l, y), "持 证 人", lab, lab_col)
    boxes["holder_name"] = pen.text((x_v + dx, y + dy), holder.name.text, val, ink)
    y += step
    pen.text((x_l, y), "登记日期", lab, lab_col)
    boxes["registration_date"] = pen.text((x_v + dx, y + dy), _ymd(reg, rng.random() < 0.8), val, ink)
    y += step
    pen.text((x_l, y), "离婚证字号" if divorce else "结婚证字号", lab, lab_col)
    boxes["certificate_number"] = pen.text((x_v + 4 * mm + dx, y + dy), serial,
                                           fonts.font(fonts.pick(rng, "latin_sans"), 3.3 * mm), ink)
    y += step
    pen.text((x_l, y), "备    注", lab, lab_col)
    y += 4 * mm
    # photo frame
    fw, fh = 46 * mm, 31 * mm
    fx, fy = (pw - fw) / 2, y
    if divorce:
        photo = portrait(rng, int(fh * 0.8), int(fh), holder.sex, bg=rng.choice([(214, 230, 246), (250, 250, 250)]))
        px = int(fx + (fw - photo.width) / 2)
    else:
        photo = couple(rng, int(fw), int(fh), ("男", "女"))
        px = int(fx)
    page.paste(photo, (px, int(fy)))
    d.rectangle((px - 2, fy - 2, px + photo.width + 2, fy + photo.height + 2), outline=(120, 80, 80), width=2)
    # embossed steel seal: a faint ring on the photo's corner
    r = 11 * mm
    cx, cy = px + photo.width - r * 0.6, fy + photo.height - r * 0.5
    emb = Image.new("L", page.size, 0)
    ImageDraw.Draw(emb).ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(2, int(mm * 0.8)))
    emb = emb.filter(ImageFilter.GaussianBlur(mm * 0.3))
    page = Image.composite(Image.new("RGB", page.size, (235, 225, 225)), page, emb.point(lambda v: v // 3))
    pen = Pen(page)
    y = fy + fh + 9 * mm
    people = [man, woman]
    lab2 = fonts.font(fonts.pick(rng, "serif"), 3.0 * mm)
    val2 = fonts.font(vface, 2.8 * mm)
    xr, xrv = x_l + 38 * mm, x_l + 51.5 * mm
    for p in people:
        pen.text((x_l, y), "姓    名", lab, lab_col)
        bn = pen.text((x_v + dx, y + dy), p.name.text, val, ink)
        pen.text((xr, y), "性    别", lab2, lab_col)
        pen.text((xrv + dx, y + dy), p.sex, val, ink)
        y += 6.0 * mm
        pen.text((x_l, y), "国    籍", lab, lab_col)
        pen.text((x_v + dx, y + dy), "中国", val, ink)
        pen.text((xr, y), "出生日期", lab2, lab_col)
        pen.text((xrv + dx, y + dy), _ymd(p.birth), val2, ink)
        y += 6.0 * mm
        pen.text((x_l, y), "身份证件号", lab, lab_col)
        bi = pen.text((x_v + 4 * mm + dx, y + dy), p.id_number, fonts.font(fonts.pick(rng, "latin_sans"), 3.3 * mm), ink)
        y += 9 * mm
        key = "holder" if p is holder else "spouse"
        if key == "spouse":
            boxes["spouse_name"], boxes["spouse_id_number"] = bn, bi
        else:
            boxes["holder_id_number"] = bi
    # registration office seal
    office = office_region.civil_affairs()
    seal = seals.round_seal(rng, office, "婚姻登记专用章", diameter=int(30 * mm))
    obscured = seal_over(page, rng, seal, (pw * rng.uniform(0.55, 0.75), fy + fh * rng.uniform(0.6, 1.05)),
                         {k: v for k, v in boxes.items()})
    notes = ["seal_over_text"] if obscured else []
    fields = {"holder_name": holder.name.text, "holder_id_number": holder.id_number,
              "spouse_name": other.name.text, "spouse_id_number": other.id_number,
              "registration_date": reg.isoformat(), "certificate_number": serial}
    kind = "divorce_certificate" if divorce else "marriage_certificate"
    if rng.random() < 0.4:
        page, shift = _spread(rng, page, mm, office, divorce)
        boxes = {k: (b[0] + shift, b[1], b[2] + shift, b[3]) for k, b in boxes.items()}
    return Rendered(page, kind, fields, {k: quad(v) for k, v in boxes.items()}, obscured, notes, paper="booklet")


def _spread(rng: random.Random, right: Image.Image, mm: float, office: str, divorce: bool) -> tuple[Image.Image, float]:
    """Put the facing left page (the 准予登记 text and the office seal) next to the inner page."""
    w, h = right.size
    left = _pink_page(rng, w, h)
    pen = Pen(left)
    f = fonts.font(fonts.pick(rng, rng.choice(["serif", "kai"])), 3.6 * mm)
    text = ("申请离婚，经审查，符合《中华人民共和国民法典》关于离婚的规定，准予登记，发给此证。" if divorce else
            "结婚申请，符合《中华人民共和国民法典》规定，予以登记，发给此证。")
    x, y = 12 * mm, 40 * mm
    for line in wrap(text, f, w - 24 * mm):
        pen.text((x, y), line, f, (60, 30, 30))
        y += 7 * mm
    pen.text((x, h - 40 * mm), "登记机关", f, (60, 30, 30))
    pen.text((x, h - 30 * mm), "婚姻登记员", f, (60, 30, 30))
    seal = seals.round_seal(rng, office, "婚姻登记专用章", diameter=int(30 * mm))
    seals.apply_ink(left, seal, (w * 0.55, h - 42 * mm), rng.uniform(-15, 15))
    gutter = int(2 * mm)
    out = Image.new("RGB", (2 * w + gutter, h), (180, 150, 150))
    out.paste(left, (0, 0))
    out.paste(right, (w + gutter, 0))
    return out, w + gutter


RELATIONS = ["户主", "妻", "夫", "子", "女", "长子", "次子", "长女", "次女", "母", "父", "孙子", "孙女", "儿媳", "女婿"]
EDU = ["大学本科", "大学专科", "高中", "初中", "研究生", "中等专科", "小学"]
MARITAL = ["已婚", "未婚", "已婚", "离婚", "丧偶"]
JOBS = ["职员", "工人", "教师", "医生", "个体经营", "农民", "工程技术人员", "办事人员", "商业服务人员", "学生", "无业"]


def render_household(rng: random.Random, today: dt.date) -> Rendered:
    rel = rng.choices(RELATIONS, weights=[8, 4, 2, 3, 3, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1])[0]
    sex = {"妻": "女", "夫": "男", "子": "男", "女": "女", "长子": "男", "次子": "男", "长女": "女", "次女": "女",
           "母": "女", "父": "男", "孙子": "男", "孙女": "女", "儿媳": "女", "女婿": "男"}.get(rel)
    born = (1990, 2012) if rel in ("子", "女", "长子", "次子", "长女", "次女") else \
        (2005, 2016) if rel in ("孙子", "孙女") else (1940, 1965) if rel in ("母", "父") else (1960, 1998)
    person = pick_person(rng, sex=sex, born=born)
    age = (today - person.birth).days // 365
    if age < 18:
        edu = "小学" if age < 12 else "初中" if age < 15 else "高中"
        edu = "" if age < 6 else edu
        marital, job = "未婚", ("学生" if age >= 6 else "")
    else:
        edu = rng.choice(EDU)
        marital = "未婚" if age < 22 else rng.choice(MARITAL)
        job = rng.choice(JOBS)
    w = rng.choice([1000, 1150, 1300])
    h = int(w * 143 / 105)
    mm = w / 105
    tint = rng.choice([(246, 248, 244), (244, 246, 250), (250, 248, 240)])
    img = paper(np.random.default_rng(rng.randrange(2**32)), w, h, tint, grain=1.5)
    alpha, col = guilloche(rng, w, h, [(170, 200, 220), (190, 210, 190), (210, 200, 180)], families=2,
                           density=rng.uniform(0.8, 1.2))
    img = blend(img, alpha * rng.uniform(0.25, 0.5), col)
    pen = Pen(img)
    line_col = rng.choice([(40, 90, 140), (60, 60, 60), (30, 100, 120), (120, 60, 60)])
    lab_col = line_col
    title = fonts.font(fonts.pick(rng, rng.choice(["serif_bold", "sans_bold"])), 6.0 * mm)
    pen.centred(w / 2, 13 * mm, "常住人口登记卡", title, lab_col, tracking=1.5 * mm)
    lf = fonts.font(fonts.pick(rng, rng.choice(["serif", "sans"])), 2.8 * mm)
    vface = fonts.pick(rng, rng.choice(["serif", "sans", "sans", "kai"]))
    vf = fonts.font(vface, 3.2 * mm)
    ink = rng.choice([(10, 10, 10), (30, 30, 40), (20, 20, 70)])
    left, right = 6 * mm, w - 6 * mm
    top = 19 * mm
    rh = 9.0 * mm
    c = [left, left + 17 * mm, left + 41 * mm, left + 56 * mm, right]
    rows = [
        [("姓名", "name", person.name.text), ("户主或与\n户主关系", "relationship_to_head", rel)],
        [("曾用名", None, ""), ("性别", "sex", person.sex)],
        [("出生地", None, person.region.province + (person.region.city or person.region.district)), ("民族", "ethnicity", person.ethnicity)],
        [("籍贯", None, person.region.province + (person.region.city or "")), ("出生日期", "birth_date", _ymd(person.birth, rng.random() < 0.7))],
        [("住址", "address", person.address)],
        [("本市(县)\n其他住址", None, "")],
        [("宗教信仰", None, ""), ("公民身份\n证件编号", "id_number", person.id_number)],
        [("文化程度", None, edu), ("婚姻状况", None, marital)],
        [("服务处所", None, ""), ("职业", None, job)],
        [("何时由何地\n迁来本市(县)", None, "")],
        [("何时由何地\n迁来本址", None, "")],
    ]
    ys = [top + i * rh for i in range(len(rows) + 1)]
    spans = {}
    for i, row in enumerate(rows):
        if len(row) == 1:
            spans[i] = [(1, 4)]
    lw = max(1, int(mm * 0.25))
    grid(img, c, ys, colour=line_col, width=lw, spans=spans)
    boxes: dict = {}
    dx, dy = rng.uniform(-1.5, 1.5) * mm, rng.uniform(-1.2, 1.0) * mm
    for i, row in enumerate(rows):
        for j, (label, tag, value) in enumerate(row):
            lx0, lx1 = (c[0], c[1]) if j == 0 else (c[2], c[3])
            parts = label.split("\n")
            for k, p in enumerate(parts):
                off = (k - (len(parts) - 1) / 2) * 3.4 * mm
                pen.centred((lx0 + lx1) / 2, ys[i] + rh / 2 + off + 1.0 * mm, p, lf, lab_col)
            if not value:
                continue
            vx = (c[1] if j == 0 else c[3]) + 2 * mm + dx
            vmax = (c[4] if len(row) == 1 else (c[2] if j == 0 else c[4])) - 1.5 * mm - vx
            font = vf
            if font.getlength(value) > vmax:
                font = fonts.font(vface, 3.2 * mm * vmax / font.getlength(value))
            b = pen.text((vx, ys[i] + rh / 2 + 1.2 * mm + dy), value, font, ink)
            if tag:
                boxes[tag] = b
    y = ys[-1] + 8 * mm
    pen.text((left, y), "承办人签章：", lf, lab_col)
    sig = seals.signature(rng, pick_person(rng).name.text, size=int(4 * mm))
    seals.apply_ink(img, sig, (left + 30 * mm, y - 1 * mm))
    reg_date = random_date(rng, max(person.birth, dt.date(1995, 1, 1)), today)
    pen.text((left + 55 * mm, y), "登记日期：", lf, lab_col)
    pen.text((left + 55 * mm + lf.getlength("登记日期："), y + dy * 0.3), _ymd(reg_date, False), vf, ink)
    station = f"{person.region.city_name}公安局{person.region.district.rstrip('区市')}分局" \
        f"{rng.choice(['城关', '新华', '解放', '东湖', '西湖', '南苑', '北门', '江滨'])}派出所"
    seal = seals.round_seal(rng, station, "户口专用章", diameter=int(rng.uniform(28, 32) * mm))
    obscured = seal_over(img, rng, seal, (w * rng.uniform(0.55, 0.8), y - rng.uniform(2, 12) * mm), boxes)
    notes = ["seal_over_text"] if obscured else []
    fields = {"name": person.name.text, "relationship_to_head": rel, "sex": person.sex, "ethnicity": person.ethnicity,
              "birth_date": person.birth.isoformat(), "id_number": person.id_number, "address": person.address}
    return Rendered(img, "household_register", fields, {k: quad(v) for k, v in boxes.items()}, obscured, notes,
                    paper="booklet")
