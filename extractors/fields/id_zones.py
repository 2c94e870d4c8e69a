"""The ID card's portrait side read by place: where the national layout puts each value.

The labels (姓名 性别 民族 出生 住址) are printed pale blue-grey and small; on a copy,
a faint scan or a card copied at a third of a page they vanish first, and with them
every value a label-led parser would find. The values themselves sit where GB 16649
puts them on every card: rows at fixed heights of the card, the portrait at the right.
Once the card is rectified, a value is found by its row. These readers run only for the
fields the label-led parser did not find.

A value found this way is trusted only when something independent proves it: the birth
date and the sex against a valid ID number (its digits 7–14 and 17), the ethnicity by
an exact match with one of the 56 names read with high confidence. Anything else
carries ``zone_read`` and goes to review.
"""

from __future__ import annotations

import re

from extractors.fields import defaults as D
from extractors.fields._common import ID_TOKEN, address_field, date_field, ethnicity_field, name_field
from extractors.fields._layout import Seg, make_field
from extractors.normalize import dates, ethnicity
from extractors.normalize._text import fold, fold_compact
from extractors.normalize.errors import NormalizeError
from extractors.types import Field, OcrLine

__all__ = ["ROWS", "is_card_page", "zone_lines", "name_by_zone", "sex_by_zone", "ethnicity_by_zone", "birth_by_zone",
           "address_by_zone"]

#: rows of the portrait side as fractions of the card's height (top, bottom), with room
#: for a crop a few per cent off: name, sex + ethnicity, birth date, address (the number is
#: found by its 18 characters, wherever it sits)
ROWS = {
    "name": (0.06, 0.22),
    "sex": (0.21, 0.34),
    "birth_date": (0.33, 0.46),
    "address": (0.45, 0.78),
}
VALUE_COLUMN = 0.62  # the portrait starts here: text right of it is not a row's value
ETHNICITY_FROM = 0.26  # 民族 and its value sit right of the sex value
CARD_ASPECT = (1.40, 1.80)
TRUSTED_ETHNICITY_CONFIDENCE = 0.90

_NUMBER_LABEL = re.compile(r"公民|身份|号码")
_LABEL_CHARS = re.compile(r"[性别民族出生住址姓名]")
_DIGITS_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\D{1,3}(?P<m>\d{1,2})\D{1,3}(?P<d>\d{1,2})(?!\d)")


def is_card_page(width: int, height: int) -> bool:
    """Whether the page is a rectified card (zones mean nothing on a page or a frame)."""
    return bool(width and height and CARD_ASPECT[0] <= width / height <= CARD_ASPECT[1])


def zone_lines(lines: list[OcrLine], row: str, width: int, height: int,
               x_from: float = 0.0, x_to: float = VALUE_COLUMN) -> list[OcrLine]:
    """Lines whose centre lies in the row's band and the column range, left to right."""
    top, bottom = ROWS[row]
    return sorted((ln for ln in lines
                   if top * height <= ln.cy <= bottom * height and x_from * width <= ln.cx <= x_to * width),
                  key=lambda ln: ln.x0)


def _flag(f: Field | None) -> Field | None:
    if f is not None and "zone_read" not in f.reasons:
        f.reasons.append("zone_read")
        f.needs_review = True
    return f


def sex_by_zone(lines: list[OcrLine], width: int, height: int) -> Field | None:
    """男 or 女 alone in the sex row's value (label characters read around it dropped)."""
    for ln in zone_lines(lines, "sex", width, height, 0.0, 0.5):
        text = fold(ln.text)
        hits = [i for i, c in enumerate(text) if c in "男女"]
        if len(hits) == 1 and not _LABEL_CHARS.sub("", text[:hits[0]]).strip():
            return _flag(make_field(text[hits[0]], [Seg(ln, hits[0], hits[0] + 1)]))
    return None


def ethnicity_by_zone(lines: list[OcrLine], width: int, height: int) -> Field | None:
    """One of the 56 names in the right half of the sex row; trusted when read exactly
    and confidently (the vocabulary is the proof), else flagged."""
    for ln in zone_lines(lines, "sex", width, height, ETHNICITY_FROM, VALUE_COLUMN):
        text = fold(ln.text)
        start = 0
        m = re.search(r"民?族", text)
        if m:
            start = m.end()
        rest = text[start:].strip()
        if not rest or rest in ("男", "女"):
            continue
        f = ethnicity_field([Seg(ln, start, len(ln.text))])
        if f is None:
            continue
        name, _, exact = ethnicity.match(fold_compact(rest))
        if not (exact and ln.confidence >= TRUSTED_ETHNICITY_CONFIDENCE and not f.reasons):
            _flag(f)
        return f
    return None


def birth_by_zone(lines: list[OcrLine], width: int, height: int) -> Field | None:
    """The birth row's date, with or without its 年 月 日 (printed in label ink on the
    card, they fade with the labels). Flagged: ``id_card_front._confirm_zone_reads``
    lifts the flag when the ID number encodes the same date."""
    for ln in zone_lines(lines, "birth_date", width, height):
        f = date_field([Seg(ln, 0, len(ln.text))])
        if f is not None and dates.is_valid(f.value):
            return _flag(f)
        m = _DIGITS_DATE.search(fold(ln.text))
        if m:
            try:
                iso = dates.to_date(int(m["y"]), int(m["m"]), int(m["d"]))
            except NormalizeError:
                continue
            return _flag(make_field(iso, [Seg(ln, 0, len(ln.text))], factor=D.FUZZY_MATCH_FACTOR))
    return None


def name_by_zone(lines: list[OcrLine], width: int, height: int) -> Field | None:
    """The name row's value (姓名 characters read before it dropped). Nothing can confirm
    a name: always flagged."""
    for ln in zone_lines(lines, "name", width, height):
        text = fold(ln.text)
        m = re.match(r"\s*姓?\s*名?\s*", text) if text.startswith(("姓", "名")) else None
        start = m.end() if m else 0
        f = name_field([Seg(ln, start, len(ln.text))])
        if f is not None and "implausible_name" not in f.reasons:
            return _flag(f)
    return None


def address_by_zone(lines: list[OcrLine], width: int, height: int) -> Field | None:
    """The address rows (up to three) between the birth row and the number: always flagged,
    as a row lost at either end cannot be told from an address that ends there."""
    rows = [ln for ln in zone_lines(lines, "address", width, height)
            if not ID_TOKEN.search(fold_compact(ln.text)) and not _NUMBER_LABEL.search(fold_compact(ln.text))
            and sum("\u4e00" <= c <= "\u9fff" for c in ln.text) >= 2]
    rows.sort(key=lambda ln: ln.cy)
    if not rows:
        return None
    segs = []
    for ln in rows[:3]:
        text = fold(ln.text)
        m = re.match(r"\s*住?\s*址\s*", text) if text.startswith(("住", "址")) else None
        segs.append(Seg(ln, m.end() if m else 0, len(ln.text)))
    return _flag(address_field(segs))
