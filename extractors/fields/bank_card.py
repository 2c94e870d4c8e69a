"""银行卡: card_number, bank_name, card_type (debit/credit/unknown), holder_name.

The number is the row of 16–19 digits (one box or groups in several boxes); letters the
engine reads for digits are mapped back but flagged. Luhn failure, a BIN whose listed bank
differs from the bank printed on the card, or a type derived only from the BIN table all
set ``needs_review``.
"""

from __future__ import annotations

import re

from extractors.fields import defaults as D
from extractors.fields._layout import Label, Seg, find_labels, make_field, reading_order, row_value, seg_text
from extractors.normalize import bank_card, names
from extractors.normalize._text import fold, fold_compact
from extractors.normalize.errors import NormalizeError
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse"]

KIND = "bank_card"

_DIGITISH = re.compile(r"^[0-9OoIlSBZG\s\-.·,'`:/]+$")
_SEPARATORS = re.compile(r"[\s\-]")  # how card numbers are grouped
_SPECKS = re.compile(r"[.·,'`:/]")  # dust, a stamp's rim or embossing read between digits


def _bare(text: str) -> str:
    """The number's characters: grouping separators and specks taken out."""
    return _SPECKS.sub("", _SEPARATORS.sub("", fold(text)))


_MAP = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})
_DEBIT = re.compile(r"借记卡|储蓄卡|DEBIT|借记", re.I)
_CREDIT = re.compile(r"信用卡|贷记卡|准贷记卡|CREDIT", re.I)
_NOT_NAMES = re.compile(
    r"BANK|DEBIT|CREDIT|UNION|PAY|VALID|THRU|GOOD|CARD|VISA|MASTER|CHINA|ELECTRON|PLATINUM|GOLD|"
    r"WORLD|CLASSIC|QUICK|PASS|MEMBER|SINCE|EXPIRES|MONTH|YEAR|ATM|JCB|EXPRESS|AMERICAN", re.I)
FUZZY_BANK_MIN = 80  # percent (rapidfuzz partial_ratio) for a misread bank name
HOLDER = Label("holder_name", ("持卡人", "户名", "姓名"))


def _number_rows(lines) -> list[list[Seg]]:
    out = []
    for row in reading_order(lines):
        segs = [Seg(ln, 0, len(ln.text)) for ln in row if _DIGITISH.match(fold(ln.text) or "x")
                and sum(c.isdigit() for c in fold(ln.text)) >= 3]
        # keep the longest run of adjacent digit boxes
        if segs:
            digits = _bare("".join(s.text for s in segs))
            if bank_card.MIN_LENGTH - 2 <= len(digits) <= bank_card.MAX_LENGTH + 2:
                out.append(segs)
    return out


def _group_lengths(segs: list[Seg]) -> list[int]:
    """Digits per printed group, in reading order, split by the spaces inside a box. A
    box boundary is not taken for a group gap (the engine splits boxes inside a group
    too): the groups either side of it are counted as one, which only merges groups."""
    out: list[int] = []
    for k, sg in enumerate(segs):
        groups = [len(_SPECKS.sub("", g)) for g in re.split(r"[\s\-]+", fold(sg.text).strip())]
        if k and out and groups and not fold(sg.text)[:1].isspace():
            out[-1] += groups.pop(0)
        out += groups
    return [n for n in out if n]


def _card_number(lines) -> Field | None:
    rows = _number_rows(lines)
    if not rows:
        return None
    # prefer a row that validates, then the tallest (embossed digits are the largest text)
    def rank(segs):
        digits = _bare(seg_text(segs)).translate(_MAP)
        return (bank_card.is_valid(digits), max(s.line.height for s in segs))
    segs = max(rows, key=rank)
    raw = seg_text(segs)
    folded = _SEPARATORS.sub("", fold(raw))
    reasons = []
    if _SPECKS.search(folded):
        # a slash is also how a thin 7 is misread (723/6685 for 7237 6685): taken as a 7
        # only when that, and not dropping it, gives a number that validates
        as_seven = _SPECKS.sub("", folded.replace("/", "7")).translate(_MAP)
        folded = _SPECKS.sub("", folded)
        if "/" in raw and not bank_card.is_valid(folded.translate(_MAP)) and bank_card.is_valid(as_seven):
            folded = as_seven
            reasons.append("ocr_corrected")
        reasons.append("unexpected_text")
    digits = folded.translate(_MAP)
    if digits != folded:
        reasons.append("ocr_corrected")
    if not bank_card.grouping_fits(_group_lengths(segs)):
        reasons.append("grouping_mismatch")
    try:
        value = bank_card.validate(digits)
        factor = 1.0
    except NormalizeError as e:
        value = digits
        reasons.append("wrong_length" if e.code == "invalid_length" else e.code)
        factor = D.FAILED_VALIDATION_FACTOR
    return make_field(value, segs, reasons=reasons, factor=factor, raw=raw)


def _fuzzy_bank(lines) -> Field | None:
    """A bank name read with an error (中国工商银衍): the closest full Chinese alias."""
    from rapidfuzz import fuzz, process

    aliases = {a: c for a, c in bank_card._aliases().items() if not a.isascii() and len(a) >= 4}
    best = None
    for ln in lines:
        t = fold_compact(ln.text)
        if not 4 <= len(t) <= 14 or not re.search(r"[\u4e00-\u9fff]", t):
            continue
        hit = process.extractOne(t, list(aliases), scorer=fuzz.partial_ratio, score_cutoff=FUZZY_BANK_MIN)
        if hit and (best is None or hit[1] > best[1]):
            best = (aliases[hit[0]], hit[1], ln)
    if not best:
        return None
    canon, score, ln = best
    return make_field(canon, [Seg(ln, 0, len(ln.text))], reasons=["fuzzy_match"], factor=score / 100)


def _bank_name(lines) -> Field | None:
    found: list[tuple[str, Seg]] = []
    for row in reading_order(lines):
        for ln in row:
            for canon, _alias in bank_card.find_banks(ln.text):
                found.append((canon, Seg(ln, 0, len(ln.text))))
    if not found:
        return _fuzzy_bank(lines)
    canon, seg = found[0]
    reasons = [] if len({c for c, _ in found}) == 1 else ["conflicting_readings"]
    return make_field(canon, [seg], reasons=reasons, raw=seg.text)


_CARD_WORDS = re.compile(r"卡|银行|银联|通|闪付|储蓄|借记|信用|贷记|有效|期限|金|白金|钻石|客服|热线")


def _holder(lines, number: Field | None = None) -> Field | None:
    hits = find_labels(lines, HOLDER)
    if hits:
        segs = row_value(lines, hits[0], all_labels=[HOLDER])
        raw = fold_compact(seg_text(segs))
        if raw:
            ok = names.is_plausible_name(raw)
            return make_field(names.compact(raw), segs, reasons=[] if ok else ["implausible_name"])
    for ln in lines:
        t = fold(ln.text).strip()
        if re.fullmatch(r"[A-Z]{2,}(?: [A-Z]{2,}){1,3}", t) and not _NOT_NAMES.search(t):
            return make_field(t, [Seg(ln, 0, len(ln.text))])
    if number is not None and number.box:
        # an unlabelled Chinese name printed under the number, at its left
        ny1 = max(p[1] for p in number.box)
        nx0 = min(p[0] for p in number.box)
        below = [ln for ln in lines if ln.y0 >= ny1 - 2 and abs(ln.x0 - nx0) <= 4 * max(ln.height, 1.0)]
        for ln in sorted(below, key=lambda ln: ln.y0):
            t = fold_compact(ln.text)
            if names.is_plausible_name(t) and not _CARD_WORDS.search(t) and not bank_card.canonical_bank(t):
                return make_field(names.compact(t), [Seg(ln, 0, len(ln.text))])
    return None


def parse(inp: ParseInput) -> dict[str, Field]:
    lines = inp.lines
    out: dict[str, Field] = {}
    number = _card_number(lines)
    if number:
        out["card_number"] = number
    bin_hit = bank_card.bank_from_bin(number.value) if number and number.value.isdigit() else None
    if number and bin_hit is None and bank_card.is_valid(number.value):
        # a valid number from an issuer the table does not know (a foreign-brand card, an
        # unlisted bank): nothing confirms its first digits
        number.reasons.append("unknown_bin")
        number.needs_review = True
    bank = _bank_name(lines)
    if bank:
        out["bank_name"] = bank
        if bin_hit and bin_hit[0] != bank.value:
            for f in (bank, number):
                f.reasons.append("bin_bank_conflict")
                f.needs_review = True
    elif bin_hit and number:
        out["bank_name"] = Field(value=bin_hit[0], confidence=round(number.confidence * D.DERIVED_FACTOR, 4),
                                 box=number.box, page=number.page, needs_review=True,
                                 raw=None, reasons=["derived"])
    text = " ".join(fold(ln.text) for ln in lines)
    debit, credit = _DEBIT.search(text), _CREDIT.search(text)
    type_line = next((ln for ln in lines if _DEBIT.search(fold(ln.text)) or _CREDIT.search(fold(ln.text))), None)
    if debit and credit or not (debit or credit):
        ctype = None
    else:
        ctype = "debit" if debit else "credit"
    if ctype and type_line:
        f = make_field(ctype, [Seg(type_line, 0, len(type_line.text))])
        if bin_hit and bin_hit[1] != ctype:
            f.reasons.append("bin_type_conflict")
            f.needs_review = True
        out["card_type"] = f
    elif bin_hit and number:
        out["card_type"] = Field(value=bin_hit[1], confidence=round(number.confidence * D.DERIVED_FACTOR, 4),
                                 box=None, page=number.page, needs_review=True, reasons=["derived"])
    elif number:
        out["card_type"] = Field(value="unknown", confidence=0.0, box=None, page=number.page,
                                 needs_review=True, reasons=["not_found"])
    holder = _holder(lines, number)
    if holder:
        out["holder_name"] = holder
    return out
