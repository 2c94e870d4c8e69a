"""居民身份证 国徽面: issuing_authority, valid_from, valid_until (``长期`` stays ``长期``).

The validity span may be one box (``2016.05.12-2036.05.12``) or several; a span that is
not 5/10/20 years to the day (or 长期) is flagged ``validity_span_invalid``.
"""

from __future__ import annotations

import re

from extractors.fields import defaults as D
from extractors.fields._common import first_hit, place_field
from extractors.fields._layout import Label, Seg, continuation, make_field, row_value, seg_text
from extractors.normalize import dates
from extractors.normalize._text import fold_compact, simplify
from extractors.normalize.id_validity import span_plausible
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse", "LABELS"]

KIND = "id_card_back"

AUTHORITY = Label("issuing_authority", ("签发机关",))
VALIDITY = Label("validity", ("有效期限", "有效期"))
LABELS = [AUTHORITY, VALIDITY]


_AUTHORITY_END = re.compile(r"(公安局|分局|派出所|公安厅)$")


def _authority_without_label(lines, span_line) -> list[Seg]:
    """The issuing authority when its label was misread past recognition (经度机关): the
    line ending like an authority (…公安局), without a date, nearest above the validity
    span when that was read. A label-like head ending in 机关 is left out."""
    cands = []
    for ln in lines:
        text = simplify(fold_compact(ln.text))[0]
        if not _AUTHORITY_END.search(text) or dates.find_dates(ln.text):
            continue
        if span_line is not None and ln.cy >= span_line.cy:
            continue
        cands.append(ln)
    if not cands:
        return []
    ln = max(cands, key=lambda o: o.cy)
    head = ln.text.find("机关")
    start = head + 2 if 0 <= head <= 4 else 0
    return [Seg(ln, start, len(ln.text))] if start < len(ln.text) else []


def _span_without_label(lines) -> list[Seg]:
    for ln in lines:
        if len(dates.find_dates(ln.text)) == 2:
            return [Seg(ln, 0, len(ln.text))]
    return []


def parse(inp: ParseInput) -> dict[str, Field]:
    lines = inp.lines
    out: dict[str, Field] = {}
    auth_hit = first_hit(lines, AUTHORITY)
    val_hit = first_hit(lines, VALIDITY)
    span_segs = row_value(lines, val_hit, all_labels=LABELS) if val_hit else _span_without_label(lines)
    if auth_hit:
        segs = row_value(lines, auth_hit, all_labels=LABELS)
        more = continuation(lines, segs, LABELS, limit_line=val_hit.line if val_hit else None, max_lines=1)
        # an authority holds no date: a dated line under it is the validity span, its label misread
        segs += [sg for sg in more if not dates.find_dates(sg.text)]
        reasons = []
    else:
        segs = _authority_without_label(lines, span_segs[0].line if span_segs else None)
        reasons = ["label_not_found"]
    text = fold_compact(seg_text(segs))
    if text:
        ok = bool(_AUTHORITY_END.search(simplify(text)[0]))
        f = place_field(segs, reasons + ([] if ok else ["unexpected_text"]))
        if f:
            out["issuing_authority"] = f
    segs = span_segs
    raw = seg_text(segs)
    if not fold_compact(raw):
        return out
    missing_label = [] if val_hit else ["label_not_found"]
    found = dates.find_dates(raw)
    fixed = dates.unconfuse(raw)
    if fixed != dates.compact(raw) and fixed != raw:
        found2 = dates.find_dates(fixed)
        if len([d for d in found2 if d[0] != dates.LONG_TERM]) > len([d for d in found if d[0] != dates.LONG_TERM]):
            found = found2
            missing_label = missing_label + ["ocr_corrected"]
    if len(found) == 2 and found[0][0] != dates.LONG_TERM:
        a, b = found[0][0], found[1][0]
        reasons = list(missing_label)
        if b != dates.LONG_TERM and b <= a or not span_plausible(a, b):
            reasons.append("validity_span_invalid")
        factor = 1.0 if not reasons else D.FUZZY_MATCH_FACTOR
        out["valid_from"] = make_field(a, segs, reasons=list(reasons), factor=factor, raw=raw)
        out["valid_until"] = make_field(b, segs, reasons=list(reasons), factor=factor, raw=raw)
        # boxes: split the span's box between the two dates by character share
        if len(segs) == 1:
            seg = segs[0]
            cut = seg.start + len(seg.text) // 2
            out["valid_from"].box = Seg(seg.line, seg.start, cut).box
            out["valid_until"].box = Seg(seg.line, cut, seg.end).box
        elif len(segs) >= 2:
            out["valid_from"].box = segs[0].box
            out["valid_until"].box = segs[-1].box
    elif len(found) == 1 and found[0][0] != dates.LONG_TERM:
        out["valid_from"] = make_field(found[0][0], segs, reasons=missing_label + ["incomplete_span"],
                                       factor=D.FAILED_VALIDATION_FACTOR, raw=raw)
    return out
