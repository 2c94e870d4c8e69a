"""Geometry and fuzzy-label helpers shared by the field parsers.

Two line shapes must work everywhere: the engine joined label and value
(``姓名王建国``) or split them into boxes side by side (``姓名`` | ``王建国``). Values may
also wrap over several lines. Text is compared after width folding with whitespace
removed; every compared character keeps its index in the original line text so the
value's box can be cut out of the line box by character share.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from extractors.fields import defaults as D
from extractors.types import Box, Field, OcrLine

__all__ = [
    "Frame", "frame", "Label", "Hit", "Seg", "Stream", "clean_map", "sub_box", "union_box", "same_row",
    "find_labels", "label_at", "row_value", "continuation", "make_field", "reading_order",
    "line_height", "seg_text", "strip_punct",
]

# Per-character OCR misreads seen on label glyphs (two-character labels cannot use edit
# distance: one wrong character out of two is too weak).
CONFUSABLE: dict[str, str] = {
    "住": "佳往注柱仕任", "址": "扯趾圵吐", "姓": "娃性妊", "名": "各吕呂", "性": "姓牲佳", "别": "剐刷別列",
    "民": "氏艮", "族": "旅簇挨", "出": "山击岀", "生": "牛主", "码": "玛吗妈", "号": "弓亏",
}


_SPECKS = ".。·、,，'`:;|"  # dust or a stamp's rim read as punctuation inside a two-character label


def _fold_char(c: str) -> str:
    f = unicodedata.normalize("NFKC", c)
    return {"　": " "}.get(f, f)


def clean_map(text: str) -> tuple[str, list[int]]:
    """Width-folded text without whitespace, and each character's index in ``text``.

    >>> clean_map('姓 名：王')
    ('姓名:王', [0, 2, 3, 4])
    """
    out, idx = [], []
    for i, c in enumerate(text):
        for f in _fold_char(c):
            if f.isspace():
                continue
            out.append(f)
            idx.append(i)
    return "".join(out), idx


def _char_w(c: str) -> float:
    if c.isspace():
        return D.ASCII_CHAR_WIDTH * 0.6
    return D.ASCII_CHAR_WIDTH if unicodedata.east_asian_width(c) in ("Na", "H", "N") else 1.0


def sub_box(line: OcrLine, start: int, end: int) -> Box:
    """The part of ``line.box`` holding ``line.text[start:end]``, by character width share.

    >>> sub_box(OcrLine('姓名王建国', 0.99, [[0, 0], [100, 0], [100, 20], [0, 20]]), 2, 5)
    [[40.0, 0.0], [100.0, 0.0], [100.0, 20.0], [40.0, 20.0]]
    """
    text = line.text
    if not text or (start <= 0 and end >= len(text)):
        return [list(map(float, p)) for p in line.box]
    widths = [_char_w(c) for c in text]
    total = sum(widths) or 1.0
    a = sum(widths[:max(0, start)]) / total
    b = sum(widths[:max(0, end)]) / total
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.box

    def lerp(p, q, t):
        return [round(p[0] + (q[0] - p[0]) * t, 1), round(p[1] + (q[1] - p[1]) * t, 1)]

    tl, tr, br, bl = [x0, y0], [x1, y1], [x2, y2], [x3, y3]
    return [lerp(tl, tr, a), lerp(tl, tr, b), lerp(bl, br, b), lerp(bl, br, a)]


def union_box(boxes: list[Box]) -> Box | None:
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    if len(boxes) == 1:
        return boxes[0]
    xs = [p[0] for b in boxes for p in b]
    ys = [p[1] for b in boxes for p in b]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def line_height(lines: list[OcrLine]) -> float:
    hs = [ln.height for ln in lines if ln.height > 0]
    return statistics.median(hs) if hs else 20.0


@dataclass(frozen=True)
class Frame:
    """A line's own coordinate frame: ``u`` along its text, ``n`` down across it.

    Boxes of a skewed or curved page are rotated quads; measuring "same row", "to the
    right" and "below" in the label's own frame keeps those relations right where
    axis-aligned boxes would not. For an upright box this is plain x/y.
    """

    ox: float
    oy: float
    ux: float
    uy: float
    nx: float
    ny: float
    length: float
    height: float

    def project(self, pts) -> tuple[float, float, float, float]:
        """(min u, max u, min n, max n) of points in this frame."""
        us = [(x - self.ox) * self.ux + (y - self.oy) * self.uy for x, y in pts]
        ns = [(x - self.ox) * self.nx + (y - self.oy) * self.ny for x, y in pts]
        return min(us), max(us), min(ns), max(ns)


def frame(ln: OcrLine) -> Frame:
    (x0, y0), (x1, y1), _, (x3, y3) = ln.box
    ux, uy = x1 - x0, y1 - y0
    length = math.hypot(ux, uy)
    if length < 1e-6:
        return Frame(ln.x0, ln.y0, 1.0, 0.0, 0.0, 1.0, max(ln.x1 - ln.x0, 1.0), max(ln.height, 1.0))
    ux, uy = ux / length, uy / length
    nx, ny = -uy, ux
    height = abs((x3 - x0) * nx + (y3 - y0) * ny) or max(ln.height, 1.0)
    return Frame(x0, y0, ux, uy, nx, ny, length, height)


def same_row(a: OcrLine, b: OcrLine) -> bool:
    """b overlaps a's text band (measured across a's own direction) by half a line."""
    fa = frame(a)
    _, _, n0, n1 = fa.project(b.box)
    overlap = min(fa.height, n1) - max(0.0, n0)
    return overlap >= D.SAME_ROW_OVERLAP * max(1.0, min(fa.height, n1 - n0))


def reading_order(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Rows top to bottom, each left to right."""
    rows: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda ln: (ln.page, ln.cy)):
        for row in rows:
            if row[0].page == ln.page and same_row(row[0], ln):
                row.append(ln)
                break
        else:
            rows.append([ln])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    rows.sort(key=lambda r: (r[0].page, min(ln.cy for ln in r)))
    return rows


@dataclass(frozen=True)
class Label:
    """A field label and the spellings it is printed with."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """A label found in a line: ``line.text[start:end]`` is the label as read."""

    label: Label
    line: OcrLine
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Seg:
    """A piece of a line's text: ``line.text[start:end]``."""

    line: OcrLine
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.line.text[self.start:self.end]

    @property
    def box(self) -> Box:
        return sub_box(self.line, self.start, self.end)


def seg_text(segs: list[Seg]) -> str:
    return "".join(s.text for s in segs)


def _cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def label_at(s: str, pos: int, alias: str, fuzzy: bool = True) -> tuple[int, float] | None:
    """Match ``alias`` at ``s[pos:]``; return (length consumed in ``s``, score) or None."""
    n = len(alias)
    if s.startswith(alias, pos):
        return n, 1.0
    if not fuzzy:
        return None
    window = s[pos:pos + n]
    if n == 2 and len(window) == 2:
        k = 2
        if window[1] in _SPECKS and pos + 2 < len(s):  # 仕.址: a speck read between the two
            window, k = window[0] + s[pos + 2], 3
            if window == alias:
                return k, 0.9
        a, b = window
        if (a == alias[0] and b in CONFUSABLE.get(alias[1], "")) or (
            b == alias[1] and a in CONFUSABLE.get(alias[0], "")
        ):
            return k, 0.8 if k == 2 else 0.75
        return None
    if n < 3 or pos >= len(s) or not _cjk(s[pos]):
        return None
    max_d = 1 if n < 6 else 2
    best: tuple[int, bool, int] | None = None  # (distance + penalty, length differs, length)
    for k in range(max(2, n - max_d), n + max_d + 1):
        w = s[pos:pos + k]
        if len(w) < k:
            break
        d = Levenshtein.distance(w, alias, score_cutoff=max_d)
        if d > max_d:
            continue
        # do not let a Chinese label swallow the first digit/letter of its value
        d += int(_cjk(alias[-1]) and not _cjk(w[-1]))
        cand = (d, k != n, k)
        if d <= max_d and (best is None or cand < best):
            best = cand
    if best is None:
        return None
    return best[2], round(1 - best[0] / n, 3)


def find_labels(lines: list[OcrLine], label: Label, anywhere: bool = False,
                fuzzy: bool = True) -> list[Hit]:
    """Lines where ``label`` starts the text (or occurs anywhere, exact/confusable only)."""
    hits: list[Hit] = []
    for ln in lines:
        s, idx = clean_map(ln.text)
        if not s:
            continue
        pos = 0
        while pos < len(s):
            best = None
            for alias in label.aliases:
                m = label_at(s, pos, alias, fuzzy=fuzzy and (pos == 0 or len(alias) == 2))
                if m and (best is None or m[1] > best[1]):
                    best = m
            if best:
                k, score = best
                end = idx[pos + k - 1] + 1
                hits.append(Hit(label, ln, idx[pos], end, score * (0.9 if pos and not anywhere else 1.0)))
                pos += k
            else:
                pos += 1
            # a line starts with its label; one speck read before it (``1址``: the rest of a
            # faded 住) is allowed
            if not anywhere and not (pos == 1 and not best and not _cjk(s[0]) and len(s) > 1):
                break
    hits.sort(key=lambda h: (-h.score, h.line.cy))
    return hits


MAX_ROW_HEIGHT_RATIO = 2.5  # a value box taller than this many label heights is not on the label's row
_LEAD = re.compile(r"^[\s:：;；,，.。、|\-–—_·•~]+")  # a value never starts with a dash or dot speck
_TRAIL = re.compile(r"[\s:：;；,，、|]+$")


def strip_punct(seg: Seg) -> Seg | None:
    t = seg.text
    a = len(_LEAD.match(t).group(0)) if _LEAD.match(t) else 0
    m = _TRAIL.search(t)
    b = len(t) - (len(m.group(0)) if m else 0)
    if b <= a:
        return None
    return Seg(seg.line, seg.start + a, seg.start + b)


def _first_stop(line: OcrLine, start: int, stops: list[Label]) -> int:
    """Index in ``line.text`` (≥ start) where the first stop label begins, else len."""
    s, idx = clean_map(line.text)
    for pos, o in enumerate(idx):
        if o < start:
            continue
        for lab in stops:
            for alias in lab.aliases:
                if label_at(s, pos, alias, fuzzy=len(alias) == 2):
                    return o
    return len(line.text)


def row_value(lines: list[OcrLine], hit: Hit, stops: list[Label] = (),
              all_labels: list[Label] = ()) -> list[Seg]:
    """Value segments on the label's row: the rest of its line, then boxes to its right.

    Stops at the first ``stops`` label inside a line, or at a box that starts with any
    of ``all_labels``.
    """
    segs: list[Seg] = []
    ln = hit.line
    end = _first_stop(ln, hit.end, list(stops)) if stops else len(ln.text)
    seg = strip_punct(Seg(ln, hit.end, end))
    if seg:
        segs.append(seg)
    if end < len(ln.text):
        return segs
    fr = frame(ln)
    h = fr.height
    # A box holding only the label (and punctuation: ``住址：``) is padded past the label's
    # text, and so is the value's own box before it: the two may overlap by more than half
    # a line height. The value box must still reach past the label box.
    label_end, slack = (fr.length, 0.5 * h) if seg else (fr.length * hit.end / len(ln.text), h)
    right = []
    for o in lines:
        if o is ln or o.page != ln.page or not same_row(o, ln):
            continue
        u0, u1, n0, n1 = fr.project(o.box)
        if n1 - n0 > MAX_ROW_HEIGHT_RATIO * h:
            continue  # a box several rows tall (an emblem, a photo, a stamp) is not this row's print
        if u0 >= label_end - slack and u1 > fr.length:
            right.append((u0, u1, o))
    right.sort(key=lambda t: t[0])
    u_prev = fr.length
    for u0, u1, o in right:
        if u0 - u_prev > D.MAX_VALUE_GAP * h:
            break
        s, _ = clean_map(o.text)
        if any(label_at(s, 0, a, fuzzy=True) for lab in all_labels for a in lab.aliases):
            break
        stop = _first_stop(o, 0, list(stops)) if stops else len(o.text)
        seg = strip_punct(Seg(o, 0, stop))
        if seg:
            segs.append(seg)
        if stop < len(o.text):
            break
        u_prev = u1
    return segs


def continuation(lines: list[OcrLine], first: list[Seg], all_labels: list[Label],
                 y_limit: float | None = None, max_lines: int = 3,
                 limit_line: OcrLine | None = None) -> list[Seg]:
    """Lines under a value that continue it: starting near the value column, at most
    ``CONTINUATION_Y_GAP`` line heights below the previous value line, above
    ``limit_line`` (or ``y_limit``), and not starting with a label. Measured in the
    previous line's own frame, so a skewed page works too."""
    if not first:
        return []
    col_pt = first[0].box[0]  # top-left of the value: the column it is aligned to
    prev = first[-1].line
    used = {id(s.line) for s in first}
    out: list[Seg] = []
    for _ in range(max_lines):
        fr = frame(prev)
        h = fr.height
        col_u = fr.project([col_pt])[0]
        limit_n = fr.project(limit_line.box)[2] if limit_line is not None else None
        below = []
        for o in lines:
            if id(o) in used or o.page != prev.page or (y_limit is not None and o.cy >= y_limit):
                continue
            u0, _, n0, n1 = fr.project(o.box)
            if not (0.5 * h <= n0 <= h + D.CONTINUATION_Y_GAP * h):
                continue
            if abs(u0 - col_u) > D.CONTINUATION_X_TOLERANCE * h:
                continue
            if limit_n is not None and (n0 + n1) / 2 >= limit_n:
                continue
            below.append((n0, o))
        if not below:
            break
        nxt = min(below, key=lambda t: t[0])[1]
        s, _ = clean_map(nxt.text)
        if any(label_at(s, 0, a, fuzzy=True) for lab in all_labels for a in lab.aliases):
            break
        seg = strip_punct(Seg(nxt, 0, len(nxt.text)))
        if seg:
            out.append(seg)
        used.add(id(nxt))
        # same-row pieces of the continuation line
        fn = frame(nxt)
        pieces = []
        for o in lines:
            if id(o) in used or o.page != nxt.page or not same_row(o, nxt):
                continue
            u0, _, _, _ = fn.project(o.box)
            if u0 > fn.length - 0.5 * fn.height:
                pieces.append((u0, o))
        u_prev = fn.length
        for u0, o in sorted(pieces, key=lambda t: t[0]):
            if u0 - u_prev > D.MAX_VALUE_GAP * fn.height:
                break
            seg = strip_punct(Seg(o, 0, len(o.text)))
            if seg:
                out.append(seg)
            used.add(id(o))
            u_prev = fn.project(o.box)[1]
        prev = nxt
    return out


def make_field(value, segs: list[Seg], *, reasons: list[str] | tuple[str, ...] = (),
               factor: float = 1.0, review: bool = False, confidence: float | None = None,
               raw: str | None = None) -> Field:
    """A ``Field`` whose confidence is min(OCR confidence) × ``factor``; needs_review
    whenever there is any reason or the confidence is under ``REVIEW_CONFIDENCE``."""
    reasons = list(dict.fromkeys(reasons))
    ocr = min((s.line.confidence for s in segs), default=0.0) if confidence is None else confidence
    if segs and ocr < D.REVIEW_CONFIDENCE and "low_confidence" not in reasons:
        reasons.append("low_confidence")
    conf = max(0.0, min(1.0, ocr * factor))
    needs = bool(review or reasons or conf < D.REVIEW_CONFIDENCE)
    return Field(
        value=value,
        confidence=round(conf, 4),
        box=union_box([s.box for s in segs]),
        page=segs[0].line.page if segs else 1,
        needs_review=needs,
        raw=raw if raw is not None else (seg_text(segs) if segs else None),
        reasons=reasons,
    )


class Stream:
    """All lines in reading order as one compact string, mapped back to line segments.

    ``row_sep`` is inserted between rows (``''`` for running Chinese text, ``'\\n'`` to
    keep paragraph starts visible).
    """

    def __init__(self, lines: list[OcrLine], row_sep: str = ""):
        self.text_parts: list[str] = []
        self.map: list[tuple[OcrLine, int] | None] = []
        rows = reading_order(lines)
        for r, row in enumerate(rows):
            if r and row_sep:
                self.text_parts.append(row_sep)
                self.map.extend([None] * len(row_sep))
            for ln in row:
                s, idx = clean_map(ln.text)
                self.text_parts.append(s)
                self.map.extend((ln, i) for i in idx)
        self.text = "".join(self.text_parts)

    def segs(self, start: int, end: int) -> list[Seg]:
        out: list[Seg] = []
        for k in range(start, end):
            m = self.map[k] if 0 <= k < len(self.map) else None
            if m is None:
                continue
            ln, i = m
            if out and out[-1].line is ln and out[-1].end <= i + 1:
                out[-1] = Seg(ln, out[-1].start, i + 1)
            else:
                out.append(Seg(ln, i, i + 1))
        return out
