"""Provinces: from an ID number's region code and from the start of an address.

The region database is the one python-stdnum ships for ``stdnum.cn.ric``
(``stdnum/cn/loc.dat``, GB/T 2260 codes compiled from Wikipedia).

>>> province_of_code('110105')
'北京市'
>>> province_of_code('440305198503071234')
'广东省'
>>> province_of_address('内蒙古自治区呼和浩特市新城区')
'内蒙古自治区'
>>> province_of_address('广东深圳市南山区')
'广东省'
>>> province_of_address('深圳市南山区科技园')
'广东省'
>>> same_province('110105198503071234', '北京市朝阳区建国路88号')
True
>>> same_province('110105198503071234', '广东省广州市天河区')
False
>>> same_province('110105198503071234', '建国路88号') is None
True
"""

from __future__ import annotations

import functools
import re

from extractors.normalize._text import fold_compact

__all__ = ["province_of_code", "province_of_address", "same_province", "county_of_code", "counties_near"]


@functools.lru_cache(maxsize=1)
def _db():
    from stdnum import numdb

    return numdb.get("cn/loc")


def _info(code: str) -> dict[str, str]:
    try:
        results = _db().info(code[:6])
    except Exception:  # noqa: BLE001 - numdb raises plain errors on junk
        return {}
    return {k: v for _, props in results for k, v in props.items()}


def province_of_code(code: object) -> str | None:
    """Province name for the first two digits of a region code / ID number."""
    s = fold_compact(code)
    if len(s) < 2 or not s[:2].isdigit():
        return None
    return _info(s[:2] + "0000").get("province")


def county_of_code(code: object) -> str | None:
    """County name (the current one when the code was reassigned) for a 6-digit code.

    >>> county_of_code('110105')
    '朝阳区'
    """
    s = fold_compact(code)
    if len(s) < 6 or not s[:6].isdigit():
        return None
    county = _info(s[:6]).get("county")
    if not county:
        return None
    # "[1983-1989]南头区办事处,[1990-]南山区": take the last-listed name
    return re.sub(r"^\[[^\]]*\]", "", county.split(",")[-1])


@functools.lru_cache(maxsize=512)
def _prefecture_counties(prefix: str) -> frozenset[str]:
    return frozenset(c for k in range(1, 100) if (c := county_of_code(f"{prefix}{k:02d}")))


def counties_near(code: object) -> frozenset[str]:
    """Every county name of the prefecture of a region code / ID number (its first four
    digits): the names an address there can really carry.

    >>> {'浈江区', '武江区', '曲江区'} <= counties_near('440204199508235839')
    True
    """
    s = fold_compact(code)
    if len(s) < 4 or not s[:4].isdigit():
        return frozenset()
    return _prefecture_counties(s[:4])


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特別行政區", "特别行政区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    provinces: dict[str, str] = {}
    cities: dict[str, str] = {}
    for prefix in range(10, 83):
        p = _info(f"{prefix:02d}0000").get("province")
        if not p:
            continue
        provinces[p] = p
        provinces[_short(p)] = p
        for city in range(1, 71):
            c = _info(f"{prefix:02d}{city:02d}00").get("county", "")
            c = re.sub(r"^\[[^\]]*\]", "", c.split(",")[-1])
            if c.endswith("市") and len(c) >= 3 and c not in ("市辖区",):
                cities.setdefault(c, p)
    return provinces, cities



def province_of_address(address: object) -> str | None:
    """Province named (or implied by a prefecture city) at the start of an address."""
    s = fold_compact(address)
    if not s:
        return None
    provinces, cities = _tables()
    for key in sorted(provinces, key=len, reverse=True):
        if len(key) >= 2 and s.startswith(key):
            return provinces[key]
    for key in sorted(cities, key=len, reverse=True):
        if s.startswith(key):
            return cities[key]
    return None


def same_province(code: object, address: object) -> bool | None:
    """True/False when both provinces are known, None when either is unknown."""
    a = province_of_code(code)
    b = province_of_address(address)
    if a is None or b is None:
        return None
    return a == b
