"""Masking of ID and bank-card numbers (RELIABILITY.md, PIPL de-identification).

Rules:

- ID numbers (居民身份证号, 18 characters): first 4 + ``*`` × 10 + last 4. The birth date
  (digits 7–14) is never shown. Old 15-digit numbers (birth date in digits 7–12): first 4 +
  last 3. Anything else that was meant to be an ID number: first 3 and at most the digits
  beyond position 14 (at most 4).
- Card numbers: first 6 + last 4 (fewer when the number is short: never more than half).
- ``scrub(text)`` masks every ID-like or card-like run inside free text: ASCII or full-width
  digits, with single spaces, full-width spaces or hyphens between digits. A run whose
  compacted length is 12–19 is masked (18 and 15 as ID numbers, the rest as card numbers);
  longer runs keep only their last 4. Dates and short numbers (policy numbers, amounts) pass.

>>> mask_id_number("110101199003071234")
'1101**********1234'
>>> mask_card_number("6222021234567890123")
'622202*********0123'
>>> scrub("身份证 110101 19900307 123X, 卡号 6222-0212-3456-7890-123")
'身份证 1101**********123X, 卡号 622202*********0123'
>>> scrub("保单 P2019000123 申请日 2026-11-20")
'保单 P2019000123 申请日 2026-11-20'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["mask_id_number", "mask_card_number", "mask_value", "scrub", "compact_number",
           "ID_FIELDS", "CARD_FIELDS"]

#: Field names (last path component) whose values are ID numbers.
ID_FIELDS = frozenset({"id_number", "holder_id_number", "spouse_id_number"})
#: Field names whose values are bank-card / account numbers.
CARD_FIELDS = frozenset({"card_number", "account_number"})

_SEPARATORS = " \u3000-\uff0d\u2010\u2011\u2012\u2013\u2014"


def compact_number(value: str) -> str:
    """Digits (and X) of an ID or card number: full-width folded, separators removed, upper-case.

    >>> compact_number("１１０１ ０１-19900307 123x")
    '11010119900307123X'
    """
    s = unicodedata.normalize("NFKC", str(value))
    s = "".join(ch for ch in s if ch not in _SEPARATORS and not ch.isspace())
    return s.upper().replace("×", "X")


def _stars(n: int) -> str:
    return "*" * max(n, 0)


def mask_id_number(value: str | None) -> str | None:
    """Mask a resident ID number, hiding the birth date.

    >>> mask_id_number("11010119900307123X")
    '1101**********123X'
    >>> mask_id_number("110101900307123")
    '1101********123'
    >>> mask_id_number(None) is None
    True
    """
    if value is None:
        return None
    s = compact_number(value)
    n = len(s)
    if n == 18:
        return s[:4] + _stars(10) + s[-4:]
    if n == 15:
        return s[:4] + _stars(8) + s[-3:]
    if n <= 3:
        return _stars(n)
    tail = min(4, max(0, n - 14))
    return s[:3] + _stars(n - 3 - tail) + (s[-tail:] if tail else "")


def mask_card_number(value: str | None) -> str | None:
    """Mask a bank-card or account number: first 6 and last 4 at most.

    >>> mask_card_number("6222 0212 3456 7890")
    '622202******7890'
    >>> mask_card_number("12345678")
    '****5678'
    """
    if value is None:
        return None
    s = compact_number(value)
    n = len(s)
    if n >= 14:
        return s[:6] + _stars(n - 10) + s[-4:]
    if n >= 8:
        return _stars(n - 4) + s[-4:]
    return _stars(n)


def mask_value(field_name: str, value):
    """Mask ``value`` if ``field_name`` (or its last dotted component) names a sensitive number.

    >>> mask_value("policyholder.id_number", "110101199003071234")
    '1101**********1234'
    >>> mask_value("requested.account_number", "6222021234567890")
    '622202******7890'
    >>> mask_value("policyholder.name", "张三")
    '张三'
    """
    if value is None:
        return None
    leaf = field_name.rsplit(".", 1)[-1]
    leaf = re.sub(r"\[\d*\]$", "", leaf)
    if leaf in ID_FIELDS:
        return mask_id_number(str(value))
    if leaf in CARD_FIELDS:
        return mask_card_number(str(value))
    return value


_D = "0-9\uff10-\uff19"
_SEP = "[ \u3000\\-\uff0d\u2010\u2011\u2012\u2013\u2014]"
_X = "Xx\u00d7\uff38\uff58"
_RUN = re.compile(
    rf"(?<![{_D}])[{_D}](?:{_SEP}?[{_D}])*(?:{_SEP}?[{_X}](?![A-Za-z]))?"
)


def _mask_run(run: str) -> str:
    s = compact_number(run)
    n = len(s)
    if n < 12:
        return run
    if n == 18 or n == 15:
        return mask_id_number(s)  # type: ignore[return-value]
    if n <= 19:
        return mask_card_number(s)  # type: ignore[return-value]
    return _stars(n - 4) + s[-4:]


def scrub(text: str) -> str:
    """Mask every ID-number-like or card-number-like run in ``text`` (for logs and messages).

    >>> scrub("ID：１１０１０１１９９００３０７１２３４")
    'ID：1101**********1234'
    """
    if not text:
        return text
    return _RUN.sub(lambda m: _mask_run(m.group(0)), text)
