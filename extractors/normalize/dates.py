"""Dates as printed on Chinese documents → ISO ``YYYY-MM-DD``.

Accepted shapes (with OCR noise: stray spaces, full-width digits, leading zeros):
``1985年3月7日``, ``1985 年 3 月 7 日``, ``1985.03.07``, ``1985-03-07``, ``1985/3/7``,
``19850307``, Chinese numerals ``二〇二四年五月十日``; ``长期`` (ID card validity) stays
``长期``; a validity span ``2016.05.12-2036.05.12`` becomes a pair via ``validate_span``.

>>> validate('1985年3月7日')
'1985-03-07'
>>> validate('1985 年 03 月 07 日')
'1985-03-07'
>>> validate('1985.3.7')
'1985-03-07'
>>> validate('１９８５－０３－０７')
'1985-03-07'
>>> validate('19850307')
'1985-03-07'
>>> validate('二〇二四年五月十日')
'2024-05-10'
>>> validate('长期')
'长期'
>>> validate_span('2016.05.12-2036.05.12')
('2016-05-12', '2036-05-12')
>>> validate_span('2016.05.12-长期')
('2016-05-12', '长期')
>>> validate('1985年13月7日')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidComponent: No such date: 1985-13-07.
>>> validate('March 7')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidFormat: Not a recognisable date: 'March 7'.
"""

from __future__ import annotations

import datetime
import re

from extractors.normalize._text import fold, fold_compact
from extractors.normalize.errors import InvalidComponent, InvalidFormat, NormalizeError

__all__ = [
    "find_truncated_cn_dates",
    "find_partial_dates",
    "is_partial",
    "LONG_TERM",
    "unconfuse",
    "compact",
    "validate",
    "is_valid",
    "validate_span",
    "find_dates",
    "to_date",
    "MIN_YEAR",
    "MAX_YEAR",
]

LONG_TERM = "长期"
MIN_YEAR = 1900  # years outside [MIN_YEAR, MAX_YEAR] are treated as misreads
MAX_YEAR = 2100

_CN_DIGIT = {"〇": "0", "零": "0", "○": "0", "O": "0", "o": "0", "Ｏ": "0", "一": "1", "二": "2",
             "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_SMALL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_NUM_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年|[.\-/,、])\s*(?P<m>\d{1,2})\s*(?:月|[.\-/,、])\s*(?P<d>\d{1,2})\s*[日曰目]?"
)
_PACKED = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")
_CN_YEAR_CH = "〇零○Oo一二三四五六七八九"  # digits of a year in Chinese numerals (and look-alikes)
_CN_MONTH_DAY = r"(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日"
_CN_DATE = re.compile(rf"(?P<y>[{_CN_YEAR_CH}]{{4}})年{_CN_MONTH_DAY}")
_LONG = re.compile(r"长期|長期|永久")


_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1",
                            "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "g": "9"})


def unconfuse(text: object) -> str:
    """Replace letters that look like digits when they sit among digits (``2O09.07.21``).

    Specks read as punctuation beside 年 / 月 go too (``1993年.6月8日``).

    >>> unconfuse('2O09.O7.21-Z029.07.2l'), unconfuse('长期'), unconfuse('1993年.6月.8日')
    ('2009.07.21-2029.07.21', '长期', '1993年6月8日')
    """
    s = re.sub(r"(?<=[年月])[.,·、。:：]+|[.,·、。:：]+(?=[年月日])", "", fold(text))
    return re.sub(r"(?<=[\d.\-/年月])[OoDQIl|ZzSsBGg]|[OoDQIl|ZzSsBGg](?=[\d.\-/年月日])",
                  lambda m: m.group(0).translate(_LOOKALIKE), s)


def compact(text: object) -> str:
    """Fold width and remove whitespace.

    >>> compact(' 1985 年 3 月 7 日 ')
    '1985年3月7日'
    """
    return fold_compact(text)


def _cn_small(s: str) -> int:
    """一..九, 十, 十一, 二十, 二十一, 三十一 → int."""
    if "十" not in s:
        if len(s) != 1:
            raise InvalidFormat(f"Not a Chinese day/month numeral: {s!r}.")
        return _CN_SMALL[s]
    head, _, tail = s.partition("十")
    tens = _CN_SMALL.get(head, 0) if head else 1
    if head and head not in _CN_SMALL:
        raise InvalidFormat(f"Not a Chinese day/month numeral: {s!r}.")
    ones = _CN_SMALL.get(tail, 0) if tail else 0
    if tail and tail not in _CN_SMALL:
        raise InvalidFormat(f"Not a Chinese day/month numeral: {s!r}.")
    return tens * 10 + ones


def to_date(y: int, m: int, d: int) -> str:
    """Build an ISO date or raise ``InvalidComponent``.

    >>> to_date(2024, 2, 29)
    '2024-02-29'
    """
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise InvalidComponent(f"Year out of range: {y}.")
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        raise InvalidComponent(f"No such date: {y:04d}-{m:02d}-{d:02d}.") from None


def _match_to_iso(m: re.Match) -> str:
    if m.re is _CN_DATE:
        y = int("".join(_CN_DIGIT[c] for c in m["y"]))
        return to_date(y, _cn_small(m["m"]), _cn_small(m["d"]))
    return to_date(int(m["y"]), int(m["m"]), int(m["d"]))


def validate(text: object) -> str:
    """Return the ISO date (or ``长期``) the whole text denotes, or raise."""
    s = compact(text)
    if not s:
        raise InvalidFormat("Empty date.")
    if _LONG.fullmatch(s):
        return LONG_TERM
    for rx in (_NUM_DATE, _CN_DATE, _PACKED):
        m = rx.fullmatch(s)
        if m:
            return _match_to_iso(m)
    raise InvalidFormat(f"Not a recognisable date: {str(text)!r}.")


def is_valid(text: object) -> bool:
    """Whether ``validate`` accepts the text.

    >>> is_valid('2024年2月30日'), is_valid('2024年2月29日')
    (False, True)
    """
    try:
        return bool(validate(text))
    except NormalizeError:
        return False


def find_dates(text: object) -> list[tuple[str, int, int]]:
    """All dates inside a longer text as ``(iso, start, end)`` over ``fold(text)``.

    Impossible dates are skipped. ``长期`` is reported as a value too. When spaces the
    engine inserted inside numbers hide dates (``2 0 1 6 . 0 5 . 1 2``), and dropping all
    spaces finds more, the offsets refer to ``compact(text)`` instead.

    >>> find_dates('2 0 1 6 . 0 5 . 1 2 - 长 期')
    [('2016-05-12', 0, 10), ('长期', 11, 13)]

    >>> find_dates('有效期限2016.05.12-2036.05.12')
    [('2016-05-12', 4, 14), ('2036-05-12', 15, 25)]
    >>> find_dates('二〇二四年五月十日 审判员')
    [('2024-05-10', 0, 9)]
    """
    found = _find_dates(fold(text))
    if " " in fold(text):
        dense = _find_dates(compact(text))
        if len(dense) > len(found):
            return dense
    return found


def is_partial(text: object) -> bool:
    """A 年/月 date whose day has no closing 日: the day may have lost digits (a seal, a
    stamp or the frame over its end), so ``2024年5月1`` may have been 2024年5月18日.

    >>> is_partial('2024年5月1'), is_partial('2024年5月18日'), is_partial('2024年5月18曰'), is_partial('2024.05.18')
    (True, False, False, False)
    """
    s = compact(text)
    m = _NUM_DATE.search(s)
    return bool(m and _day_may_be_cut(m))


def _day_may_be_cut(m: re.Match) -> bool:
    """A 年月 date whose day is one digit with no 日 after it: the day may be 1x-3x with
    its second digit hidden. Two digits read are the whole day (no day has three)."""
    return "年" in m.group(0) and not m.group(0).rstrip().endswith(_DAY_MARKS) and len(m["d"]) == 1


_DAY_MARKS = ("日", "曰", "目")  # 日 and what the recogniser reads for it
_PARTIAL = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{2}|\s*\d\s*[日曰目])")


def find_partial_dates(text: object) -> list[tuple[str, int, int]]:
    """年月 dates whose day is missing or one digit with no closing 日: ``(YYYY-MM, start,
    end)`` over ``fold(text)``. The digit may be only part of the day, so the day is left
    out rather than guessed; never completed with a default day. Callers flag them.

    >>> find_partial_dates('特此证明。 2024年5月1')
    [('2024-05', 6, 13)]
    >>> find_partial_dates('2024年5月')
    [('2024-05', 0, 7)]
    >>> find_partial_dates('2024年5月18日')
    []
    """
    s = fold(text)
    out = []
    for m in _PARTIAL.finditer(s):
        month = int(m["m"])
        if 1 <= month <= 12 and MIN_YEAR <= int(m["y"]) <= MAX_YEAR:
            out.append((f"{int(m['y']):04d}-{month:02d}", m.start(), m.end()))
    return out


def _find_dates(s: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for rx in (_NUM_DATE, _CN_DATE, _PACKED, _LONG):
        for m in rx.finditer(s):
            if any(m.start() < e and s0 < m.end() for s0, e in taken):
                continue
            if rx is _NUM_DATE and _day_may_be_cut(m):
                continue  # the day may be cut (find_partial_dates)
            try:
                iso = LONG_TERM if rx is _LONG else _match_to_iso(m)
            except NormalizeError:
                continue
            found.append((iso, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])


def validate_span(text: object) -> tuple[str, str]:
    """A validity span ``FROM-UNTIL`` → ``(from_iso, until_iso_or_长期)``.

    >>> validate_span('2016年05月12日至2036年05月12日')
    ('2016-05-12', '2036-05-12')
    >>> validate_span('20160512 20360512')
    ('2016-05-12', '2036-05-12')
    """
    dates = find_dates(text)
    if len(dates) != 2:
        raise InvalidFormat(f"Not a date span: {str(text)!r}.")
    (a, _, _), (b, _, _) = dates
    if a == LONG_TERM:
        raise InvalidFormat(f"A span cannot start with 长期: {str(text)!r}.")
    if b != LONG_TERM and b <= a:
        raise InvalidComponent(f"Span ends before it starts: {a} → {b}.")
    return a, b


_CN_TRUNCATED = re.compile(rf"(?<![{_CN_YEAR_CH}])(?P<y>[{_CN_YEAR_CH}]{{2,3}})年{_CN_MONTH_DAY}")


def find_truncated_cn_dates(text: object, today: datetime.date | None = None) -> list[tuple[str, int, int]]:
    """Chinese-numeral dates whose year lost characters, repaired: ``(iso, start, end)``.

    Court seals are stamped across the judgment date (骑年盖月), and the recogniser then
    drops characters of the year, most often the round 〇 (``二二三年`` for 二〇二三年) or
    the whole century (``二三年``). Three characters: the missing one is 〇 after 二
    (20x0s..) or the leading 一 of 一九xx. Two: the century is 20 unless that lies in the
    future, then 19. The repair is a guess, so callers must flag it for review.

    >>> find_truncated_cn_dates('二三年六月十九日', datetime.date(2026, 1, 1))
    [('2023-06-19', 0, 8)]
    >>> find_truncated_cn_dates('二二三年六月十九日')
    [('2023-06-19', 0, 9)]
    >>> find_truncated_cn_dates('九九八年三月二日')
    [('1998-03-02', 0, 8)]
    >>> find_truncated_cn_dates('二〇二三年六月十九日')   # complete: not this function's job
    []
    """
    today = today or datetime.date.today()
    s = fold(text)
    out = []
    for m in _CN_TRUNCATED.finditer(s):
        digits = "".join(_CN_DIGIT[c] for c in m["y"])
        if len(digits) == 3:
            if digits[0] == "2" and digits[1] != "0":
                year = int("20" + digits[1:])
            elif digits[0] == "9":
                year = int("1" + digits)
            else:
                continue
        else:
            year = 2000 + int(digits)
            if year > today.year:
                year -= 100
        try:
            iso = to_date(year, _cn_small(m["m"]), _cn_small(m["d"]))
        except NormalizeError:
            continue
        if iso > today.isoformat():
            continue
        out.append((iso, m.start(), m.end()))
    return out
