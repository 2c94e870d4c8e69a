"""民事判决书 / 民事调解书: one A4 page from heading to date, with the court's seal on the date."""

from __future__ import annotations

import datetime as dt
import random

from . import fonts, seals
from .canvas import Pen, Rendered, flow, quad
from .identities import PROVINCE_ABBR, Region, cn_date, pick_person, pick_region, policy_number, random_date
from .page import a4, seal_over

INSURERS = ["中国人寿保险股份有限公司", "中国平安人寿保险股份有限公司", "中国太平洋人寿保险股份有限公司",
            "泰康人寿保险有限责任公司", "新华人寿保险股份有限公司", "太平人寿保险有限公司"]
LAW_FIRMS = ["天册", "金道", "六和", "泽大", "大成", "锦天城", "德恒", "京衡", "国浩", "汉鼎"]
CAUSES = ["人身保险合同纠纷", "离婚纠纷", "继承纠纷", "保险合同纠纷", "民间借贷纠纷", "离婚后财产纠纷",
          "法定继承纠纷", "变更抚养关系纠纷"]


def _person_desc(rng: random.Random, role: str, p) -> str:
    b = p.birth
    return (f"{role}：{p.name.text}，{p.sex}，{b.year}年{b.month}月{b.day}日出生，{p.ethnicity}族，"
            f"住{p.address}" + (f"，公民身份号码{p.id_number}" if rng.random() < 0.6 else "") + "。")


def render_court(rng: random.Random, today: dt.date) -> Rendered:
    scale = 1.0
    for _ in range(6):
        state = rng.getstate()
        out = _render(rng, today, scale)
        if out is not None:
            return out
        rng.setstate(state)
        scale *= 0.9
    return _render(rng, today, scale, force=True)


def _render(rng: random.Random, today: dt.date, scale: float, force: bool = False) -> Rendered | None:
    region: Region = pick_region(rng)
    intermediate = rng.random() < 0.25
    court = region.intermediate_court() if intermediate else region.basic_court()
    other_court = region.basic_court() if intermediate else region.intermediate_court()
    mediation = rng.random() < 0.4
    doc_title = "民事调解书" if mediation else "民事判决书"
    year = rng.randint(2018, today.year)
    judged = random_date(rng, dt.date(year, 2, 1), min(today, dt.date(year + 1, 6, 30)))
    abbr = PROVINCE_ABBR[region.province]
    code = region.code[2:4] if intermediate else region.code[2:6]
    kind = "民终" if intermediate else "民初"
    case_no = f"({year}){abbr}{code}{kind}{rng.randint(1, 19999)}号"
    printed_case = case_no.replace("(", "（").replace(")", "）") if rng.random() < 0.8 else case_no
    cause = rng.choice(CAUSES)
    insurance_case = "保险" in cause
    plaintiff = pick_person(rng, born=(1955, 1995), region=region if rng.random() < 0.7 else None)
    if insurance_case or rng.random() < 0.2:
        insurer_branch = rng.choice(INSURERS) + (region.city_name.replace("市", "") + "分公司"
                                                 if not region.municipality else region.province.replace("市", "") + "分公司")
        defendants = [insurer_branch]
    else:
        defendants = [pick_person(rng, born=(1950, 1995)).name.text]
    d_people = [pick_person(rng, born=(1950, 1995)) for _ in defendants]
    third = [pick_person(rng, born=(1950, 2000))] if rng.random() < 0.25 else []
    parties = [plaintiff.name.text] + defendants + [t.name.text for t in third]
    n_pol = rng.choices([0, 1, 2, 3], weights=[2, 5, 3, 1])[0]
    if insurance_case:
        n_pol = max(1, n_pol)
    policies = [policy_number(rng, region, rng.randint(2008, max(2008, year - 1))) for _ in range(n_pol)]
    # ---- page
    img, mm = a4(rng)
    pen = Pen(img)
    ink = rng.choice([(0, 0, 0), (20, 20, 20)])
    body_face = fonts.pick(rng, rng.choice(["serif", "serif", "kai", "sans"]))
    size = rng.uniform(3.6, 4.2) * mm * scale
    body = fonts.font(body_face, size)
    lh = size * rng.uniform(1.55, 1.8)
    left = rng.uniform(24, 28) * mm
    width = img.width - left - rng.uniform(22, 26) * mm
    y = rng.uniform(24, 32) * mm
    hf = fonts.font(fonts.pick(rng, rng.choice(["serif_bold", "sans_bold", "serif_bold"])), rng.uniform(6.5, 7.5) * mm)
    boxes = {"court": pen.centred(img.width / 2, y, court, hf, ink, tracking=0.6 * mm)}
    y += 13 * mm
    tf = fonts.font(fonts.pick(rng, rng.choice(["serif_bold", "sans_bold"])), rng.uniform(9, 10.5) * mm)
    pen.centred(img.width / 2, y, doc_title, tf, ink, tracking=4 * mm)
    y += 12 * mm
    cf = fonts.font(body_face, size * 1.05)
    boxes["case_number"] = pen.right(img.width - left, y, printed_case, cf, ink)
    y += lh * 1.4
    # parties
    paras: list[list[tuple[str, str | None]]] = []
    paras.append([(_person_desc(rng, "原告" if not intermediate else "上诉人（原审原告）", plaintiff), None)])
    if rng.random() < 0.6:
        lawyer = pick_person(rng).name.text
        paras.append([(f"委托诉讼代理人：{lawyer}，{region.province.replace('省', '').replace('市', '')}"
                       f"{rng.choice(LAW_FIRMS)}律师事务所律师。", None)])
    for name, p in zip(defendants, d_people):
        role = "被告" if not intermediate else "被上诉人（原审被告）"
        if name.endswith("公司"):
            paras.append([(f"{role}：{name}，住所地{region.prefix}{rng.choice(['解放路', '延安路', '人民路', '中山路'])}"
                           f"{rng.randint(1, 500)}号。", None)])
            paras.append([(f"负责人：{pick_person(rng).name.text}，总经理。", None)])
        else:
            paras.append([(_person_desc(rng, role, p), None)])
    for t in third:
        paras.append([(_person_desc(rng, "第三人", t), None)])
    for para in paras:
        y, _ = flow(pen, para, body, ink, left, y, width, lh, indent=2 * size)
    # body
    filed = random_date(rng, dt.date(year, 1, 2), judged - dt.timedelta(days=20)) if judged > dt.date(year, 2, 1) else judged
    d_name = defendants[0]
    pol_text = "、".join(policies)
    segs: list[tuple[str, str | None]] = []
    if intermediate:
        segs.append((f"上诉人{plaintiff.name.text}因与被上诉人{d_name}{cause}一案，不服{other_court}"
                     f"（{year - 1 if rng.random() < 0.5 else year}）{abbr}{region.code[2:6]}民初{rng.randint(100, 9999)}号"
                     f"民事判决，向本院提起上诉。本院于{filed.year}年{filed.month}月{filed.day}日立案后，依法组成合议庭进行了审理。", None))
    else:
        segs.append((f"原告{plaintiff.name.text}与被告{d_name}{cause}一案，本院于{filed.year}年{filed.month}月{filed.day}日立案后，"
                     f"依法适用{rng.choice(['简易程序', '普通程序'])}，公开开庭进行了审理。", None))
    y, _ = flow(pen, segs, body, ink, left, y, width, lh, indent=2 * size)
    facts = []
    if policies:
        facts.append(f"经审理查明：{plaintiff.name.text}于{policies[0][1:5]}年向{d_name if d_name.endswith('公司') else rng.choice(INSURERS)}"
                     f"投保，保险单号为{policies[0]}" + (f"，另有保险单{('、'.join(policies[1:]))}" if len(policies) > 1 else "")
                     + "，约定的被保险人、受益人及保险金额以保险单记载为准。")
    else:
        facts.append(f"经审理查明：原、被告之间的{cause.replace('纠纷', '')}关系事实清楚，有双方提交的证据及庭审笔录在案佐证。")
    if not intermediate and rng.random() < 0.6:
        facts.append(f"另查明，{plaintiff.name.text}曾就相关事项向{other_court}申请{rng.choice(['诉前保全', '调解', '执行'])}，"
                     "该院已作出相应处理。")
    y, _ = flow(pen, [(" ".join(facts), None)], body, ink, left, y, width, lh, indent=2 * size)
    if mediation:
        y, _ = flow(pen, [("本案审理过程中，经本院主持调解，双方当事人自愿达成如下协议：", None)], body, ink, left, y, width, lh,
                    indent=2 * size)
        items = [f"一、{d_name}于{(judged + dt.timedelta(days=30)).year}年{(judged + dt.timedelta(days=30)).month}月"
                 f"{(judged + dt.timedelta(days=30)).day}日前向{plaintiff.name.text}支付款项{rng.randint(1, 90) * 1000}元"
                 + (f"（涉及保单{pol_text}）" if policies and rng.random() < 0.6 else "") + "；",
                 f"二、案件受理费{rng.randint(2, 60) * 25}元，减半收取，由{rng.choice([plaintiff.name.text, d_name])}负担。"]
        for it in items:
            y, _ = flow(pen, [(it, None)], body, ink, left, y, width, lh, indent=2 * size)
        y, _ = flow(pen, [("上述协议，不违反法律规定，本院予以确认。本调解书经双方当事人签收后，即具有法律效力。", None)],
                    body, ink, left, y, width, lh, indent=2 * size)
    else:
        y, _ = flow(pen, [("依照《中华人民共和国民法典》《中华人民共和国民事诉讼法》的相关规定，判决如下：", None)], body, ink,
                    left, y, width, lh, indent=2 * size)
        verdict = f"一、{d_name}于本判决生效之日起十日内" + (
            f"按保险单{pol_text}的约定" if policies and rng.random() < 0.7 else "") + \
            f"向{plaintiff.name.text}支付{rng.randint(1, 300) * 1000}元；"
        y, _ = flow(pen, [(verdict, None)], body, ink, left, y, width, lh, indent=2 * size)
        y, _ = flow(pen, [("二、驳回原告的其他诉讼请求。" if not intermediate else "二、驳回上诉，维持原判其余部分。", None)],
                    body, ink, left, y, width, lh, indent=2 * size)
        if not intermediate:
            y, _ = flow(pen, [("如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，"
                               f"上诉于{other_court}。", None)], body, ink, left, y, width, lh, indent=2 * size)
        else:
            y, _ = flow(pen, [("本判决为终审判决。", None)], body, ink, left, y, width, lh, indent=2 * size)
    # signature block
    if y > img.height - 62 * mm and not force:
        return None
    y = max(y + lh, img.height * 0.72)
    y = min(y, img.height - 40 * mm)
    sx = img.width - left - rng.uniform(5, 15) * mm
    judge = pick_person(rng).name.text
    if intermediate:
        pen.right(sx, y, f"审判长  {judge}", body, ink)
        y += lh
        pen.right(sx, y, f"审判员  {pick_person(rng).name.text}", body, ink)
    else:
        pen.right(sx, y, f"审判员  {judge}", body, ink)
    y += lh * 1.6
    date_s = cn_date(judged)
    boxes["judgment_date"] = pen.right(sx, y, date_s, body, ink)
    y += lh * 1.6
    pen.right(sx, y, f"书记员  {pick_person(rng).name.text}", body, ink)
    if rng.random() < 0.6:
        stamp = seals.stamp_box(rng, "本件与原本核对无异", height=int(9 * mm))
        seals.apply_ink(img, stamp, (left + 30 * mm, boxes["judgment_date"][1]), rng.uniform(-3, 3))
    seal = seals.round_seal(rng, court, "", diameter=int(rng.uniform(40, 44) * mm))
    db = boxes["judgment_date"]
    cx = (db[0] + db[2]) / 2 + rng.uniform(-10, 10) * mm
    cy = (db[1] + db[3]) / 2 + rng.uniform(-6, 6) * mm
    obscured = seal_over(img, rng, seal, (cx, cy), {"judgment_date": db}, threshold=0.35)
    notes = ["seal_over_text"] if obscured else []
    fields = {"court": court, "case_number": case_no, "parties": parties, "judgment_date": judged.isoformat(),
              "mentions_policy_numbers": policies}
    return Rendered(img, "court_judgment", fields, {k: quad(v) for k, v in boxes.items()}, obscured, notes, paper="a4")

