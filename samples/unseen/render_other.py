"""Unrelated paperwork that turns up in an upload: till receipts, utility bills, notices."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import ImageDraw

from . import fonts, seals
from .canvas import Pen, Rendered, flow, paper
from .identities import money, money_commas, pick_person, pick_region
from .page import a4, date_text, grid

ITEMS = [("农夫山泉550ml", 200), ("蒙牛纯牛奶250ml*12", 4990), ("金龙鱼大米5kg", 3990), ("海天酱油500ml", 1250),
         ("鸡蛋30枚", 2380), ("苹果（富士）", 1568), ("卫生纸10卷", 2990), ("洗洁精1.5kg", 1590), ("可口可乐330ml", 300),
         ("康师傅红烧牛肉面", 450), ("猪肉（前腿）", 2845), ("青菜", 356), ("香蕉", 890), ("面包", 1200), ("酸奶", 680)]
STORES = ["联华超市", "物美超市", "永辉超市", "世纪联华", "华润万家", "家乐福", "盒马鲜生", "便利蜂"]


def _receipt(rng: random.Random, today: dt.date) -> Rendered:
    w = rng.choice([560, 640, 720])
    mm = w / 80
    items = rng.sample(ITEMS, rng.randint(4, 11))
    h = int((70 + 9 * len(items) + 60) * mm)
    img = paper(np.random.default_rng(rng.randrange(2**32)), w, h, rng.choice([(250, 250, 248), (246, 246, 240)]), 2.0)
    pen = Pen(img)
    f = fonts.font(fonts.pick(rng, rng.choice(["sans", "serif"])), 3.4 * mm)
    fb = fonts.font(fonts.pick(rng, "sans_bold"), 5 * mm)
    ink = rng.choice([(40, 40, 50), (70, 70, 80), (90, 90, 100)])  # thermal print fades to grey
    store = rng.choice(STORES) + rng.choice(["（文三路店）", "（万达店）", "（人民路店）", "", "（滨江店）"])
    y = 12 * mm
    pen.centred(w / 2, y, store, fb, ink)
    y += 9 * mm
    t = dt.datetime(today.year, today.month, today.day, rng.randint(8, 21), rng.randint(0, 59), rng.randint(0, 59))
    for line in [f"单号：{rng.randint(10**11, 10**12 - 1)}", f"收银员：{rng.randint(1000, 9999)}    机号：{rng.randint(1, 30):02d}",
                 f"时间：{t:%Y-%m-%d %H:%M:%S}", "-" * 40]:
        pen.text((5 * mm, y), line, f, ink)
        y += 5.5 * mm
    pen.text((5 * mm, y), "品名", f, ink)
    pen.text((44 * mm, y), "数量", f, ink)
    pen.right(w - 5 * mm, y, "金额", f, ink)
    y += 6 * mm
    total = 0
    for name, price in items:
        q = rng.randint(1, 3)
        total += q * price
        pen.text((5 * mm, y), name, f, ink)
        pen.text((47 * mm, y), str(q), f, ink)
        pen.right(w - 5 * mm, y, money(q * price), f, ink)
        y += 7 * mm
    pen.text((5 * mm, y), "-" * 40, f, ink)
    y += 7 * mm
    pen.text((5 * mm, y), f"合计：{money(total)}", fb, ink)
    y += 9 * mm
    pen.text((5 * mm, y), f"{rng.choice(['微信支付', '支付宝', '银联刷卡', '现金'])}：{money(total)}", f, ink)
    y += 7 * mm
    pen.text((5 * mm, y), "谢谢惠顾，欢迎再次光临！", f, ink)
    y += 7 * mm
    pen.text((5 * mm, y), "凭小票七日内办理退换货", f, ink)
    img = img.crop((0, 0, w, int(min(h, y + 12 * mm))))
    return Rendered(img, "other", {}, paper="receipt")


def _utility_bill(rng: random.Random, today: dt.date) -> Rendered:
    img, mm = a4(rng)
    pen = Pen(img)
    region = pick_region(rng)
    person = pick_person(rng, region=region)
    ink = (20, 20, 20)
    kind = rng.choice(["电费", "水费", "燃气费"])
    company = {"电费": f"国网{region.city_name}供电公司", "水费": f"{region.city_name}水务集团有限公司",
               "燃气费": f"{region.city_name}燃气有限公司"}[kind]
    face = fonts.pick_cjk(rng, bold=0.1, serif=0.2)
    f = fonts.font(face, 4 * mm)
    tf = fonts.font(fonts.pick(rng, "sans_bold"), 8 * mm)
    y = 35 * mm
    pen.centred(img.width / 2, y, f"{company}", fonts.font(face, 5.5 * mm), ink)
    y += 14 * mm
    pen.centred(img.width / 2, y, f"{kind}缴费通知单", tf, ink)
    y += 18 * mm
    left = 25 * mm
    usage = rng.randint(80, 900)
    price = rng.choice([538, 568, 600, 288, 345])
    amount = usage * price // 10
    rows = [("户号", str(rng.randint(10**9, 10**10 - 1))), ("户名", person.name.text[0] + "*" * (len(person.name.text) - 1)),
            ("用户地址", person.address), ("计费周期", f"{today.year}年{max(1, today.month - 1)}月"),
            ("本期用量", f"{usage}{'千瓦时' if kind == '电费' else '立方米'}"), ("单价", f"{price / 1000:.3f}元"),
            ("应缴金额", f"{money_commas(amount * 10)}元"), ("缴费截止日期", date_text(rng, today + dt.timedelta(days=15), ("ymd",)))]
    rh = 11 * mm
    xs = [left, left + 45 * mm, img.width - left]
    ys = [y + i * rh for i in range(len(rows) + 1)]
    grid(img, xs, ys, colour=(60, 60, 60), width=max(1, int(mm * 0.25)))
    for i, (a, b) in enumerate(rows):
        pen.centred((xs[0] + xs[1]) / 2, ys[i] + rh * 0.65, a, f, ink)
        pen.text((xs[1] + 3 * mm, ys[i] + rh * 0.65), b, f if f.getlength(b) < xs[2] - xs[1] - 6 * mm
                 else fonts.font(face, 3 * mm), ink)
    y = ys[-1] + 12 * mm
    y, _ = flow(pen, [("温馨提示：请您在缴费截止日期前通过网上国网、支付宝、微信或营业厅缴纳费用，逾期将按规定收取违约金。"
                       "如有疑问请拨打客服热线。", None)], f, ink, left, y, img.width - 2 * left, 7 * mm, indent=8 * mm)
    return Rendered(img, "other", {}, paper="a4")


def _notice(rng: random.Random, today: dt.date) -> Rendered:
    img, mm = a4(rng)
    pen = Pen(img)
    region = pick_region(rng)
    ink = (10, 10, 10)
    estate = rng.choice(["阳光", "锦绣", "翠苑", "金色", "香樟"]) + rng.choice(["花园", "家园", "小区"])
    title = rng.choice(["停水通知", "关于缴纳物业管理费的通知", "电梯维保通知", "消防安全检查通知"])
    face = fonts.pick_cjk(rng, bold=0.2, serif=0.5)
    f = fonts.font(face, 4.6 * mm)
    y = 45 * mm
    pen.centred(img.width / 2, y, title, fonts.font(fonts.pick(rng, "sans_bold"), 9 * mm), ink)
    y += 22 * mm
    pen.text((25 * mm, y), "各位业主：", f, ink)
    y += 10 * mm
    d = today + dt.timedelta(days=rng.randint(2, 10))
    body = {
        "停水通知": f"因市政管网检修，{d.month}月{d.day}日8:00至18:00本小区将暂停供水，请各位业主提前做好储水准备。给您带来的不便，敬请谅解。",
        "关于缴纳物业管理费的通知": f"{today.year}年度物业管理费开始收取，请各位业主于{d.month}月{d.day}日前到物业服务中心缴纳，或通过线上渠道缴费。",
        "电梯维保通知": f"为保障电梯安全运行，{d.month}月{d.day}日将对小区电梯进行例行维护保养，届时部分电梯暂停使用，请业主合理安排出行。",
        "消防安全检查通知": f"根据消防部门要求，物业将于{d.month}月{d.day}日起对各楼栋进行消防安全检查，请业主清理楼道堆放物品，配合检查。",
    }[title]
    y, _ = flow(pen, [(body, None)], f, ink, 25 * mm, y, img.width - 50 * mm, 9 * mm, indent=9.2 * mm)
    y, _ = flow(pen, [("特此通知。", None)], f, ink, 25 * mm, y + 4 * mm, img.width - 50 * mm, 9 * mm, indent=9.2 * mm)
    y += 30 * mm
    org = f"{region.city_name}{rng.choice(['绿城', '万科', '金地', '滨江', '中海'])}物业服务有限公司{estate}服务中心"
    b = pen.right(img.width - 25 * mm, y, org, f, ink)
    pen.right(img.width - 25 * mm, y + 10 * mm, date_text(rng, today, ("ymd",)), f, ink)
    seal = seals.round_seal(rng, org[:-4] if len(org) > 18 else org, "", diameter=int(40 * mm))
    seals.apply_ink(img, seal, ((b[0] + b[2]) / 2, b[1]), rng.uniform(-20, 20))
    if rng.random() < 0.5:
        ImageDraw.Draw(img).rectangle((15 * mm, 15 * mm, img.width - 15 * mm, img.height - 15 * mm), outline=(150, 30, 30),
                                      width=int(mm))
    return Rendered(img, "other", {}, paper="a4")


def render_other(rng: random.Random, today: dt.date) -> Rendered:
    return rng.choice([_receipt, _utility_bill, _notice])(rng, today)
