"""Amounts of money in yuan → a decimal string with two places (``"12500.00"``).

>>> validate('12,500.00')
'12500.00'
>>> validate('12500元')
'12500.00'
>>> validate('人民币12,500.00元')
'12500.00'
>>> validate('￥12,500')
'12500.00'
>>> validate('1.25万元')
'12500.00'
>>> validate('壹万贰仟伍佰元整')
'12500.00'
>>> validate('人民币壹万贰仟伍佰元伍角陆分')
'12500.56'
>>> validate('RMB 8,000')
'8000.00'
>>> validate('十二万')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidFormat: Not an amount of money: '十二万'.
>>> validate('12.5.0')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidFormat: Not an amount of money: '12.5.0'.
"""

from __future__ import annotations

import re
import warnings
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from extractors.normalize._text import fold_compact
from extractors.normalize.errors import InvalidFormat, NormalizeError

__all__ = ["compact", "validate", "is_valid", "find_amounts", "AMOUNT_RE", "CAPITAL_RE", "to_str"]

_CAPS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿"
CAPITAL_RE = re.compile(rf"[{_CAPS}]+[元圆](?:[{_CAPS}]角)?(?:[{_CAPS}]分)?[整正]?|[{_CAPS}]*[{_CAPS}]角(?:[{_CAPS}]分)?|[{_CAPS}]+[整正]")
AMOUNT_RE = re.compile(
    r"(?:人民币|RMB|CNY|[¥￥])?\s*(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s*(?P<wan>万)?\s*(?:元|圆)?"
)
_TWO = Decimal("0.01")
_CAP_DIGIT = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10)))


def compact(text: object) -> str:
    """Fold width, drop whitespace, currency words and thousands separators.

    >>> compact('人民币 12,500.00 元')
    '12500.00元'
    """
    s = fold_compact(text)
    s = re.sub(r"^(?:人民币|RMB|CNY|[¥￥])", "", s, flags=re.I)
    s = re.sub(r"(?<=\d)[,，](?=\d{3})", "", s)
    return s


MAX_AMOUNT = Decimal(10) ** 15  # yuan; larger readings are misreads (and overflow Decimal)


def to_str(value: Decimal) -> str:
    """Two-place decimal string.

    >>> to_str(Decimal('12500'))
    '12500.00'
    """
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise InvalidFormat(f"Implausible amount: {value}.")
    return str(value.quantize(_TWO, rounding=ROUND_HALF_UP))


def _capital(s: str) -> Decimal:
    import cn2an  # imported lazily: it is slow to import and logs on import

    s = s.rstrip("整正")
    jiao = fen = 0
    m = re.fullmatch(rf"(?P<yuan>[{_CAPS}]*?)(?:[元圆])?零?(?:(?P<j>[{_CAPS}])角)?零?(?:(?P<f>[{_CAPS}])分)?", s)
    if not m:
        raise InvalidFormat(f"Not an amount of money: {s!r}.")
    if m["j"]:
        jiao = _CAP_DIGIT.get(m["j"].replace("零", "零"), None)
    if m["f"]:
        fen = _CAP_DIGIT.get(m["f"], None)
    if jiao is None or fen is None:
        raise InvalidFormat(f"Not an amount of money: {s!r}.")
    yuan = 0
    if m["yuan"] and m["yuan"].strip("零"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                yuan = cn2an.cn2an(m["yuan"].rstrip("零"), "normal")
            except (ValueError, KeyError) as e:
                raise InvalidFormat(f"Not an amount of money: {s!r}.") from e
    return Decimal(int(yuan)) + Decimal(jiao) / 10 + Decimal(fen) / 100


def validate(text: object) -> str:
    """Return the amount as a two-place decimal string, or raise ``InvalidFormat``.

    Ordinary (non-financial) Chinese numerals are refused: on a money line they are
    far more often a misread than a real amount.
    """
    s = compact(text)
    if not s:
        raise InvalidFormat("Empty amount.")
    m = re.fullmatch(r"(?P<num>\d+(?:\.\d{1,2})?)(?P<wan>万)?(?:元|圆)?(?:整|正)?", s)
    if m:
        try:
            v = Decimal(m["num"])
        except InvalidOperation as e:  # pragma: no cover - the regex admits only decimals
            raise InvalidFormat(f"Not an amount of money: {str(text)!r}.") from e
        if m["wan"]:
            v *= 10000
        return to_str(v)
    if re.fullmatch(rf"[{_CAPS}元圆角分整正]+", s) and re.search(r"[零壹贰叁肆伍陆柒捌玖]", s):
        return to_str(_capital(s))
    raise InvalidFormat(f"Not an amount of money: {str(text)!r}.")


def is_valid(text: object) -> bool:
    """Whether ``validate`` accepts the text.

    >>> is_valid('12500元'), is_valid('abc')
    (True, False)
    """
    try:
        return bool(validate(text))
    except NormalizeError:
        return False


def find_amounts(text: object) -> list[tuple[str, int, int, bool]]:
    """Amounts inside a longer text: ``(value, start, end, is_capital)`` over ``fold_compact``.

    Bare numbers are only reported when they carry a currency sign, 元 or 万, or a
    decimal part, so years and percentages are not mistaken for money.

    >>> find_amounts('近12个月合计150,000.00元月均12,500.00元')
    [('150000.00', 7, 18, False), ('12500.00', 20, 30, False)]
    >>> find_amounts('月收入为人民币12,500.00元（大写：壹万贰仟伍佰元整）')
    [('12500.00', 4, 17, False), ('12500.00', 21, 29, True)]
    """
    s = fold_compact(text)
    out: list[tuple[str, int, int, bool]] = []
    for m in AMOUNT_RE.finditer(s):
        tok = m.group(0)
        if not (re.search(r"[元圆万¥￥]|人民币|RMB|CNY", tok) or "." in m["num"] or "," in m["num"]):
            continue
        if not re.search(r"[元圆]$", tok) and s[m.end():m.end() + 1] in ("%", "年", "月", "日", "岁", "号", "个"):
            continue
        try:
            out.append((validate(tok), m.start(), m.end(), False))
        except NormalizeError:
            continue
    for m in CAPITAL_RE.finditer(s):
        try:
            out.append((validate(m.group(0)), m.start(), m.end(), True))
        except NormalizeError:
            continue
    return sorted(out, key=lambda t: t[1])
