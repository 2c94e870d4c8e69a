"""居民身份证 人像面: name, sex, ethnicity, birth_date, address, id_number.

Handles joined lines (``姓名王建国``, ``性别男 民族汉``) and split boxes (``姓名`` | ``王建国``),
an address over 1–3 lines (continuation lines left-aligned with the value column, above
the number), misread labels (``佳址``, ``公民身份号玛``), and an unlabelled number line.
Cross-checks: birth date and sex printed vs encoded in the number (both flagged when
they disagree, the printed value stays), region code vs the province of the address,
17-character numbers flagged and never padded.
"""

from __future__ import annotations

import re

from extractors.fields._common import (
    ID_TOKEN, cross_check_person, date_field, ethnicity_field, first_hit, flag_candidate_conflicts, id_field_ex, name_field,
    address_field, place_field, region_check, sex_field,
)
from extractors.fields._layout import (
    Label, Seg, clean_map, continuation, find_labels, frame, label_at, row_value, same_row, seg_text,
)
from extractors.normalize._text import fold_compact
from extractors.fields import id_zones
from extractors.normalize import id_number, names
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse", "LABELS"]

KIND = "id_card_front"

NAME = Label("name", ("姓名",))
SEX = Label("sex", ("性别",))
ETHNICITY = Label("ethnicity", ("民族",))
BIRTH = Label("birth_date", ("出生日期", "出生"))
ADDRESS = Label("address", ("住址", "地址", "址"))  # 址 alone: 住 lost on a faint copy
ID = Label("id_number", ("公民身份号码", "公民身份证号码", "身份证号码"))
LABELS = [NAME, SEX, ETHNICITY, BIRTH, ADDRESS, ID]


def _id_without_label(lines, y_min: float | None) -> list[Seg]:
    best = None
    for ln in lines:
        if y_min is not None and ln.cy < y_min:
            continue
        t = fold_compact(ln.text)
        m = ID_TOKEN.search(t)
        if m and sum(ch.isdigit() for ch in m.group(0)) >= 15:
            if best is None or ln.cy > best.cy:
                best = ln
    return [Seg(best, 0, len(best.text))] if best else []


def _name_without_label(lines, hits) -> Field | None:
    """The name is the card's first line; on a faint copy its small 姓名 label may be
    unread. Taken only when that line is above every labelled row and reads as a name,
    and always flagged."""
    labelled = [h.line.cy for h in hits.values() if h is not None]
    if not lines or not labelled:
        return None
    top = min(lines, key=lambda ln: ln.cy)
    if top.cy >= min(labelled) or not names.is_plausible_name(fold_compact(top.text)):
        return None
    f = name_field([Seg(top, 0, len(top.text))])
    if f is not None:
        f.reasons.append("label_not_found")
        f.needs_review = True
    return f


_DATE_LINE = re.compile(r"(?:19|20)\d{2}\D{0,2}年")


def _address_without_label(lines, hits, limit_line) -> Field | None:
    """The address rows when no 住址 label was read (small labels fade first on a copy):
    the lines under the birth-date row and above the number, starting in the value
    column, taken in reading order and always flagged."""
    birth = hits["birth_date"].line if hits["birth_date"] else None
    if birth is None:
        dated = [ln for ln in lines if _DATE_LINE.search(fold_compact(ln.text))]
        birth = max(dated, key=lambda ln: ln.cy) if dated else None
    if birth is None or limit_line is None or limit_line.cy <= birth.cy:
        return None
    fb = frame(birth)
    h = fb.height
    col = min(p[0] for p in birth.box)
    if hits["birth_date"]:
        value = row_value(lines, hits["birth_date"], all_labels=LABELS)
        col = min(p[0] for p in value[0].box) if value else col
    rows = []
    for ln in sorted(lines, key=lambda o: o.cy):
        if ln is birth or ln is limit_line or not (birth.cy + 0.5 * h < ln.cy < limit_line.cy - 0.5 * h):
            continue
        t = fold_compact(ln.text)
        if abs(min(p[0] for p in ln.box) - col) > 1.5 * h or ID_TOKEN.search(t):
            continue
        if sum("\u4e00" <= c <= "\u9fff" for c in t) < 2 or any(
                label_at(clean_map(ln.text)[0], 0, a) for lab in LABELS for a in lab.aliases):
            continue
        rows.append(Seg(ln, 0, len(ln.text)))
    f = address_field(rows[:3]) if rows else None
    if f is not None:
        f.reasons.append("label_not_found")
        f.needs_review = True
    return f


def parse(inp: ParseInput) -> dict[str, Field]:
    lines = inp.lines
    out: dict[str, Field] = {}
    hits = {lab.name: first_hit(lines, lab) for lab in LABELS}
    sex_hit = hits["sex"]
    eth_hits = find_labels(lines, ETHNICITY, anywhere=True)
    if sex_hit:
        row_mates = [h for h in eth_hits if same_row(h.line, sex_hit.line)]
        hits["ethnicity"] = row_mates[0] if row_mates else (
            next((h for h in eth_hits if h.start == 0 or not h.line.text[:h.start].strip()), None))
    else:
        hits["ethnicity"] = next((h for h in eth_hits if not h.line.text[:h.start].strip()), None)

    def value(key, stops=()):
        h = hits[key]
        return row_value(lines, h, stops=list(stops), all_labels=LABELS) if h else []

    f = name_field(value("name", [SEX])) if hits["name"] else _name_without_label(lines, hits)
    if f is None and not hits["name"] and id_zones.is_card_page(inp.width, inp.height):
        f = id_zones.name_by_zone(lines, inp.width, inp.height)
    if f:
        out["name"] = f
    f = sex_field(value("sex", [ETHNICITY]))
    if f:
        out["sex"] = f
    f = ethnicity_field(value("ethnicity"))
    if f:
        out["ethnicity"] = f
    f = date_field(value("birth_date"))
    if f:
        out["birth_date"] = f
    if id_zones.is_card_page(inp.width, inp.height):
        # labels lost (a copy, a faint card): the values are still in their rows
        for key, by_zone in (("sex", id_zones.sex_by_zone), ("ethnicity", id_zones.ethnicity_by_zone),
                             ("birth_date", id_zones.birth_by_zone)):
            if key not in out:
                f = by_zone(lines, inp.width, inp.height)
                if f:
                    out[key] = f

    id_hit = hits["id_number"]
    if hits["address"]:
        first = value("address")
        more = continuation(lines, first, LABELS, limit_line=id_hit.line if id_hit else None)
        f = address_field(first + more)
        if f:
            out["address"] = f

    id_segs = value("id_number")
    if not id_segs or not ID_TOKEN.search(fold_compact(seg_text(id_segs))):
        anchor = hits["address"] or hits["birth_date"]
        fallback = _id_without_label(lines, anchor.line.cy if anchor else None)
        if fallback:
            id_segs = fallback
    if "address" not in out:
        limit = id_hit.line if id_hit else (id_segs[0].line if id_segs else None)
        if id_segs and id_hit and id_segs[0].line.cy < id_hit.line.cy:
            limit = id_segs[0].line  # the number read above its own label
        f = _address_without_label(lines, hits, limit)
        if f is None and id_zones.is_card_page(inp.width, inp.height):
            f = id_zones.address_by_zone(lines, inp.width, inp.height)
        if f:
            out["address"] = f
    # a value found by its row counts as printed: it and the number confirm each other
    printed_birth = (out["birth_date"].value if "birth_date" in out
                     and set(out["birth_date"].reasons) <= {"zone_read"} else None)
    printed_sex = out["sex"].value if "sex" in out else None
    printed_addr = out["address"].value if "address" in out else None
    r = id_field_ex(id_segs, printed_birth, printed_sex, printed_addr)
    if r:
        f, correction = r
        confirmed = correction.valid and printed_birth and printed_sex and not correction.conflicts
        if not id_hit and not confirmed:
            # an unlabelled number is trusted only when the printed birth date and sex confirm it
            f.reasons.append("label_not_found")
            f.needs_review = True
        out["id_number"] = f
        flag_candidate_conflicts(out, correction)
    cross_check_person(out)
    _confirm_zone_reads(out)
    region_check(out)
    return out


#: doubts a second, independent reading of the same fact settles
_SETTLED_BY_NUMBER = ("zone_read", "partial_value", "low_confidence")


def _confirm_zone_reads(out: dict[str, Field]) -> None:
    """A birth date or sex found by its row, or a birth date read without its 日 (printed
    in label ink, it fades with the labels), is confirmed by a valid ID number read as
    printed (not corrected) that encodes the same: two independent readings of one fact."""
    idf = out.get("id_number")
    if (not idf or idf.needs_review or not id_number.is_valid(idf.value)
            or id_number.compact(idf.raw or "") != idf.value):
        return
    for key, encoded in (("birth_date", id_number.birth_date(idf.value)), ("sex", id_number.sex(idf.value))):
        f = out.get(key)
        if f is None or f.value != encoded or not set(f.reasons) & {"zone_read", "partial_value"}:
            continue
        if set(f.reasons) <= set(_SETTLED_BY_NUMBER):
            f.reasons = []
            f.confidence = round(max(f.confidence, idf.confidence), 4)
            f.needs_review = False
