"""Field builders shared by several document kinds (names, sex, dates, ID numbers)."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from extractors.fields import defaults as D
from extractors.fields._layout import Hit, Label, Seg, find_labels, make_field, seg_text
from extractors.normalize import dates, ethnicity, id_number, names, regions
from extractors.normalize._text import fold_compact, rare_chars, simplify
from extractors.normalize.errors import NormalizeError
from extractors.types import Field, OcrLine

__all__ = [
    "first_hit", "name_field", "place_field", "flag_variants", "sex_field", "ethnicity_field", "date_field", "id_field",
    "cross_check_person", "region_check", "ID_TOKEN", "id_field_ex", "flag_candidate_conflicts",
    "candidate_conflicts", "LETTER_IN_NUMBER",
]

VOCABULARY_DOUBT_SHARE = 0.5  # fraction of the OCR doubt left after an exact vocabulary match

# 17–19 characters that are mostly digits, allowing the letters engines confuse with them
ID_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9OoDQIlLiZzBSsGbgqA|×xX]{17,19}(?![0-9A-Za-z])")


def first_hit(lines: list[OcrLine], label: Label, anywhere: bool = False) -> Hit | None:
    hits = find_labels(lines, label, anywhere=anywhere)
    return hits[0] if hits else None


# a look-alike letter touching a digit (``l401``, ``14O4``, ``Z54``): a misread digit far more
# often than a real house number (real unit letters A/B/C/D are not in this set)
LETTER_IN_NUMBER = re.compile(r"(?<=\d)[OoIlZSs|]|[OoIlZSs|](?=\d)")


def place_field(segs: list[Seg], extra_reasons: list[str] | None = None) -> Field | None:
    """Free text naming places (address, issuing authority, employer): width-folded,
    traditional forms mapped to simplified (flagged ``variant_character``), characters
    outside GB 2312 flagged ``rare_character``."""
    raw = seg_text(segs)
    text = fold_compact(raw)
    if not text:
        return None
    reasons = list(extra_reasons or [])
    text, changed = simplify(text)
    if changed:
        reasons.append("variant_character")
    if rare_chars(text):
        reasons.append("rare_character")
    if LETTER_IN_NUMBER.search(text):
        reasons.append("letter_in_number")
    return make_field(text, segs, reasons=reasons, raw=raw)


# How Chinese postal addresses end: a room, a number, a village group, a building …
ADDRESS_ENDINGS = tuple("室号户组村屯社队院楼栋幢座层弄巷街路里庄苑厦园舍场区站") + ("单元",)
LONG_DIGITS = re.compile(r"\d{15,}[\dXx]*")
# …or a bare room number after a building/unit/number: 9号楼301, 2单元501, 18-2-301
ROOM_NUMBER_END = re.compile(r"(?:楼|元|号|栋|幢|座|层|门|-|—)\d{1,5}$")


#: a house number runs straight into its unit word (29号楼, 3栋, 2单元, 1903室); a stray
#: character between them (29复号楼: a stamp's 复 read into the line) is not an address's
STRAY_IN_NUMBER = re.compile(r"\d([^\d\s甲乙丙丁附之号楼栋幢座层单元室门户组排弄巷-])(?:号|栋|幢|单元|室)")
#: an address opens with its administrative division (province, city, county, district,
#: banner…) before any number
ADDRESS_START = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|州|盟|县|区|旗|特别行政区)")


def address_field(segs: list[Seg]) -> Field | None:
    """An address: ``place_field`` plus checks that catch a hidden or stray line — an
    15+ digit run (an ID number joined in) is cut off, and an address that stops mid-way
    or lacks its opening division (a stamp, glare or a finger over part of it) is
    flagged, never trusted."""
    f = place_field(segs)
    if f is None:
        return None
    m = LONG_DIGITS.search(f.value)
    if m:
        f.value = (f.value[: m.start()] + f.value[m.end():]).strip()
        f.reasons.append("foreign_text")
        f.needs_review = True
    if STRAY_IN_NUMBER.search(f.value):
        f.reasons.append("unexpected_text")
        f.needs_review = True
    if not (f.value.endswith(ADDRESS_ENDINGS) or ROOM_NUMBER_END.search(f.value)) \
            or not ADDRESS_START.match(f.value):  # the start hidden: 北113号 for 北京市…113号
        f.reasons.append("address_incomplete")
        f.needs_review = True
    return f if f.value else None


def flag_variants(f: Field | None) -> Field | None:
    """Map traditional forms in a text field to simplified ones, flagging the change."""
    if f is None or not isinstance(f.value, str):
        return f
    value, changed = simplify(f.value)
    if changed:
        f.value = value
        f.reasons.append("variant_character")
        f.needs_review = True
    return f


def name_field(segs: list[Seg]) -> Field | None:
    raw = seg_text(segs)
    if not fold_compact(raw):
        return None
    value, changed = simplify(names.compact(raw))
    reasons = [] if names.is_plausible_name(value) else ["implausible_name"]
    if changed:
        reasons.append("variant_character")
    return make_field(value, segs, reasons=reasons,
                      factor=1.0 if not reasons else D.FAILED_VALIDATION_FACTOR)


def sex_field(segs: list[Seg]) -> Field | None:
    raw = fold_compact(seg_text(segs))
    if not raw:
        return None
    if raw in ("男", "女"):
        return make_field(raw, segs)
    found = set(re.findall(r"[男女]", raw))
    if len(found) == 1:
        return make_field(found.pop(), segs, reasons=["unexpected_text"], factor=D.FUZZY_MATCH_FACTOR)
    return None


def ethnicity_field(segs: list[Seg]) -> Field | None:
    raw = seg_text(segs)
    if not fold_compact(raw):
        return None
    name, score, exact = ethnicity.match(raw)
    if name is None:
        return make_field(fold_compact(raw), segs, reasons=["unknown_ethnicity"],
                          factor=D.FAILED_VALIDATION_FACTOR)
    if exact:
        ocr = min(s.line.confidence for s in segs)
        if name not in ethnicity.PREFIX_NAMES:
            # one of 56 names read exactly: the vocabulary vouches for the value, so the
            # line's doubt (often about its label, or 漢 for 汉) counts half
            ocr = ocr + (1.0 - ocr) * VOCABULARY_DOUBT_SHARE
        return make_field(name, segs, confidence=ocr)
    return make_field(name, segs, reasons=["unknown_ethnicity", "fuzzy_match"], factor=score)


def date_field(segs: list[Seg]) -> Field | None:
    raw = seg_text(segs)
    if not fold_compact(raw):
        return None
    try:
        iso = dates.validate(raw)
        # a 年月 date without 日 may have lost digits of its day: kept as read, flagged
        return make_field(iso, segs, reasons=["partial_value"] if dates.is_partial(raw) else [])
    except NormalizeError as e:
        fixed = dates.unconfuse(raw)
        if fixed != fold_compact(raw) and dates.is_valid(fixed):
            return make_field(dates.validate(fixed), segs, reasons=["ocr_corrected"], factor=D.FUZZY_MATCH_FACTOR)
        found = dates.find_dates(raw)
        if len(found) == 1:
            return make_field(found[0][0], segs, reasons=["unexpected_text"], factor=D.FUZZY_MATCH_FACTOR)
        return make_field(fold_compact(raw), segs, reasons=[e.code], factor=D.FAILED_VALIDATION_FACTOR)


def id_token(segs: list[Seg]) -> list[Seg]:
    """Trim a value to its ID-number-like token (drops stray CJK around it)."""
    raw = seg_text(segs)
    m = ID_TOKEN.search(fold_compact(raw)) if raw else None
    if not m or len(segs) != 1:
        return segs
    seg = segs[0]
    # map back: find the token in the original text ignoring spaces
    text = seg.text
    folded = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    joined = fold_compact(text)
    if len(joined) != len(folded):
        return segs
    a = folded[m.start()][0]
    b = folded[m.end() - 1][0] + 1
    return [Seg(seg.line, seg.start + a, seg.start + b)]


def id_field(segs: list[Seg], printed_birth: str | None = None,
             printed_sex: str | None = None) -> Field | None:
    """An ID-number field with OCR correction and birth-date/sex cross-checks."""
    r = id_field_ex(segs, printed_birth, printed_sex)
    return r[0] if r else None


def candidate_conflicts(c: id_number.Correction, printed_birth: str | None,
                        printed_sex: str | None) -> set[str]:
    """Conflicts shared by every candidate of an unaccepted correction."""
    if c.valid or not c.candidates:
        return set()
    shared: set[str] | None = None
    for cand in c.candidates:
        mine = set()
        if printed_birth and id_number.birth_date(cand) != printed_birth:
            mine.add("birth_date_conflict")
        if printed_sex in ("男", "女") and id_number.sex(cand) != printed_sex:
            mine.add("sex_conflict")
        shared = mine if shared is None else shared & mine
    return shared or set()


def id_field_ex(segs: list[Seg], printed_birth: str | None = None,
                printed_sex: str | None = None,
                address: str | None = None) -> tuple[Field, id_number.Correction] | None:
    """``id_field`` plus the ``Correction`` it was built from."""
    if not segs:
        return None
    segs = id_token(segs)
    raw = id_number.compact(seg_text(segs))
    if not raw:
        return None
    doubt = min(s.line.confidence for s in segs) < D.REVIEW_CONFIDENCE
    c = id_number.correct(raw, printed_birth, printed_sex, allow_any_digit=doubt, address=address)
    reasons: list[str] = []
    factor = 1.0
    if c.valid:
        reasons += list(c.conflicts)
        if c.corrected and c.needs_review:
            # a best-guess fix (digit for digit, or a letter with two readings): flagged.
            # A single-reading letter fix (O→0) that agrees with the printed data is not.
            reasons.append("digit_corrected" if c.method == "digit" else "ocr_corrected")
            factor = D.FUZZY_MATCH_FACTOR
    else:
        factor = D.FAILED_VALIDATION_FACTOR
        if len(c.value) != 18:
            reasons.append("wrong_length")
        else:
            try:
                id_number.validate(c.value)
            except NormalizeError as e:
                reasons.append(e.code)
        if c.candidates:
            reasons.append(c.reason)
    return make_field(c.value, segs, reasons=reasons, factor=factor, raw=seg_text(segs)), c


def flag_candidate_conflicts(fields: dict[str, Field], c: id_number.Correction,
                             birth_key: str = "birth_date", sex_key: str = "sex") -> None:
    """When no correction fits the printed data, the printed fields are doubtful too."""
    pb = fields[birth_key].value if birth_key in fields else None
    ps = fields[sex_key].value if sex_key in fields else None
    for code in candidate_conflicts(c, pb, ps):
        f = fields[birth_key if code == "birth_date_conflict" else sex_key]
        if code not in f.reasons:
            f.reasons.append(code)
        f.needs_review = True


def cross_check_person(fields: dict[str, Field], id_key: str = "id_number",
                       birth_key: str = "birth_date", sex_key: str = "sex") -> None:
    """Flag birth date / sex disagreements between the printed fields and the ID number.

    The printed values stay as read; both sides get ``needs_review`` and the reason.
    Missing printed values are derived from a valid ID number (needs_review, ``derived``).
    """
    idf = fields.get(id_key)
    if not idf or not id_number.is_valid(idf.value):
        return
    for key, fn, code in ((birth_key, id_number.birth_date, "birth_date_conflict"),
                          (sex_key, id_number.sex, "sex_conflict")):
        if key is None:
            continue
        printed = fields.get(key)
        encoded = fn(idf.value)
        if printed is None:
            fields[key] = Field(value=encoded, confidence=round(idf.confidence * D.DERIVED_FACTOR, 4),
                                box=idf.box, page=idf.page, needs_review=True, raw=None,
                                reasons=["derived"])
            continue
        if printed.value != encoded:
            for f in (printed, idf):
                if code not in f.reasons:
                    f.reasons.append(code)
                f.needs_review = True
        elif (not idf.needs_review and id_number.compact(idf.raw or "") == idf.value
              and printed.reasons == ["low_confidence"]):
            # a doubtful line whose reading lands exactly on what an uncorrected, valid
            # number encodes is confirmed by it (an independent reading of the same fact)
            printed.reasons = []
            printed.confidence = round(max(printed.confidence, idf.confidence), 4)
            printed.needs_review = printed.confidence < D.REVIEW_CONFIDENCE
            if printed.needs_review:
                printed.reasons = ["low_confidence"]


def region_check(fields: dict[str, Field], id_key: str = "id_number", addr_key: str = "address") -> None:
    idf, addr = fields.get(id_key), fields.get(addr_key)
    if not idf or not addr or not id_number.is_valid(idf.value):
        return
    if regions.same_province(idf.value, addr.value) is False:
        for f in (idf, addr):
            if "region_conflict" not in f.reasons:
                f.reasons.append("region_conflict")
            f.needs_review = True
    if _county_misread(regions.county_of_code(idf.value), addr.value,
                       regions.counties_near(idf.value)) and "county_misread" not in addr.reasons:
        addr.reasons.append("county_misread")
        addr.needs_review = True


def _county_misread(county: str | None, address: str, real: frozenset[str] = frozenset()) -> bool:
    """The address names the ID number's own county with one character wrong (渍江区 for
    浈江区) and the name it gives is no county of that prefecture (``real``; 武江区 is
    浈江区's neighbour): a misread, not a move.

    >>> _county_misread('浈江区', '广东省韶关市渍江区新塘镇黄庄村20号')
    True
    >>> _county_misread('浈江区', '广东省韶关市浈江区新塘镇黄庄村20号')
    False
    >>> _county_misread('浈江区', '广东省韶关市武江区新华路8号', frozenset({'浈江区', '武江区'}))
    False
    >>> _county_misread('朝阳区', '北京市海淀区中关村大街1号')
    False
    """
    if not county or len(county) < 3 or county in address:
        return False
    n = len(county)
    return any(w[-1] == county[-1] and w not in real and Levenshtein.distance(w, county) == 1
               for w in (address[i:i + n] for i in range(len(address) - n + 1)))
