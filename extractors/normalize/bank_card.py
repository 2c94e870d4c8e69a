"""Bank card numbers (UnionPay and co-branded), 16–19 digits with a Luhn check digit.

>>> validate('6222 0212 3456 7890 128')
'6222021234567890128'
>>> validate('6222-0212-3456-7890-127')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidChecksum: The card number fails the Luhn check.
>>> validate('622202123456')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidLength: A card number has 16 to 19 digits, got 12.
>>> validate('6222O21234567890128')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidFormat: A card number has digits only.
>>> bank_from_bin('6222021234567890128')
('中国工商银行', 'debit')
>>> bank_from_bin('9999991234567890') is None
False
>>> bank_from_bin('1234567890123456') is None
True
>>> canonical_bank('工行'), canonical_bank('ICBC'), canonical_bank('中国工商银行股份有限公司')
('中国工商银行', '中国工商银行', '中国工商银行')
>>> canonical_bank('地球银行') is None
True
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources

from stdnum import luhn

from extractors.normalize._text import fold, fold_compact
from extractors.normalize.errors import InvalidChecksum, InvalidFormat, InvalidLength, NormalizeError

__all__ = [
    "compact",
    "validate",
    "is_valid",
    "format",
    "bank_from_bin",
    "canonical_bank",
    "find_banks",
    "grouping_fits",
    "MIN_LENGTH",
    "MAX_LENGTH",
]

MIN_LENGTH = 16  # digits
MAX_LENGTH = 19  # digits


def compact(number: object) -> str:
    """Fold width and drop spaces and dashes.

    >>> compact('６２２２ ０２１２-3456')
    '622202123456'
    """
    return re.sub(r"[\s\-_.]", "", fold_compact(number))


def validate(number: object) -> str:
    """Return the digits of a valid card number or raise a ``NormalizeError``."""
    s = compact(number)
    if not s or not (s.isdigit() and s.isascii()):
        raise InvalidFormat("A card number has digits only.")
    if not MIN_LENGTH <= len(s) <= MAX_LENGTH:
        raise InvalidLength(f"A card number has {MIN_LENGTH} to {MAX_LENGTH} digits, got {len(s)}.")
    if luhn.checksum(s) != 0:
        raise InvalidChecksum("The card number fails the Luhn check.")
    return s


def is_valid(number: object) -> bool:
    """Whether ``validate`` accepts the number.

    >>> is_valid('6222021234567890128'), is_valid(None), is_valid(object())
    (True, False, False)
    """
    try:
        return bool(validate(number))
    except NormalizeError:
        return False


def format(number: object) -> str:  # noqa: A001 - stdnum's name
    """Groups of four, as printed on most cards.

    >>> format('6222021234567890128')
    '6222 0212 3456 7890 128'
    """
    s = compact(number)
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("extractors.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))


@functools.lru_cache(maxsize=1)
def _bins() -> dict[str, tuple[str, str]]:
    return {r["bin"].strip(): (r["bank"].strip(), r["card_type"].strip()) for r in _rows("bank_bins.csv")}


@functools.lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {fold_compact(r["alias"]).upper(): r["canonical"].strip() for r in _rows("bank_aliases.csv")}


def bank_from_bin(number: object) -> tuple[str, str] | None:
    """``(canonical bank, 'debit'|'credit')`` for the longest listed BIN prefix, else None."""
    s = compact(number)
    if not s.isdigit():
        return None
    table = _bins()
    for n in range(min(8, len(s)), 4, -1):
        hit = table.get(s[:n])
        if hit:
            return hit
    return None


def canonical_bank(name: object) -> str | None:
    """One canonical name for a bank name or alias (工行/工商银行/ICBC → 中国工商银行)."""
    s = fold_compact(name).upper()
    if not s:
        return None
    aliases = _aliases()
    if s in aliases:
        return aliases[s]
    hits = find_banks(name)
    return hits[0][0] if len(hits) >= 1 and len({h[0] for h in hits}) == 1 else None


def find_banks(text: object) -> list[tuple[str, str]]:
    """Bank names found in free text: ``[(canonical, alias_as_found)]`` in text order.

    Short Latin codes (ICBC, CCB …) count only as whole words; Chinese aliases of fewer
    than four characters are ignored here because they occur inside other words.

    >>> find_banks('中国工商银行 ICBC 牡丹灵通卡')
    [('中国工商银行', '中国工商银行'), ('中国工商银行', 'ICBC')]
    """
    s = fold(text).upper()
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for alias, canon in sorted(_aliases().items(), key=lambda kv: len(kv[0]), reverse=True):
        if alias.isascii():
            pattern = r"\s*".join(re.escape(w) for w in alias)  # engines drop/insert spaces
            pattern = rf"(?<![A-Z]){pattern}(?![A-Z])"
        elif len(alias) >= 4:
            pattern = r"\s*".join(re.escape(c) for c in alias)
        else:
            continue
        for m in re.finditer(pattern, s):
            if any(m.start() < e and b < m.end() for b, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), canon, m.group(0)))
    found.sort()
    return [(c, a) for _, c, a in found]


def grouping_fits(group_lengths: list[int]) -> bool:
    """Whether digit groups as read can be the card's printed grouping: groups of one
    size (4 on most cards, 5 or 6 on some; some read run together: ``62220212 3456…``)
    with a last group no longer, or the 6 + 13 of some 19-digit cards. A group boundary
    anywhere else means a digit was lost or added inside a group, which the Luhn check
    misses one time in ten. Single digits spaced apart are the engine's spacing, not a
    grouping: they tell nothing.

    >>> grouping_fits([4, 4, 4, 4]), grouping_fits([4, 4, 4, 4, 3]), grouping_fits([8, 8]), grouping_fits([6, 13])
    (True, True, True, True)
    >>> grouping_fits([5, 5, 5, 4]), grouping_fits([1] * 19), grouping_fits([19])
    (True, True, True)
    >>> grouping_fits([4, 3, 4, 4]), grouping_fits([4, 4, 4, 5]), grouping_fits([4, 5, 5, 5])
    (False, False, False)
    """
    groups = [n for n in group_lengths if n]
    if len(groups) <= 1 or sum(n == 1 for n in groups) * 2 >= len(groups):
        return True
    if len(groups) == 2 and groups[0] == 6:
        return True
    for size in (4, 5, 6):
        bounds, pos = [], 0
        for n in groups[:-1]:
            pos += n
            bounds.append(pos)
        if all(b % size == 0 for b in bounds) and (groups[-1] <= size or groups[-1] % size == 0):
            return True
    return False

