"""Document kind from OCR text and layout: ``classify(lines, width, height) -> (kind, confidence)``.

Weighted keywords per CONTRACT kind, matched exactly or — for keywords of four or more
characters — fuzzily (rapidfuzz ``partial_ratio``) so a misread character still counts;
short keywords must match exactly (结婚证 and 离婚证 differ by one character). Layout
adds evidence: a 16–19 digit number that passes Luhn, the ID-1 card aspect ratio, an A4
page. Below a minimum score the kind is ``other``.

>>> from extractors.types import OcrLine
>>> def ln(t, y): return OcrLine(t, 0.99, [[0, y], [400, y], [400, y + 30], [0, y + 30]])
>>> classify([ln('姓名王建国', 0), ln('性别男民族汉', 40), ln('出生1985年3月7日', 80),
...           ln('住址北京市朝阳区', 120), ln('公民身份号码110105198503071230', 200)], 856, 540)[0]
'id_card_front'
>>> classify([ln('中华人民共和国', 0), ln('居民身份证', 40), ln('签发机关北京市公安局朝阳分局', 200),
...           ln('有效期限2016.05.12-2036.05.12', 240)], 856, 540)[0]
'id_card_back'
>>> classify([ln('今天天气很好', 0)], 800, 600)
('other', 0.9)
>>> classify([ln('O', 0)], 856, 540)[0]   # one speck is no bank card (O is in UNIONPAY)
'other'
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractors.fields._layout import reading_order
from extractors.kinds import OTHER
from extractors.normalize import bank_card, id_number
from extractors.normalize._text import fold, fold_compact
from extractors.types import OcrLine

__all__ = ["classify", "scores", "KEYWORDS", "MIN_SCORE"]

MIN_SCORE = 2.5        # points; below it the document is "other"
FUZZY_MIN_RATIO = 75   # percent; partial_ratio for keywords of >= 4 characters
CARD_ASPECT = (1.40, 1.80)  # width / height of an upright ID-1 card photo

KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "id_card_front": (("公民身份号码", 3.0), ("住址", 1.5), ("出生", 1.0), ("性别", 0.75), ("民族", 1.0),
                      ("姓名", 0.5)),
    "id_card_back": (("签发机关", 3.0), ("有效期限", 3.0), ("居民身份证", 1.5), ("中华人民共和国", 0.5)),
    "bank_card": (("银联", 2.0), ("UNIONPAY", 2.0), ("银行", 1.0), ("借记卡", 1.5), ("信用卡", 1.5),
                  ("储蓄卡", 1.5), ("DEBIT", 1.0), ("CREDIT", 1.0), ("VALIDTHRU", 1.0), ("BANK", 0.5),
                  # foreign-brand cards carry no Chinese word at all
                  ("VISA", 1.0), ("MASTERCARD", 1.5), ("JCB", 1.0), ("GOODTHRU", 1.0)),
    "income_proof": (("收入证明", 3.0), ("兹证明", 1.5), ("月收入", 1.5), ("年收入", 1.5), ("特此证明", 1.0),
                     ("工资", 0.5), ("职务", 0.5), ("单位", 0.5), ("收入", 0.5), ("代发", 1.0), ("流水", 1.0),
                     ("月均收入", 1.0)),
    # 国籍 (nationality) is printed for both spouses; no ID card or household page has it
    "marriage_certificate": (("结婚证", 3.0), ("结婚证字号", 2.0), ("持证人", 1.0), ("登记日期", 0.5),
                             ("婚姻登记", 1.0), ("国籍", 1.5)),
    "divorce_certificate": (("离婚证", 3.0), ("离婚证字号", 2.0), ("持证人", 1.0), ("登记日期", 0.5),
                            ("婚姻登记", 1.0), ("国籍", 1.5)),
    "household_register": (("常住人口登记卡", 3.0), ("户主或与户主关系", 2.0), ("户主", 1.0), ("户口簿", 2.0),
                           ("曾用名", 1.0), ("籍贯", 0.5), ("出生地", 0.5), ("公民身份证件编号", 1.0),
                           ("服务处所", 0.5), ("兵役状况", 0.5)),
    "court_judgment": (("人民法院", 2.0), ("判决书", 2.0), ("调解书", 2.0), ("裁定书", 1.5), ("原告", 1.0),
                       ("被告", 1.0), ("上诉人", 1.0), ("审判员", 1.0), ("本院", 0.5), ("书记员", 0.5)),
}
_CASE_NO = re.compile(r"[(（〔\[](?:19|20)\d{2}[)）〕\]][\u4e00-\u9fff]{1,3}\d{0,6}[\u4e00-\u9fff]{1,6}\d{1,7}号")


_BIRTH_DATE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日")
_ADDRESS = re.compile(r"[省市县区州旗].{0,12}(?:路|街|道|巷|村|镇|乡).{0,12}\d+号")
_ID_RUN = re.compile(r"\d{17}[\dX]")


def _valid_id_numbers(text: str) -> set[str]:
    return {m.group(0) for m in _ID_RUN.finditer(text) if id_number.is_valid(m.group(0))}


def _birth_printed(lines: list[OcrLine], number: str) -> bool:
    """Whether a line other than the number prints the birth date the number encodes
    (``2005年9月17日``, ``2005 9 17``, ``20050917``)."""
    y, m, d = number[6:10], int(number[10:12]), int(number[12:14])
    rx = re.compile(rf"(?<!\d){y}\D{{1,3}}0?{m}\D{{1,3}}0?{d}(?!\d)|(?<!\d){y}{m:02d}{d:02d}(?!\d)")
    rows = [" ".join(fold(ln.text) for ln in row) for row in reading_order(lines)]
    return any(number not in fold_compact(row) and rx.search(row) for row in rows)


def _hit(keyword: str, text: str) -> float:
    """1.0 for an exact hit, the fuzzy ratio (as a fraction) for a near hit, else 0."""
    if keyword in text:
        return 1.0
    if len(keyword) < 4 or len(text) < len(keyword) - 1:
        # partial_ratio aligns the shorter string inside the longer: a text shorter than the
        # keyword would be "found" in it (one speck read as O matches UNIONPAY)
        return 0.0
    r = fuzz.partial_ratio(keyword, text, score_cutoff=FUZZY_MIN_RATIO)
    return r / 100 if r else 0.0


_DIGIT_LOOKALIKES = str.maketrans("OoIlSBZ", "0011582")


def _card_number(lines: list[OcrLine]) -> tuple[bool, bool]:
    """(a Luhn-valid 16–19 digit number that is not an ID number, any 16–19 digit run)."""
    valid = loose = False
    for ln in lines:
        t = fold(ln.text)
        for m in re.finditer(r"[\dOoIlSBZ][\dOoIlSBZ ]{14,24}[\dOoIlSBZ]", t):
            digits = m.group(0).replace(" ", "")
            if sum(c.isdigit() for c in digits) < len(digits) - 2:
                continue
            digits = digits.translate(_DIGIT_LOOKALIKES)
            if 16 <= len(digits) <= 19 and not id_number.is_valid(digits):
                loose = True
                valid = valid or bank_card.is_valid(digits)
    return valid, loose


def _digit_groups(lines: list[OcrLine]) -> bool:
    """Three or more groups of four digits on one line (a partly read card number)."""
    return any(len(re.findall(r"(?<!\d)\d{4}(?!\d)", fold(ln.text))) >= 3 for ln in lines)


def scores(lines: list[OcrLine], width: int, height: int) -> dict[str, float]:
    """Evidence points per kind (not normalised)."""
    text = fold_compact("".join(ln.text for ln in lines)).upper()
    out: dict[str, float] = {}
    for kind, kws in KEYWORDS.items():
        out[kind] = round(sum(w * _hit(k, text) for k, w in kws), 3)
    valid, loose = _card_number(lines)
    if bank_card.find_banks(" ".join(fold(ln.text) for ln in lines)):
        out["bank_card"] += 1.5
    if valid:
        out["bank_card"] += 3.0
    elif loose:
        out["bank_card"] += 1.0
    elif _digit_groups(lines):
        out["bank_card"] += 0.5
    aspect = width / height if width and height else 0
    # per line too: in the joined text a number runs into the digits of the line before it
    ids = _valid_id_numbers(text).union(*(_valid_id_numbers(fold_compact(ln.text).upper()) for ln in lines))
    if len(ids) == 1 and CARD_ASPECT[0] <= aspect <= CARD_ASPECT[1] and _birth_printed(lines, next(iter(ids))):
        # a card-shaped portrait side whose labels did not survive (a light copy, a card
        # copied small on a page): its number and the birth date it encodes, printed
        # apart, still say so (on a page, a form or a judgment shows both as well)
        out["id_card_front"] += 2.5
    if len(ids) >= 2:  # two people on one document: a couple's certificate, not an ID card
        out["marriage_certificate"] += 1.0
        out["divorce_certificate"] += 1.0
        out["id_card_front"] = round(out["id_card_front"] * 0.5, 3)
    elif aspect >= 1.0:
        # On a landscape document, the contents of the portrait side identify it even when
        # its labels are cut off or washed out: a valid ID number, a 年月日 date, an address.
        if ids:
            out["id_card_front"] += 1.5
        if _BIRTH_DATE.search(text):
            out["id_card_front"] += 0.75
        if _ADDRESS.search(text):
            out["id_card_front"] += 0.5
    if CARD_ASPECT[0] <= aspect <= CARD_ASPECT[1]:
        for kind in ("id_card_front", "id_card_back", "bank_card"):
            if out[kind] > 0:
                out[kind] += 0.5
    elif 0 < aspect < 0.9:
        for kind in ("income_proof", "court_judgment"):
            if out[kind] > 0:
                out[kind] += 0.5
    if _CASE_NO.search(text):
        out["court_judgment"] += 2.0
    # person blocks (姓名/性别/出生) also appear on household registers and certificates:
    # their own titles outrank the ID-front keywords
    if out["household_register"] >= MIN_SCORE + 1 or max(out["marriage_certificate"],
                                                          out["divorce_certificate"]) >= MIN_SCORE + 1:
        out["id_card_front"] = round(out["id_card_front"] * 0.4, 3)
    # a divorce certificate is not also a marriage certificate (and vice versa)
    if "离婚证" in text and "结婚证" not in text:
        out["marriage_certificate"] = min(out["marriage_certificate"], 1.5)
    if "结婚证" in text and "离婚证" not in text:
        out["divorce_certificate"] = min(out["divorce_certificate"], 1.5)
    return out


def classify(lines: list[OcrLine], width: int, height: int) -> tuple[str, float]:
    """The most likely CONTRACT kind and a confidence in [0, 1]."""
    s = scores(lines, width, height)
    ranked = sorted(s.items(), key=lambda kv: kv[1], reverse=True)
    (kind, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE:
        return OTHER, round(max(0.5, 0.9 - top / MIN_SCORE * 0.4), 2)
    margin = (top - second) / top
    strength = min(1.0, top / 6.0)
    conf = 0.5 + 0.5 * margin * strength
    return kind, round(min(0.99, conf), 2)
