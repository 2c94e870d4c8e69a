"""Resident identity card numbers (居民身份证号码, GB 11643-1999), 18 characters.

Checking is delegated to ``stdnum.cn.ric`` (check digit, birth date, region code valid
in the birth year); this module adds OCR-aware folding and a conservative correction.

>>> validate('110105198503071230')
'110105198503071230'
>>> validate('１１０１０５ １９８５０３０７ １２３０')
'110105198503071230'
>>> validate('11010519491231002x')
'11010519491231002X'
>>> birth_date('110105198503071230'), sex('110105198503071230'), region('110105198503071230')
('1985-03-07', '男', '北京市朝阳区')

Decoding alone (no check digit, no compacting; for numbers already on record or read from a
document, whether or not they validate):

>>> decode_birth_date('110105198503071231'), decode_sex('110105198503071231')
(datetime.date(1985, 3, 7), '男')
>>> decode_birth_date('110105198513071230') is None, decode_sex('1101051985030712') is None
(True, True)
>>> validate('11010519850307123')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidLength: An ID number has 18 characters, got 17.
>>> validate('110105198503071231')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidChecksum: The check digit of the ID number does not match.
>>> validate('110105198503321236')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidComponent: The birth date in the ID number is impossible.
>>> validate('11O105198503071230')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidFormat: An ID number has 17 digits and a final digit or X.

OCR correction (accepted only when exactly one candidate validates and agrees with
the birth date and sex printed on the same document):

>>> c = correct('11O1O5198503071230', printed_birth='1985-03-07', printed_sex='男')
>>> c.value, c.corrected, c.needs_review, c.reason, c.method
('110105198503071230', True, False, 'corrected', 'letters')
>>> c = correct('110105198503071830', printed_birth='1985-03-07', printed_sex='男')
>>> c.value, c.corrected, c.needs_review, c.method
('110105198503071830', False, True, 'none')
>>> c = correct('11O1O5198503071230')
>>> c.value, c.corrected, c.needs_review, c.reason
('11O1O5198503071230', False, True, 'unverifiable_correction')
>>> correct('11010519850307123').reason
'wrong_length'
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

from extractors.normalize._text import fold_compact
from extractors.normalize.errors import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    NormalizeError,
)
from extractors.normalize.regions import county_of_code, province_of_code, same_province

__all__ = [
    "region_known",
    "compact",
    "validate",
    "is_valid",
    "birth_date",
    "sex",
    "decode_birth_date",
    "decode_sex",
    "region",
    "check_digit",
    "Correction",
    "correct",
    "find_candidates",
    "LETTER_TO_DIGITS",
    "DIGIT_CONFUSIONS",
]

# Letters OCR engines produce for digits (and for the final X). Several readings are
# tried for ambiguous shapes; only a unique, consistent candidate is ever accepted.
LETTER_TO_DIGITS: dict[str, str] = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "C": "0",
    "I": "17", "l": "17", "i": "1", "|": "1", "L": "1", "T": "71", "J": "1", "!": "1",
    "Z": "27", "z": "2",
    "B": "83", "S": "5", "s": "5", "G": "6", "b": "6", "g": "9", "q": "9",
    "A": "4", "E": "3", "Y": "7",
}
# Digits that OCR engines confuse with each other in OCR-B / Heiti digits.
DIGIT_CONFUSIONS: dict[str, str] = {
    "0": "869", "1": "74", "2": "7", "3": "85", "4": "1", "5": "63", "6": "508",
    "7": "12", "8": "0369", "9": "08",
}
_X_FORMS = "xX×ⅩχΧ╳✕✖Kk"


def compact(number: object) -> str:
    """Fold width, drop spaces and separators, upper-case the final X.

    Letters other than the final X are kept (they are misreads for ``correct`` to
    consider), so ``compact`` never silently changes a digit.

    >>> compact(' 11010519491231002× ')
    '11010519491231002X'
    """
    s = fold_compact(number)
    s = re.sub(r"[\s\-_.·,:：]", "", s)
    if s and s[-1] in _X_FORMS:
        s = s[:-1] + "X"
    return s


def check_digit(first17: str) -> str:
    """GB 11643 check character for 17 digits.

    >>> check_digit('11010519850307123')
    '0'
    """
    return ric.calc_check_digit(first17 + "0")


def validate(number: object) -> str:
    """Return the canonical 18-character number or raise a ``NormalizeError``."""
    s = compact(number)
    if len(s) != 18:
        raise InvalidLength(f"An ID number has 18 characters, got {len(s)}.")
    if not (s[:17].isdigit() and s[:17].isascii() and (s[17].isdigit() or s[17] == "X")):
        raise InvalidFormat("An ID number has 17 digits and a final digit or X.")
    if s[17] != check_digit(s[:17]):
        raise InvalidChecksum("The check digit of the ID number does not match.")
    try:
        ric.get_birth_date(s)
    except stdnum_exc.ValidationError:
        raise InvalidComponent("The birth date in the ID number is impossible.") from None
    if not region_known(s):
        raise InvalidComponent("The region code of the ID number is unknown.")
    return s


def region_known(number: str) -> bool:
    """Whether the first six digits are a region code of GB/T 2260 in any period.

    ``stdnum.cn.ric`` also asks that the code existed in the birth year; but a number is
    assigned at first registration (1985 on, for most adults then living), under the code
    of that day, so someone born in 1960 in Hangzhou's 西湖区 (a code listed from 1983)
    holds a valid 330106-1960… number that stdnum rejects. A code retired before the birth
    year (燕山区 110110, until 1986) still cannot be someone born in 2000.

    >>> region_known('330106196001011236'), region_known('999999196001011236'), region_known('110110200001011239')
    (True, False, False)
    """
    from stdnum import numdb

    s = str(number)
    if len(s) < 6 or not s[:6].isdigit():
        return False
    merged = {k: v for _part, props in numdb.get("cn/loc").info(s[:6]) for k, v in props.items()}
    if "county" not in merged:  # as stdnum: a code of its county level
        return False
    year = int(s[6:10]) if s[6:10].isdigit() else None
    for county in merged["county"].split(","):
        if not county.startswith("["):
            return True
        end = county[1:].split("]")[0].split("-")[1]
        # a code retired before the person was born cannot be theirs; one listed only after
        # the birth year can (numbers were assigned at first registration)
        if not end or year is None or year <= int(end):
            return True
    return False


def is_valid(number: object) -> bool:
    """Whether ``validate`` accepts the number.

    >>> is_valid('110105198503071230'), is_valid(None), is_valid('🙂')
    (True, False, False)
    """
    try:
        return bool(validate(number))
    except NormalizeError:
        return False


def decode_birth_date(s: str) -> date | None:
    """Birth date in digits 7–14 of ``s`` as given (not compacted, check digit not checked).

    None unless ``s`` has 18 characters, the first 17 digits, and the date exists.
    """
    if len(s) != 18 or not s[:17].isdigit():
        return None
    try:
        return date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def decode_sex(s: str) -> str | None:
    """Sex in digit 17 of ``s`` as given (odd 男, even 女); None unless ``s`` has 18 characters
    and a digit there (not compacted, nothing else checked)."""
    if len(s) != 18 or not s[16].isdigit():
        return None
    return "男" if int(s[16]) % 2 else "女"


def birth_date(number: object) -> str:
    """ISO birth date encoded in a valid number."""
    return decode_birth_date(validate(number)).isoformat()  # type: ignore[union-attr]  # validate checked it


def sex(number: object) -> str:
    """'男' when the 17th digit is odd, '女' when even."""
    return decode_sex(validate(number))  # type: ignore[return-value]  # validate checked it


def region(number: object) -> str:
    """Province + county of the region code, as stdnum's database names them."""
    s = validate(number)
    return f"{province_of_code(s) or ''}{county_of_code(s) or ''}"


@dataclass(frozen=True)
class Correction:
    """Outcome of ``correct``.

    ``value`` is what a field should carry: the corrected number when a correction was
    accepted, otherwise the compacted raw reading (never padded, never guessed).
    ``needs_review`` is False only when ``value`` validates and agrees with whatever
    birth date / sex was printed, and any correction only replaced letters that cannot
    occur in an ID number and have a single digit reading (``method == 'letters'``,
    e.g. O→0, S→5, final K→X; I→1/7 or B→8/3 still need review). A digit-for-digit correction
    (``method == 'digit'``) is a best guess: the value carries it, but a clerk confirms.
    """

    value: str
    corrected: bool
    candidates: tuple[str, ...] = ()
    reason: str = ""
    valid: bool = False
    needs_review: bool = True
    conflicts: tuple[str, ...] = field(default=())
    method: str = "none"  # "none" | "letters" | "digit"


def _consistent(n: str, printed_birth: str | None, printed_sex: str | None,
                address: str | None = None) -> tuple[str, ...]:
    out = []
    if printed_birth and birth_date(n) != printed_birth:
        out.append("birth_date_conflict")
    if printed_sex in ("男", "女") and sex(n) != printed_sex:
        out.append("sex_conflict")
    if address and same_province(n, address) is False:
        out.append("region_conflict")
    return tuple(out)


def _letter_variants(s: str) -> list[str]:
    options = []
    for i, ch in enumerate(s):
        if ch.isdigit() and ch.isascii():
            options.append(ch)
        elif i == 17 and ch == "X":
            options.append("X")
        elif ch in LETTER_TO_DIGITS:
            options.append(LETTER_TO_DIGITS[ch] + ("X" if i == 17 and ch in "Kk" else ""))
        else:
            return []
    combos = 1
    for o in options:
        combos *= len(o)
    if combos > 256:
        return []
    return ["".join(p) for p in itertools.product(*options)]


def find_candidates(raw: object, allow_any_digit: bool = False) -> list[str]:
    """Valid numbers one plausible OCR confusion away from ``raw`` (sorted, unique).

    Letter misreads are replaced first; only when that yields nothing valid are single
    confusable-digit substitutions tried (any digit when ``allow_any_digit``).

    >>> find_candidates('11O1O5198503071230')
    ['110105198503071230']
    """
    s = compact(raw)
    if len(s) != 18:
        return []
    base = _letter_variants(s)
    found = sorted({v for v in base if is_valid(v)})
    if found or not base:
        return found
    out: set[str] = set()
    for v in base:
        for i, ch in enumerate(v):
            if i == 17:
                # Changing the check digit "repairs" a misread anywhere else, so a
                # check-digit-only candidate carries no evidence: never proposed.
                continue
            alts = "0123456789" if allow_any_digit else DIGIT_CONFUSIONS.get(ch, "")
            for a in alts:
                if a == ch:
                    continue
                cand = v[:i] + a + v[i + 1:]
                if is_valid(cand):
                    out.add(cand)
    return sorted(out)


def correct(
    raw: object,
    printed_birth: str | None = None,
    printed_sex: str | None = None,
    allow_any_digit: bool = False,
    address: str | None = None,
) -> Correction:
    """Validate ``raw``; when it fails, look for a unique consistent OCR correction.

    ``printed_birth`` is ISO (``1985-03-07``), ``printed_sex`` is '男'/'女'. A correction
    is accepted only when BOTH are given, exactly one candidate validates, and that
    candidate agrees with both. ``allow_any_digit`` widens single-digit substitutions
    beyond the confusable pairs; set it only when the engine doubted the line.
    ``address`` (optional): a candidate whose region code names another province than
    the address is not consistent either. For a number that already validates, only
    birth date and sex are reported as conflicts (a region mismatch alone is common:
    people move; callers flag it separately).
    """
    s = compact(raw)
    if is_valid(s):
        conflicts = _consistent(s, printed_birth, printed_sex)
        return Correction(s, False, (s,), conflicts[0] if conflicts else "valid", True,
                          bool(conflicts), conflicts)
    if len(s) != 18:
        return Correction(s, False, (), "wrong_length", False, True)
    cands = find_candidates(s, allow_any_digit=allow_any_digit)
    by_letters = bool(cands) and set(cands) <= set(_letter_variants(s))
    if not cands:
        return Correction(s, False, (), "checksum_failed", False, True)
    if not printed_birth or printed_sex not in ("男", "女"):
        return Correction(s, False, tuple(cands), "unverifiable_correction", False, True)
    consistent = [c for c in cands if not _consistent(c, printed_birth, printed_sex, address)]
    if len(consistent) == 1:
        method = "letters" if by_letters else "digit"
        # a letter with one reading (O→0, S→5) is a near-certain fix; a letter with two
        # (I→1/7, B→8/3) means another combination was possible: a clerk confirms
        single = all(len(LETTER_TO_DIGITS.get(ch, "X")) == 1 or (i == 17 and ch in "Kk")
                     for i, ch in enumerate(s) if not (ch.isdigit() or (i == 17 and ch == "X")))
        review = not (by_letters and single)
        return Correction(consistent[0], True, tuple(cands), "corrected", True, review, method=method)
    reason = "ambiguous_correction" if consistent else "no_consistent_correction"
    return Correction(s, False, tuple(cands), reason, False, True)
