"""ID card validity periods (有效期限), per the Resident Identity Card Law, art. 5.

Age at issue under 16 → 5 years; 16–25 → 10 years; 26–45 → 20 years; 46 and over → 长期.

>>> expected_years('2016-05-12', '1985-03-07')
20
>>> validity_ok('2016-05-12', '2036-05-12', '1985-03-07')
True
>>> validity_ok('2016-05-12', '2026-05-12', '1985-03-07')
False
>>> validity_ok('2016-05-12', '长期', '1960-01-01')
True
>>> span_plausible('2016-05-12', '2036-05-12'), span_plausible('2016-05-12', '2031-05-13')
(True, False)
"""

from __future__ import annotations

import datetime

from extractors.normalize.dates import LONG_TERM

__all__ = ["expected_years", "validity_ok", "span_plausible", "VALID_TERMS"]

VALID_TERMS = (5, 10, 20)  # years; plus 长期


def _d(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def _add_years(d: datetime.date, years: int) -> datetime.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def expected_years(valid_from: str, birth_date: str) -> int | None:
    """Term in years for the holder's age at issue; None means 长期."""
    age = _age(_d(birth_date), _d(valid_from))
    if age < 16:
        return 5
    if age <= 25:
        return 10
    if age <= 45:
        return 20
    return None


def validity_ok(valid_from: str, valid_until: str, birth_date: str) -> bool:
    """Whether the printed period matches the statutory term for the age at issue."""
    try:
        years = expected_years(valid_from, birth_date)
        if years is None:
            return valid_until == LONG_TERM
        return valid_until != LONG_TERM and _d(valid_until) == _add_years(_d(valid_from), years)
    except (ValueError, TypeError):
        return False


def span_plausible(valid_from: str, valid_until: str) -> bool:
    """Without a birth date: is the span 5/10/20 years to the day, or 长期?"""
    if valid_until == LONG_TERM:
        return True
    try:
        a, b = _d(valid_from), _d(valid_until)
    except (ValueError, TypeError):
        return False
    return any(_add_years(a, y) == b for y in VALID_TERMS)
