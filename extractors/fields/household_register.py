"""户口本 常住人口登记卡: name, relationship_to_head, sex, ethnicity, birth_date,
id_number, address.

The card is a table: a label cell, then its value cell to the right (split boxes), or a
label and value the engine joined into one line; several label/value pairs can share a
row (``姓名 王建国 户主或与户主关系 户主``), so every value stops at the next label.
"""

from __future__ import annotations

from extractors.fields import defaults as D
from extractors.fields._common import (
    cross_check_person, date_field, ethnicity_field, first_hit, flag_candidate_conflicts, id_field_ex,
    address_field, name_field, place_field, sex_field,
)
from extractors.fields._layout import Label, continuation, find_labels, make_field, row_value, seg_text
from extractors.normalize._text import fold_compact
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse", "RELATIONSHIPS"]

KIND = "household_register"

NAME = Label("name", ("姓名",))
REL = Label("relationship_to_head", ("户主或与户主关系", "与户主关系"))
SEX = Label("sex", ("性别",))
ETH = Label("ethnicity", ("民族",))
BIRTH = Label("birth_date", ("出生日期",))
ID = Label("id_number", ("公民身份证件编号", "身份证件编号", "公民身份号码", "身份证号码"))
ADDRESS = Label("address", ("住址",))
OTHER = [Label(n, (n,)) for n in (
    "曾用名", "出生地", "籍贯", "宗教信仰", "文化程度", "婚姻状况", "兵役状况", "身高", "血型",
    "服务处所", "职业", "本市(县)其他住址", "何时由何地迁来本市(县)", "何时由何地迁来本址",
    "登记日期", "承办人签章", "户别", "户主姓名", "户号")]
LABELS = [NAME, REL, SEX, ETH, BIRTH, ID, ADDRESS] + OTHER

RELATIONSHIPS = frozenset({
    "户主", "妻", "夫", "配偶", "子", "女", "长子", "次子", "三子", "长女", "次女", "三女", "独子", "独女",
    "父亲", "母亲", "父", "母", "孙子", "孙女", "外孙子", "外孙女", "儿媳", "女婿", "兄", "弟", "姐", "妹",
    "祖父", "祖母", "外祖父", "外祖母", "养子", "养女", "继子", "继女", "侄子", "侄女", "其他",
})


def _hit(lines, label):
    hits = [h for h in find_labels(lines, label, anywhere=True)
            if h.start == 0 or not h.line.text[:h.start].strip() or label is not NAME]
    # 户主姓名 contains 姓名: skip hits that are part of a longer label
    hits = [h for h in hits if not h.line.text[:h.start].rstrip().endswith("户主")]
    return hits[0] if hits else None


def parse(inp: ParseInput) -> dict[str, Field]:
    lines = inp.lines
    out: dict[str, Field] = {}
    stops = [lab for lab in LABELS]

    def value(label):
        h = _hit(lines, label)
        if not h:
            return []
        return row_value(lines, h, stops=[s for s in stops if s is not label], all_labels=LABELS)

    f = name_field(value(NAME))
    if f:
        out["name"] = f
    segs = value(REL)
    rel = fold_compact(seg_text(segs))
    if rel:
        ok = rel in RELATIONSHIPS
        out["relationship_to_head"] = make_field(rel, segs, reasons=[] if ok else ["unknown_relationship"],
                                                 factor=1.0 if ok else D.FUZZY_MATCH_FACTOR)
    f = sex_field(value(SEX))
    if f:
        out["sex"] = f
    f = ethnicity_field(value(ETH))
    if f:
        out["ethnicity"] = f
    f = date_field(value(BIRTH))
    if f:
        out["birth_date"] = f
    id_hit = _hit(lines, ID)
    if id_hit:
        pb = out["birth_date"].value if "birth_date" in out and not out["birth_date"].reasons else None
        ps = out["sex"].value if "sex" in out else None
        r = id_field_ex(row_value(lines, id_hit, stops=[s for s in stops if s is not ID], all_labels=LABELS), pb, ps)
        if r:
            out["id_number"] = r[0]
            flag_candidate_conflicts(out, r[1])
    ah = first_hit(lines, ADDRESS)
    if ah:
        first = row_value(lines, ah, stops=[s for s in stops if s is not ADDRESS], all_labels=LABELS)
        f = address_field(first + continuation(lines, first, LABELS, max_lines=2))
        if f:
            out["address"] = f
    cross_check_person(out)
    return out
