"""收入证明 (and salary-statement summaries): name, id_number, employer, position,
monthly_income, annual_income, issue_date, has_seal.

Works on running text: all lines in reading order become one compact stream (values
wrap across lines, an ID number may be split by a line break), and each match maps back
to the line pieces it came from. Both prose (``兹证明王建国…系我单位员工…月收入为人民币
12,500.00元``) and label forms (``姓名：王建国``) are handled. When only one of monthly /
annual income is printed the other is derived (×12 / ÷12) with ``needs_review`` and reason
``derived``. ``has_seal`` comes from red-stamp detection on the page image; without an
image it is ``"false"`` with ``needs_review``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.fields import defaults as D
from extractors.fields._common import ID_TOKEN, flag_variants, id_field_ex
from extractors.fields._layout import Stream, make_field
from extractors.normalize import money, names
from extractors.normalize.dates import find_dates, find_partial_dates
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse", "seal_field"]

KIND = "income_proof"

_HAN = r"[\u4e00-\u9fff]"
_STOP = (r"(?=[,，。.;；:：()（）]|性别|身份证|证件|工作单位|单位|代发|职务|职位|岗位|部门|月收入|年收入|账号|卡号"
         r"|系|在我|在本|于|同志|先生|女士|$)")
_NAME_PATTERNS = [
    re.compile(rf"(?:姓名|户名|员工姓名|职工姓名)[:]?(?P<v>{_HAN}[{_HAN[1:-1]}·]{{1,5}}?){_STOP}"),
    re.compile(rf"兹(?:证明|有)(?:我(?:单位|公司)(?:员工|职工)?)?[:]?(?P<v>{_HAN}[{_HAN[1:-1]}·]{{1,5}}?)"
               rf"(?:同志|先生|女士)?{_STOP}"),
]
_ID_LABEL = re.compile(r"(?:身份证件?号码?|公民身份号码|证件号码?)(?:为|是)?[:]?")
_ORG_END = r"(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|银行|医院|学校|大学|研究院|研究所|事务所|委员会|厂)"
_ORG = rf"[\u4e00-\u9fff()A-Za-z0-9]{{2,40}}?{_ORG_END}"
_EMPLOYER_PATTERNS = [
    re.compile(rf"(?:单位名称|工作单位|用人单位|公司名称|代发单位|发薪单位|代发工资单位|单位)(?:\(?(?:盖章|公章)\)?)?[:]?(?P<v>{_ORG})(?![\u4e00-\u9fff]*{_ORG_END})"),
    re.compile(rf"系(?P<v>{_ORG})(?:的)?(?:正式|在职|合同制)?(?:员工|职工)"),
]
_ROW_ORG = re.compile(rf"^(?:\(?(?:盖章|公章)\)?[:]?)?(?:单位|公司|出具单位|证明单位)?(?:名称)?(?:\(?(?:盖章|公章)\)?)?[:]?(?P<v>{_ORG})(?:\(?(?:盖章|公章)\)?)?$")
_POSITION_PATTERNS = [
    re.compile(r"(?:职务|职位|岗位)(?:为|是)?[:]?(?P<v>[\u4e00-\u9fffA-Za-z]{2,12}?)"
               r"(?=[,，。.;；]|月收入|年收入|月薪|年薪|月工资|年工资|其|每月|$)"),
    re.compile(r"担任(?P<v>[\u4e00-\u9fffA-Za-z]{2,12}?)(?:一职|职务|岗位)"),
    re.compile(r"现任(?P<v>[\u4e00-\u9fffA-Za-z]{2,12}?)(?:一职|职务|[,，。;；])"),
]
_DEPT = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:事业部|部|中心)(?=[\u4e00-\u9fff]{2,})")
_MONTHLY = re.compile(r"(?<!个)(?<!\d)(?:税前|税后)?(?:月均|月平均|平均月|每月|月)(?:税前|税后)?(?:收入|工资|薪资|薪酬|薪金|代发工资)|月薪")
_ANNUAL = re.compile(r"(?:税前|税后)?(?:全年|年度|年均|年平均|年总|年)(?:税前|税后)?(?:收入|工资|薪资|薪酬|薪金)|年薪"
                     r"|近(?:12|十二)个月(?:代发)?(?:工资|收入)?(?:合计|总额|总计)")
MIN_ANNUAL_RATIO = 10  # annual / monthly below this (or above the max) is a misread or mismatch
MAX_ANNUAL_RATIO = 24  # 12 months plus up to a year of bonuses
_AMOUNT_WINDOW = 16  # characters after the keyword in which its amount must start


def seal_field(inp: ParseInput) -> Field:
    """``has_seal`` from the page images (``"true"``/``"false"``)."""
    if not inp.images:
        return Field(value="false", confidence=0.0, needs_review=True, reasons=["no_image"])
    from extractors.seal import detect_seal

    best = None
    for page, img in enumerate(inp.images, start=1):
        if img is None:
            continue
        r = detect_seal(img)
        # a seal on any page counts; among verdicts of the same kind keep the surest
        if best is None or (r.present, r.confidence) > (best[0].present, best[0].confidence):
            best = (r, page)
    if best is None:
        return Field(value="false", confidence=0.0, needs_review=True, reasons=["no_image"])
    r, page = best
    if not r.present:
        ring = _ring_field(inp)
        if ring is not None:
            return ring
    conf = r.confidence  # how sure the verdict (present or absent) is
    reasons = [] if conf >= D.REVIEW_CONFIDENCE else ["low_confidence"]
    if not r.present:
        # absence is never certain: a photocopy greys the seal, a glare can hide it
        reasons.append("seal_not_detected")
    return Field(value="true" if r.present else "false", confidence=round(conf, 4), box=r.box,
                 page=page, needs_review=bool(reasons), reasons=reasons)


def _ring_field(inp: ParseInput) -> Field | None:
    """A seal's ring without red ink (a copy's grey seal, a faded one): there is a seal,
    but whether it is an original only the clerk can tell, so the field is flagged."""
    from extractors.seal import detect_ring

    for page, img in enumerate(inp.images, start=1):
        if img is None:
            continue
        r = detect_ring(img)
        if r.present:
            return Field(value="true", confidence=r.confidence, box=r.box, page=page, needs_review=True,
                         reasons=["seal_not_red"])
    return None


_LINE_ORG = re.compile(rf"^(?P<v>[\u4e00-\u9fff()]{{2,40}}?{_ORG_END})(?:\(?盖章\)?)?$")
_LINE_ORG_CUT = re.compile(r"^(?P<v>[\u4e00-\u9fff()]{2,40}?(?:有限公|公))$")


def _employer_from_lines(lines) -> Field | None:
    """Last resort: a line that is just a company name (the signature block), also when a
    seal split the name so the last character sits in a box of its own (``…有限公`` + ``司``)."""
    from extractors.fields._layout import Seg, clean_map

    for ln in sorted(lines, key=lambda ln: -ln.cy):
        s, _ = clean_map(ln.text)
        m = _LINE_ORG.match(s)
        if m:
            return make_field(m["v"], [Seg(ln, 0, len(ln.text))])
        m = _LINE_ORG_CUT.match(s)
        if m:
            h = max(1.0, ln.height)
            tails = [o for o in lines if o is not ln and clean_map(o.text)[0] == "司"
                     and -0.5 * h <= o.x0 - ln.x1 <= 1.5 * h and abs(o.cy - ln.cy) <= 1.5 * h]
            if tails:
                return make_field(m["v"] + "司", [Seg(ln, 0, len(ln.text)), Seg(tails[0], 0, len(tails[0].text))],
                                  reasons=["ocr_split"])
    return None


def _amount_after(stream: Stream, kw: re.Pattern, stop: re.Pattern, amounts) -> Field | None:
    text = stream.text
    for m in kw.finditer(text):
        nxt = stop.search(text, m.end())
        limit = min(m.end() + _AMOUNT_WINDOW, nxt.start() if nxt else len(text))
        arabic = [a for a in amounts if m.end() <= a[1] < limit and not a[3]]
        caps = [a for a in amounts if m.end() <= a[1] < limit + 14 and a[3]]
        pick = arabic[0] if arabic else (caps[0] if caps else None)
        if not pick:
            continue
        reasons = []
        if arabic and caps and caps[0][0] != arabic[0][0]:
            reasons.append("amount_conflict")
        segs = stream.segs(pick[1], pick[2])
        return make_field(pick[0], segs, reasons=reasons,
                          factor=1.0 if not reasons else D.FAILED_VALIDATION_FACTOR)
    return None


def _derive(src: Field, value: str) -> Field:
    return Field(value=value, confidence=round(src.confidence * D.DERIVED_FACTOR, 4), box=src.box,
                 page=src.page, needs_review=True, raw=None, reasons=["derived"])


def parse(inp: ParseInput) -> dict[str, Field]:
    out: dict[str, Field] = {}
    stream = Stream(inp.lines)
    rows = Stream(inp.lines, row_sep="\n")
    text = stream.text

    for rx in _NAME_PATTERNS:
        m = rx.search(text)
        if m and names.is_plausible_name(m["v"]):
            out["name"] = make_field(names.compact(m["v"]), stream.segs(m.start("v"), m.end("v")))
            break

    m = _ID_LABEL.search(text)
    tok = ID_TOKEN.match(text, m.end()) if m else None
    if tok is None:
        tok = ID_TOKEN.search(text)
    if tok:
        r = id_field_ex(stream.segs(tok.start(), tok.end()))
        if r:
            out["id_number"] = r[0]

    employer = None
    for rx in _EMPLOYER_PATTERNS:
        em = rx.search(text)
        if em:
            employer = (em["v"], stream.segs(em.start("v"), em.end("v")))
            break
    row_orgs = [mm for mm in re.finditer(r"[^\n]+", rows.text) if _ROW_ORG.match(mm.group(0))]
    if row_orgs:
        last = row_orgs[-1]
        rm = _ROW_ORG.match(last.group(0))
        sig = (rm["v"], rows.segs(last.start() + rm.start("v"), last.start() + rm.end("v")))
        if employer is None:
            employer = sig
        elif sig[0] != employer[0]:
            f = make_field(employer[0], employer[1], reasons=["conflicting_readings"])
            out["employer"] = f
    if employer and "employer" not in out:
        out["employer"] = make_field(employer[0], employer[1])
    if "employer" not in out:
        f = _employer_from_lines(inp.lines)
        if f:
            out["employer"] = f

    for rx in _POSITION_PATTERNS:
        pm = rx.search(text)
        if pm:
            a, b = pm.start("v"), pm.end("v")
            dept = _DEPT.match(pm["v"])
            if dept:  # 采购部行政主管: the position is the title, not the department
                a += dept.end()
            out["position"] = make_field(text[a:b], stream.segs(a, b))
            break

    amounts = money.find_amounts(text)
    monthly = _amount_after(stream, _MONTHLY, _ANNUAL, amounts)
    annual = _amount_after(stream, _ANNUAL, _MONTHLY, amounts)
    if monthly:
        out["monthly_income"] = monthly
    if annual:
        out["annual_income"] = annual
    if monthly and annual:
        ratio = Decimal(annual.value) / Decimal(monthly.value) if Decimal(monthly.value) else Decimal(0)
        if not MIN_ANNUAL_RATIO <= ratio <= MAX_ANNUAL_RATIO:
            for f in (monthly, annual):
                f.reasons.append("income_inconsistent")
                f.needs_review = True
    if monthly and not annual:
        out["annual_income"] = _derive(monthly, money.to_str(Decimal(monthly.value) * 12))
    elif annual and not monthly:
        out["monthly_income"] = _derive(annual, money.to_str(Decimal(annual.value) / 12))

    found = [d for d in find_dates(text) if d[0] != "长期"]
    partial = [d for d in find_partial_dates(text) if not found or d[1] >= found[-1][2]]
    if partial:
        # the closing date read without its day (a seal over it): as read, never completed
        iso, a, b = partial[-1]
        out["issue_date"] = make_field(iso, stream.segs(a, b), reasons=["partial_value"])
    elif found:
        iso, a, b = found[-1]
        # the issue date closes the letter: ignore dates followed by more prose
        tail = text[b:]
        reasons = [] if len(re.sub(r"[\W_]", "", tail)) <= 12 else ["ambiguous_date"]
        out["issue_date"] = make_field(iso, stream.segs(a, b), reasons=reasons)

    for key in ("employer", "position"):
        flag_variants(out.get(key))
    out["has_seal"] = seal_field(inp)
    return out
