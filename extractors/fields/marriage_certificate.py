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
from extractors.fields._layout import Label, find_labels, make_field, row_value, seg_text
from extractors.normalize import names
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


_CERT_NO = re.compile(r"[JLＪＬ]?\s*\d{6}\s*[-—–]\s*\d{4}\s*[-—–]\s*\d{4,6}|[A-Z]{0,2}\d{6,}")


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
            raw = fold_compact(seg_text(segs))
            if raw:
                m = _CERT_NO.search(raw.upper())
                value = re.sub(r"[—–]", "-", m.group(0)) if m else raw
                reasons = [] if m else ["invalid_format"]
                out["certificate_number"] = make_field(value, segs, reasons=reasons,
                                                       factor=1.0 if m else D.FAILED_VALIDATION_FACTOR)
        # people: every 姓名 row (anywhere: 姓名王建国 性别男 may share a line)
        people = []
        for nh in sorted(find_labels(lines, NAME, anywhere=True), key=lambda x: (x.line.cy, x.line.x0)):
            if nh.start != 0 and nh.line.text[:nh.start].strip():
                continue
            person: dict[str, Field] = {}
            nf = name_field(row_value(lines, nh, stops=[SEX], all_labels=all_labels))
            if nf:
                person["name"] = nf
            person["_y"] = nh.line.cy  # type: ignore[assignment]
            people.append(person)
        if not people:
            if holder:
                out["holder_name"] = holder
            return out
        bounds = [p["_y"] for p in people] + [float("inf")]  # type: ignore[index]

        def block(i, label, anywhere=False):
            hs = [x for x in find_labels(lines, label, anywhere=anywhere)
                  if bounds[i] - 5 <= x.line.cy < bounds[i + 1] - 5]
            hs = [x for x in hs if x.start == 0 or label in (SEX, BIRTH)]
            return hs[0] if hs else None

        for i, p in enumerate(people):
            sh = block(i, SEX, anywhere=True)
            if sh:
                f = sex_field(row_value(lines, sh, stops=[NATIONALITY], all_labels=all_labels))
                if f:
                    p["sex"] = f
            bh = block(i, BIRTH, anywhere=True)
            if bh:
                f = date_field(row_value(lines, bh, all_labels=all_labels))
                if f:
                    p["birth_date"] = f
            ih = block(i, ID)
            if ih:
                pb = p["birth_date"].value if "birth_date" in p and not p["birth_date"].reasons else None
                ps = p["sex"].value if "sex" in p else None
                r = id_field_ex(row_value(lines, ih, all_labels=all_labels), pb, ps)
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
                    # a person's birth date / sex conflict makes their number doubtful
                    if unsure:
                        f.reasons.append("holder_unresolved")
                        f.needs_review = True
                    out[dst] = f
        if "holder_name" not in out and holder:
            out["holder_name"] = holder
        return out

    return parse


parse = make_parser(Label("certificate_number", ("结婚证字号", "结婚证号")))
