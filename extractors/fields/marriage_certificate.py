"""结婚证: holder_name, holder_id_number, spouse_name, spouse_id_number,
registration_date, certificate_number. ``divorce_certificate`` reuses this parser.

The inner page lists 持证人, 登记日期, 结婚证字号 and then two people, each a block of
姓名 / 性别 / 国籍 / 出生日期 / 身份证件号 rows. The holder is the person whose name
matches 持证人; the other is the spouse (if no 持证人 is read, the first person is taken
as the holder and both names need review). Each ID number is cross-checked against that
person's printed birth date and sex.
"""

from __future__ import annotations

import re

from extractors.fields import defaults as D
from extractors.fields._common import cross_check_person, date_field, first_hit, id_field_ex, flag_candidate_conflicts, name_field, sex_field
from extractors.fields._layout import Label, find_labels, make_field, row_value, seg_text, sub_box
from extractors.normalize import names
from extractors.normalize.regions import county_of_code
from extractors.normalize._text import fold_compact
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse", "make_parser"]

KIND = "marriage_certificate"

HOLDER = Label("holder", ("持证人",))
REG_DATE = Label("registration_date", ("登记日期",))
NAME = Label("name", ("姓名",))
SEX = Label("sex", ("性别",))
NATIONALITY = Label("nationality", ("国籍",))
BIRTH = Label("birth_date", ("出生日期",))
ID = Label("id_number", ("身份证件号", "身份证件号码", "身份证号", "身份证号码", "公民身份号码"))
REMARK = Label("remark", ("备注",))


def _labels(cert_label: Label) -> list[Label]:
    return [HOLDER, REG_DATE, cert_label, NAME, SEX, NATIONALITY, BIRTH, ID, REMARK]




_CERT_MODERN = re.compile(r"(?P<p>[JL])(?P<region>\d{6})-(?P<year>\d{4})-(?P<seq>\d{4,6})")
_CERT_OLD = re.compile(r"[\u4e00-\u9fff]{1,6}[结离]字第?\d{2,8}号")
_HAN_TAIL = re.compile(r"(?<=\d)[\u4e00-\u9fff]+$")
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "Z": "2", "S": "5", "B": "8"})


def certificate_field(segs, registration: Field | None) -> Field | None:
    """``J110105-2018-001234`` (J marriage, L divorce: office region code, year, serial) or
    an older ``京朝结字第001234号``. Look-alike letters inside the digits are mapped back and
    flagged; the region code must exist and the year must match the registration date."""
    raw = fold_compact(seg_text(segs))
    if not raw:
        return None
    text = re.sub(r"[—–_~]", "-", raw)
    if _CERT_OLD.fullmatch(text):
        return make_field(text, segs, raw=raw)
    reasons = []
    tail = _HAN_TAIL.search(text)
    if tail and tail.start() > 0:  # 民政局 / 专用章: the seal's arc text glued to the number
        text = text[:tail.start()]
        reasons.append("trailing_text")
    head, body = text[:1].upper(), text[1:]
    fixed = body.translate(_LOOKALIKE)
    m = _CERT_MODERN.fullmatch(head + fixed)
    if not m:
        return make_field(text, segs, reasons=["invalid_format", *reasons], factor=D.FAILED_VALIDATION_FACTOR,
                          raw=raw)
    if fixed != body:
        reasons.append("ocr_corrected")
    if county_of_code(m["region"]) is None:
        reasons.append("invalid_component")
    if registration is not None and not registration.reasons and registration.value[:4] != m["year"]:
        reasons.append("conflicting_readings")
    return make_field(m.group(0), segs, reasons=reasons, raw=raw,
                      factor=1.0 if not reasons else D.FUZZY_MATCH_FACTOR)


def make_parser(cert_label: Label):
    all_labels = _labels(cert_label)

    def parse(inp: ParseInput) -> dict[str, Field]:
        lines = inp.lines
        out: dict[str, Field] = {}
        h = first_hit(lines, HOLDER)
        holder = name_field(row_value(lines, h, all_labels=all_labels)) if h else None
        h = first_hit(lines, REG_DATE)
        if h:
            f = date_field(row_value(lines, h, all_labels=all_labels))
            if f:
                out["registration_date"] = f
        h = first_hit(lines, cert_label)
        if h:
            segs = row_value(lines, h, all_labels=all_labels)
            f = certificate_field(segs, out.get("registration_date"))
            if f:
                out["certificate_number"] = f
        # people: every 姓名 row (anywhere: 姓名王建国 性别男 may share a line)
        people = []
        anchors = []  # the 姓名 hit of each person: persons are stacked or side by side
        for nh in sorted(find_labels(lines, NAME, anywhere=True),
                         key=lambda x: (x.line.cy, sub_box(x.line, x.start, x.end)[0][0])):
            person: dict[str, Field] = {}
            nf = name_field(row_value(lines, nh, stops=[NAME, SEX, NATIONALITY, BIRTH, ID], all_labels=all_labels))
            if nf:
                person["name"] = nf
            people.append(person)
            anchors.append(nh)
        if not people:
            if holder:
                out["holder_name"] = holder
            return out
        h_unit = max(1.0, min(a.line.height for a in anchors))

        person_labels = [NAME, SEX, NATIONALITY, BIRTH, ID]

        def x_of(hit) -> float:
            return sub_box(hit.line, hit.start, hit.end)[0][0]

        def owner(hit) -> int | None:
            """The person a label belongs to: same column, nearest 姓名 at or above it."""
            x = x_of(hit)
            best = None
            for i, a in enumerate(anchors):
                if a.line.cy > hit.line.cy + 0.5 * h_unit:
                    continue
                key = (abs(x_of(a) - x) > 4 * h_unit, hit.line.cy - a.line.cy)
                if best is None or key < best[0]:
                    best = (key, i)
            return best[1] if best else None

        def block(i, label):
            hs = [x for x in find_labels(lines, label, anywhere=True) if owner(x) == i]
            hs.sort(key=lambda x: x.line.cy)
            return hs[0] if hs else None

        def value(hit):
            return row_value(lines, hit, stops=[lb for lb in person_labels], all_labels=all_labels)

        for i, p in enumerate(people):
            sh = block(i, SEX)
            if sh:
                f = sex_field(value(sh))
                if f:
                    p["sex"] = f
            bh = block(i, BIRTH)
            if bh:
                f = date_field(value(bh))
                if f:
                    p["birth_date"] = f
            ih = block(i, ID)
            if ih:
                pb = p["birth_date"].value if "birth_date" in p and not p["birth_date"].reasons else None
                ps = p["sex"].value if "sex" in p else None
                r = id_field_ex(value(ih), pb, ps)
                if r:
                    p["id_number"] = r[0]
                    flag_candidate_conflicts(p, r[1])
            cross_check_person(p)
        # who is the holder?
        order = list(range(len(people)))
        holder_idx = None
        if holder:
            matches = [i for i in order if "name" in people[i] and names.same_name(people[i]["name"].value, holder.value)]
            if len(matches) == 1:
                holder_idx = matches[0]
        unsure = holder_idx is None
        if holder_idx is None:
            holder_idx = 0
        spouse_idx = next((i for i in order if i != holder_idx), None)
        for prefix, idx in (("holder", holder_idx), ("spouse", spouse_idx)):
            if idx is None:
                continue
            p = people[idx]
            for src, dst in (("name", f"{prefix}_name"), ("id_number", f"{prefix}_id_number")):
                if src in p:
                    f = p[src]
                    if unsure:  # 持证人 unread or matching nobody: holder/spouse may be swapped
                        f.reasons.append("holder_unresolved")
                        f.needs_review = True
                    out[dst] = f
        if "holder_name" not in out and holder:
            out["holder_name"] = holder
        return out

    return parse


parse = make_parser(Label("certificate_number", ("结婚证字号", "结婚证号")))
