"""收入证明 in prose, table and letterhead forms, and bank salary statements (工资流水)."""

from __future__ import annotations

import datetime as dt
import random

from PIL import ImageDraw

from . import fonts, seals
from .canvas import Pen, Rendered, flow, quad
from .identities import (BANKS, amount_upper, card_number, money, money_commas, pick_employer, pick_person,
                         POSITIONS, random_date)
from .page import a4, date_text, grid, seal_over

DEPTS = ["财务部", "人力资源部", "销售部", "技术部", "研发中心", "行政部", "市场部", "生产部", "客服中心", "采购部"]


def _amount_text(rng: random.Random, fen: int) -> str:
    style = rng.random()
    if style < 0.45:
        return f"{money_commas(fen)}"
    if style < 0.75:
        return f"{fen // 100}" if fen % 100 == 0 else money(fen)
    return money(fen)


def _income(rng: random.Random) -> tuple[int, int, bool]:
    yuan = rng.choice([rng.randint(30, 200) * 100, rng.randint(3000, 60000), rng.randint(16, 160) * 250])
    monthly = yuan * 100
    if rng.random() < 0.25:
        monthly += rng.randint(1, 99)  # cents
    exact = rng.random() < 0.6
    annual = monthly * 12 if exact else monthly * 12 + rng.randint(1, 60) * 100000
    return monthly, annual, exact


def _phone(rng: random.Random) -> str:
    return rng.choice(["0571", "021", "025", "0512", "010", "020", "0755", "028"]) + "-" + str(rng.randint(50000000, 89999999))


def _company_seal(rng: random.Random, employer: str, mm: float, purpose: str | None = None):
    purpose = purpose if purpose is not None else rng.choice(["", "", "", "人事专用章", "财务专用章"])
    code = "".join(str(rng.randrange(10)) for _ in range(13)) if rng.random() < 0.5 else ""
    return seals.round_seal(rng, employer, purpose, diameter=int(mm * rng.uniform(38, 44)), code=code)


def render_income(rng: random.Random, today: dt.date) -> Rendered:
    template = rng.choices(["prose", "table", "letterhead", "bank"], weights=[4, 3, 3, 2])[0]
    if template == "bank":
        return _bank_statement(rng, today)
    person = pick_person(rng, born=(1965, 2000))
    employer = pick_employer(rng, person.region)
    position = rng.choice(POSITIONS)
    monthly, annual, _ = _income(rng)
    issue = today - dt.timedelta(days=rng.randint(0, 40))
    start = random_date(rng, dt.date(max(person.birth.year + 20, 2000), 1, 1), issue - dt.timedelta(days=200))
    has_seal = rng.random() < 0.75
    img, mm = a4(rng)
    pen = Pen(img)
    ink = rng.choice([(0, 0, 0), (20, 20, 20), (34, 34, 40)])
    body_face = fonts.pick_cjk(rng, bold=0.1, serif=0.45)
    if rng.random() < 0.15:
        body_face = fonts.pick(rng, "kai")
    size = rng.uniform(4.0, 5.0) * mm
    body = fonts.font(body_face, size)
    lh = size * rng.uniform(1.7, 2.2)
    left = rng.uniform(22, 30) * mm
    width = img.width - 2 * left
    y = rng.uniform(28, 40) * mm
    boxes: dict = {}
    print_annual = rng.random() < 0.8
    if template == "letterhead":
        hf = fonts.font(fonts.pick(rng, rng.choice(["sans_bold", "serif_bold", "kai"])), rng.uniform(6, 8) * mm)
        col = rng.choice([(180, 20, 20), (20, 40, 120), (0, 0, 0)])
        b = pen.centred(img.width / 2, y, employer, hf, col)
        boxes["employer"] = b
        y += 4 * mm
        ImageDraw.Draw(img).line((left - 5 * mm, y, img.width - left + 5 * mm, y), fill=col, width=max(2, int(mm * 0.6)))
        y += 1.2 * mm
        ImageDraw.Draw(img).line((left - 5 * mm, y, img.width - left + 5 * mm, y), fill=col, width=max(1, int(mm * 0.2)))
        y += 22 * mm
    else:
        y += 10 * mm
    tf = fonts.font(fonts.pick(rng, rng.choice(["sans_bold", "serif_bold", "serif_bold", "kai"])), rng.uniform(8, 10.5) * mm)
    title = rng.choice(["收入证明", "收 入 证 明", "工作及收入证明", "在职收入证明"])
    pen.centred(img.width / 2, y, title, tf, ink, tracking=rng.choice([0, 2 * mm]))
    y += rng.uniform(18, 26) * mm
    if rng.random() < 0.3:
        pen.text((left, y), rng.choice(["致：", "致相关机构：", "致保险公司："]), body, ink)
        y += lh
    m_txt, a_txt = _amount_text(rng, monthly), _amount_text(rng, annual)
    if template in ("prose", "letterhead"):
        name_employer = template == "prose" and rng.random() < 0.6
        segs: list[tuple[str, str | None]] = [
            (rng.choice(["兹证明", "兹有", "兹证明"]), None), (person.name.text, "name"),
            (rng.choice(["同志", "", "（先生/女士）"]) if True else "", None),
            ("（身份证号码：" if rng.random() < 0.7 else "，身份证号：", None), (person.id_number, "id_number"),
            ("）" if True else "", None),
        ]
        if segs[3][0].startswith("，"):
            segs[5] = ("，", None)
        if name_employer:
            segs += [("系", None), (employer, "employer"), ("正式员工，", None)]
        else:
            segs += [("系我单位正式员工，", None)]
        segs += [(f"自{start.year}年{start.month}月起在我单位工作，现在{rng.choice(DEPTS)}担任", None),
                 (position, "position"), ("职务。", None),
                 ("该同志" if rng.random() < 0.6 else "其", None),
                 (rng.choice(["月收入（税前）为人民币", "每月平均收入为人民币", "月工资收入人民币"]), None),
                 (m_txt, "monthly_income"), ("元", None)]
        if rng.random() < 0.7:
            segs += [(f"（大写：{amount_upper(monthly)}）", None)]
        if print_annual:
            segs += [("，年收入" + rng.choice(["为", "约", "合计"]) + "人民币", None), (a_txt, "annual_income"), ("元", None)]
        segs += [("。", None)]
        y, found = flow(pen, segs, body, ink, left, y, width, lh, indent=2 * size)
        for k, v in found.items():
            if len(v) == 1 and k not in boxes:
                boxes[k] = v[0]
        y, _ = flow(pen, [("特此证明。", None)], body, ink, left, y + lh * 0.2, width, lh, indent=2 * size)
    else:
        y, _ = flow(pen, [("兹证明以下人员为我单位在职员工，其工作及收入情况如下：", None)], body, ink, left, y, width, lh,
                    indent=2 * size)
        y += lh * 0.2
        rows = [("姓名", person.name.text, "name"), ("身份证号码", person.id_number, "id_number"),
                ("工作单位", employer, "employer"), ("所在部门", rng.choice(DEPTS), None),
                ("职务", position, "position"), ("入职时间", f"{start.year}年{start.month}月", None),
                ("月收入（税前）", f"¥{m_txt}" if rng.random() < 0.4 else f"{m_txt}元", "monthly_income")]
        if print_annual:
            rows.append(("年收入（税前）", f"{a_txt}元", "annual_income"))
        tsize = size * 0.95
        tfnt = fonts.font(body_face, tsize)
        row_h = tsize * rng.uniform(2.1, 2.6)
        c0, c1, c2 = left, left + rng.uniform(42, 52) * mm, img.width - left
        ys = [y + i * row_h for i in range(len(rows) + 1)]
        grid(img, [c0, c1, c2], ys, colour=(40, 40, 40), width=max(1, int(mm * 0.3)))
        for i, (lab, val, tag) in enumerate(rows):
            base = ys[i] + row_h / 2 + tsize * 0.35
            pen.centred((c0 + c1) / 2, base, lab, tfnt, ink)
            b = pen.text((c1 + 3 * mm, base), val, tfnt, ink)
            if tag and tag not in boxes:
                if tag == "monthly_income":
                    # box only the digits
                    start_x = c1 + 3 * mm + (tfnt.getlength("¥") if val.startswith("¥") else 0)
                    b = (start_x, b[1], start_x + tfnt.getlength(m_txt), b[3])
                elif tag == "annual_income":
                    b = (b[0], b[1], b[0] + tfnt.getlength(a_txt), b[3])
                boxes[tag] = b
        y = ys[-1] + lh
        y, _ = flow(pen, [("特此证明。", None)], body, ink, left, y, width, lh, indent=2 * size)
    if rng.random() < 0.6:
        small = fonts.font(body_face, size * 0.8)
        y += lh * 0.3
        y, _ = flow(pen, [(rng.choice([
            "本证明仅用于证明我单位员工的收入情况，不作为我单位对该员工任何形式的担保文件。",
            "本证明仅供办理保险业务使用，涂改无效。",
            "以上情况属实，如有虚假，我单位愿承担相应法律责任。"]), None)], small, ink, left, y, width, lh * 0.85,
            indent=2 * size)
    if rng.random() < 0.6:
        small = fonts.font(body_face, size * 0.8)
        pen.text((left, y + lh * 0.4), f"单位联系人：{pick_person(rng).name.text}    联系电话：{_phone(rng)}", small, ink)
        y += lh * 1.2
    # signature block, bottom right
    sy = max(y + rng.uniform(12, 30) * mm, img.height * rng.uniform(0.62, 0.72))
    right = img.width - left + rng.uniform(-10, 0) * mm
    sig_lines = []
    if rng.random() < 0.4:
        sig_lines.append(rng.choice(["单位（盖章）：", "证明单位（公章）：", "盖章："]))
    b_emp = pen.right(right, sy + len(sig_lines) * lh, employer, body, ink)
    if sig_lines:
        pen.right(b_emp[0] + body.getlength(sig_lines[0]) - 0, sy, sig_lines[0], body, ink)
    if "employer" not in boxes:
        boxes["employer"] = b_emp
    date_s = date_text(rng, issue)
    dy = sy + (len(sig_lines) + 1) * lh
    dx = right - (b_emp[2] - b_emp[0]) / 2 - body.getlength(date_s) / 2 if rng.random() < 0.6 else right - body.getlength(date_s)
    boxes["issue_date"] = pen.text((dx, dy), date_s, body, ink)
    obscured: dict = {}
    notes: list[str] = []
    if has_seal:
        seal = _company_seal(rng, employer, mm)
        cover_day = rng.random() < 0.3
        if cover_day:
            db = boxes["issue_date"]
            cx = db[2] - (db[2] - db[0]) * rng.uniform(0.05, 0.3)
            cy = (db[1] + db[3]) / 2 + rng.uniform(-0.15, 0.15) * seal.height
        else:
            cx = (b_emp[0] + b_emp[2]) / 2 + rng.uniform(-8, 8) * mm
            cy = b_emp[1] + rng.uniform(-4, 6) * mm
        covered = seal_over(img, rng, seal, (cx, cy), {k: boxes[k] for k in ("issue_date",) + (
            ("employer",) if boxes["employer"] == b_emp else ())})
        obscured.update(covered)
        if covered:
            notes.append("seal_over_text")
    elif rng.random() < 0.6:
        sig = seals.signature(rng, pick_person(rng).name.text, size=int(size * 1.3))
        seals.apply_ink(img, sig, (b_emp[0] - 18 * mm, b_emp[1]))
    fields = {
        "name": person.name.text, "id_number": person.id_number, "employer": employer, "position": position,
        "monthly_income": money(monthly), "issue_date": issue.isoformat(), "has_seal": "true" if has_seal else "false",
    }
    if print_annual:
        fields["annual_income"] = money(annual)
    return Rendered(img, "income_proof", fields, {k: quad(v) for k, v in boxes.items() if k in fields},
                    obscured, notes, paper="a4")


def _bank_statement(rng: random.Random, today: dt.date) -> Rendered:
    person = pick_person(rng, born=(1965, 2000))
    employer = pick_employer(rng, person.region)
    bank = rng.choice(sorted(BANKS))
    english, products, _ = BANKS[bank]
    debit = [p for p in products if p[2] == "debit"] or products
    acct = card_number(rng, debit[0][0], debit[0][1])
    base, _, _ = _income(rng)
    issue = today - dt.timedelta(days=rng.randint(0, 20))
    n_rows = rng.choice([6, 6, 12, 12, 12])
    first = dt.date(issue.year, issue.month, 1)
    amounts, dates = [], []
    for i in range(n_rows):
        m = (first.month - 1 - (n_rows - i)) % 12 + 1
        yr = first.year + ((first.month - 1 - (n_rows - i)) // 12)
        dates.append(dt.date(yr, m, rng.choice([5, 8, 10, 10, 15, 25])))
        amounts.append(max(100000, base + rng.randint(-15, 15) * 1000 + rng.randint(0, 99)))
    total = sum(amounts)
    avg = int(round(total / n_rows))
    img, mm = a4(rng)
    pen = Pen(img)
    ink = (20, 20, 24)
    face = fonts.pick_cjk(rng, bold=0.05, serif=0.2)
    size = rng.uniform(3.3, 3.9) * mm
    f = fonts.font(face, size)
    left = rng.uniform(15, 22) * mm
    right = img.width - left
    y = rng.uniform(22, 30) * mm
    hb = fonts.font(fonts.pick(rng, "sans_bold"), 5.5 * mm)
    pen.text((left, y), bank, hb, rng.choice([(180, 20, 30), (0, 60, 140), (0, 110, 70)]))
    pen.text((left, y + 4.5 * mm), english, fonts.font(fonts.pick(rng, "latin_sans"), 2.2 * mm), (90, 90, 90))
    y += 20 * mm
    title = rng.choice(["个人工资流水明细", "代发工资明细对账单", "个人账户交易明细（代发工资）"])
    pen.centred(img.width / 2, y, title, fonts.font(fonts.pick(rng, rng.choice(["sans_bold", "serif_bold"])), 7 * mm), ink)
    y += 14 * mm
    boxes: dict = {}
    info = [("户名：", person.name.text, "name"), ("证件号码：", person.id_number, "id_number"),
            ("账号：", acct[:6] + "*" * (len(acct) - 10) + acct[-4:], None),
            ("代发单位：", employer, "employer"),
            ("查询期间：", f"{dates[0]:%Y-%m-01} 至 {issue.isoformat()}", None)]
    slots = [(left, 0), (img.width / 2 + 5 * mm, 0), (left, 1), (left, 2), (left, 3)]
    for (lab, val, tag), (lx, row) in zip(info, slots):
        yy = y + row * size * 2
        pen.text((lx, yy), lab, f, ink)
        b = pen.text((lx + f.getlength(lab), yy), val, f, ink)
        if tag:
            boxes[tag] = b
    y += 4 * size * 2 + 4 * mm
    cols = ["交易日期", "摘要", "收入金额", "支出金额", "账户余额", "对方户名"]
    widths = [0.15, 0.13, 0.16, 0.12, 0.17, 0.27]
    xs = [left]
    for w_ in widths:
        xs.append(xs[-1] + w_ * (right - left))
    rh = size * 2.0
    ys = [y + i * rh for i in range(n_rows + 2)]
    grid(img, xs, ys, colour=(80, 80, 80), width=max(1, int(mm * 0.2)))
    for j, c in enumerate(cols):
        pen.centred((xs[j] + xs[j + 1]) / 2, ys[0] + rh * 0.68, c, f, ink)
    bal = rng.randint(1000, 90000) * 100
    for i, (d, a) in enumerate(zip(dates, amounts)):
        bal += a - rng.randint(0, a // 100) * 100
        base_y = ys[i + 1] + rh * 0.68
        vals = [d.isoformat(), rng.choice(["代发工资", "工资", "代发薪资"]), money_commas(a), "", money_commas(bal),
                employer if f.getlength(employer) < (xs[6] - xs[5]) * 0.95 else employer[:int((xs[6] - xs[5]) * 0.95 // size)]]
        for j, v in enumerate(vals):
            if j in (2, 4):
                pen.right(xs[j + 1] - 1.5 * mm, base_y, v, f, ink)
            else:
                pen.text((xs[j] + 1.5 * mm, base_y), v, f, ink)
    y = ys[-1] + 10 * mm
    lead = f"收入笔数：{n_rows}    收入合计："
    pen.text((left, y), lead, f, ink)
    x = left + f.getlength(lead)
    boxes["annual_income"] = pen.text((x, y), money_commas(total), f, ink)
    x += f.getlength(money_commas(total))
    pen.text((x, y), "元    月均收入：", f, ink)
    x += f.getlength("元    月均收入：")
    boxes["monthly_income"] = pen.text((x, y), money_commas(avg), f, ink)
    pen.text((x + f.getlength(money_commas(avg)), y), "元", f, ink)
    y += 12 * mm
    pen.text((left, y), "本对账单仅反映查询期间内代发工资入账情况，加盖我行业务章后有效。", fonts.font(face, size * 0.9), ink)
    y += 22 * mm
    branch = f"{bank}股份有限公司{person.region.city_name}{person.region.district.rstrip('区')}支行" \
        if not bank.startswith("中国") or bank in ("中国民生银行", "中国光大银行") else \
        f"{bank}{person.region.city_name}{person.region.district.rstrip('区')}支行"
    pen.right(right - 10 * mm, y, branch, f, ink)
    date_s = "打印日期：" + date_text(rng, issue, ("dash", "ymd", "ymd0"))
    db = pen.right(right - 10 * mm, y + size * 2.2, date_s, f, ink)
    prefix_w = f.getlength("打印日期：")
    boxes["issue_date"] = (db[0] + prefix_w, db[1], db[2], db[3])
    has_seal = rng.random() < 0.8
    obscured: dict = {}
    notes: list[str] = []
    if has_seal:
        seal = seals.round_seal(rng, branch, "业务专用章", diameter=int(mm * rng.uniform(36, 42)))
        cover = rng.random() < 0.3
        bx = boxes["issue_date"]
        cx = (bx[0] + bx[2]) / 2 + (rng.uniform(0, 0.4) * (bx[2] - bx[0]) if cover else -rng.uniform(15, 30) * mm)
        cy = bx[1] - (rng.uniform(-2, 2) * mm if cover else rng.uniform(8, 14) * mm)
        obscured = seal_over(img, rng, seal, (cx, cy), {"issue_date": bx})
        if obscured:
            notes.append("seal_over_text")
    fields = {"name": person.name.text, "id_number": person.id_number, "employer": employer,
              "monthly_income": money(avg), "issue_date": issue.isoformat(),
              "has_seal": "true" if has_seal else "false"}
    if n_rows == 12:  # twelve months of pay: the printed total is the annual income
        fields["annual_income"] = money(total)
    return Rendered(img, "income_proof", fields, {k: quad(v) for k, v in boxes.items() if k in fields},
                    obscured, notes, paper="a4")
